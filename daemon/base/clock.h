#pragma once
/// Where "now" comes from. Publishing stamps DTSTAMP/LAST-MODIFIED and tokens record times;
/// taking the time through this interface lets tests (and `plancal publish --now`) fix it.

#include <cstdint>

namespace plancal {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Seconds since the Unix epoch (UTC).
  [[nodiscard]] virtual std::int64_t now_unix() const = 0;
};

/// The real time.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::int64_t now_unix() const override;
};

/// Always the same instant; for tests and `--now`.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t now) : now_(now) {}
  [[nodiscard]] std::int64_t now_unix() const override { return now_; }
  void set(std::int64_t now) { now_ = now; }

 private:
  std::int64_t now_;
};

}  // namespace plancal
