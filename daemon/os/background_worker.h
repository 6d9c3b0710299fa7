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

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

namespace plancal {

/// `Input` is what a run needs (the daemon passes its Config); each request carries a copy.
template <class Input>
class BackgroundWorker {
 public:
  /// `job` runs on the worker thread with the input of the latest request and returns a
  /// one-line summary. `on_done` is called on the worker thread after each run (to wake the
  /// main loop); it must only do something async-safe, such as writing an eventfd.
  BackgroundWorker(std::string name, std::function<std::string(const Input&)> job,
                   std::function<void()> on_done);
  /// Joins the thread after the run in flight (see finish() for a bounded wait).
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  /// Asks for a run with `input` (a copy is kept until the run starts).
  void request(const Input& input);

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
  std::function<std::string(const Input&)> job_;
  std::function<void()> on_done_;
  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  std::condition_variable idle_;
  std::unique_ptr<Input> pending_;  ///< the next run's input; null when none is wanted
  std::optional<std::chrono::steady_clock::time_point> busy_since_;
  std::optional<std::string> summary_;
  bool stopping_ = false;
  std::thread thread_;
};

template <class Input>
BackgroundWorker<Input>::BackgroundWorker(std::string name,
                                          std::function<std::string(const Input&)> job,
                                          std::function<void()> on_done)
    : name_(std::move(name)), job_(std::move(job)), on_done_(std::move(on_done)) {
  thread_ = std::thread([this] { run(); });
}

template <class Input>
BackgroundWorker<Input>::~BackgroundWorker() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    pending_.reset();
  }
  wanted_.notify_all();
  if (thread_.joinable()) thread_.join();
}

template <class Input>
void BackgroundWorker<Input>::request(const Input& input) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    pending_ = std::make_unique<Input>(input);
  }
  wanted_.notify_all();
}

template <class Input>
bool BackgroundWorker<Input>::making_progress(
    std::chrono::steady_clock::duration stall_limit) const {
  const std::lock_guard lock(mutex_);
  return !busy_since_ || std::chrono::steady_clock::now() - *busy_since_ < stall_limit;
}

template <class Input>
std::optional<std::string> BackgroundWorker<Input>::take_summary() {
  const std::lock_guard lock(mutex_);
  return std::exchange(summary_, std::nullopt);
}

template <class Input>
bool BackgroundWorker<Input>::finish(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  pending_.reset();
  wanted_.notify_all();
  if (!idle_.wait_until(lock, deadline, [this] { return !busy_since_; })) return false;
  lock.unlock();
  if (thread_.joinable()) thread_.join();
  return true;
}

template <class Input>
void BackgroundWorker<Input>::run() {
  for (;;) {
    std::unique_ptr<Input> input;
    {
      std::unique_lock lock(mutex_);
      wanted_.wait(lock, [this] { return stopping_ || pending_; });
      if (stopping_) return;
      input = std::move(pending_);
      busy_since_ = std::chrono::steady_clock::now();
    }
    std::string summary;
    try {
      summary = job_(*input);
    } catch (const std::exception& error) {
      summary = name_ + " failed: " + error.what();
      spdlog::error("{}", summary);
    }
    {
      const std::lock_guard lock(mutex_);
      busy_since_.reset();
      summary_ = std::move(summary);
    }
    idle_.notify_all();
    if (on_done_) on_done_();
  }
}

}  // namespace plancal
