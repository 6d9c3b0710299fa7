#pragma once
/// SyncObserver: how a sync tells whoever started it how far it has come, while it runs.
/// The command line draws a progress line from it (cli/sync.cpp); the daemon passes none.
///
/// Target runs go on in parallel, so the calls come from several threads at once: an
/// implementation must take care of that itself. Calls are cheap and never block the run
/// for long; an observer that draws should not draw on every call.

#include <cstddef>
#include <string>

#include "sync/report.h"

namespace plancal::sync {

class SyncObserver {
 public:
  virtual ~SyncObserver() = default;
  SyncObserver() = default;
  SyncObserver(const SyncObserver&) = delete;
  SyncObserver& operator=(const SyncObserver&) = delete;

  /// The sync is about to run `targets` target runs (one per remote calendar).
  virtual void starting(std::size_t /*targets*/) {}
  /// The run of `target` has planned `writes` more writes: its plan, and later each
  /// round's follow-ups (an adopted event brought up to date, a deleted one restored).
  virtual void planned(const std::string& /*target*/, std::size_t /*writes*/) {}
  /// The server answered `writes` more of them (done, refused or failed).
  virtual void written(const std::string& /*target*/, std::size_t /*writes*/) {}
  /// The run of `report.target` is over.
  virtual void finished(const SyncReport& /*report*/) {}
};

}  // namespace plancal::sync
