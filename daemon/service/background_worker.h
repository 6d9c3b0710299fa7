#pragma once
/// One background thread for slow work the main loop must not wait for (syncing every
/// target takes seconds to minutes of network round trips). Runs are requested, never
/// queued: a request while a run is in flight means "once more afterwards", so a burst of
/// plan edits costs at most one extra run. The main loop reads whether the worker is making
/// progress (for the systemd watchdog) and collects each run's one-line summary.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/config.h"

namespace plancal {

class BackgroundWorker {
 public:
  /// `job` runs on the worker thread with the config of the latest request and returns a
  /// one-line summary. `on_done` is called on the worker thread after each run (to wake the
  /// main loop); it must only do something async-safe, such as writing an eventfd.
  BackgroundWorker(std::string name, std::function<std::string(const Config&)> job,
                   std::function<void()> on_done);
  /// Joins the thread after the run in flight (see finish() for a bounded wait).
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  /// Asks for a run with `config` (a copy is kept until the run starts).
  void request(const Config& config);

  /// False when a run has been going on for longer than `stall_limit`: the watchdog should
  /// stop being fed so that systemd restarts a daemon whose worker hangs.
  [[nodiscard]] bool making_progress(std::chrono::steady_clock::duration stall_limit) const;

  /// The summary of the run finished since the last call, if any.
  [[nodiscard]] std::optional<std::string> take_summary();

  /// Drops pending requests, lets the run in flight end and joins the thread; false when the
  /// run was still going at `deadline` (the thread is then left running, detached from
  /// nothing: the caller exits the process).
  [[nodiscard]] bool finish(std::chrono::steady_clock::time_point deadline);

  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  void run();

  std::string name_;
  std::function<std::string(const Config&)> job_;
  std::function<void()> on_done_;
  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  std::condition_variable idle_;
  std::unique_ptr<Config> pending_;  ///< the next run's config; null when none is wanted
  std::optional<std::chrono::steady_clock::time_point> busy_since_;
  std::optional<std::string> summary_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace plancal
