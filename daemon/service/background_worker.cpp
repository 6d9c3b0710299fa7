#include "service/background_worker.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace plancal {

BackgroundWorker::BackgroundWorker(std::string name, std::function<std::string(const Config&)> job,
                                   std::function<void()> on_done)
    : name_(std::move(name)), job_(std::move(job)), on_done_(std::move(on_done)) {
  thread_ = std::thread([this] { run(); });
}

BackgroundWorker::~BackgroundWorker() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    pending_.reset();
  }
  wanted_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundWorker::request(const Config& config) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    pending_ = std::make_unique<Config>(config);
  }
  wanted_.notify_all();
}

bool BackgroundWorker::making_progress(std::chrono::steady_clock::duration stall_limit) const {
  const std::lock_guard lock(mutex_);
  return !busy_since_ || std::chrono::steady_clock::now() - *busy_since_ < stall_limit;
}

std::optional<std::string> BackgroundWorker::take_summary() {
  const std::lock_guard lock(mutex_);
  return std::exchange(summary_, std::nullopt);
}

bool BackgroundWorker::finish(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  pending_.reset();
  wanted_.notify_all();
  if (!idle_.wait_until(lock, deadline, [this] { return !busy_since_; })) return false;
  lock.unlock();
  if (thread_.joinable()) thread_.join();
  return true;
}

void BackgroundWorker::run() {
  for (;;) {
    std::unique_ptr<Config> config;
    {
      std::unique_lock lock(mutex_);
      wanted_.wait(lock, [this] { return stopping_ || pending_; });
      if (stopping_) return;
      config = std::move(pending_);
      busy_since_ = std::chrono::steady_clock::now();
    }
    std::string summary;
    try {
      summary = job_(*config);
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
