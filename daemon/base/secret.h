#pragma once
/// Secret: a password or token that must reach the network but never a log line.
///
/// Holding credentials in a dedicated type (rather than std::string) makes every place that
/// needs the clear text say so (`reveal()`), and makes the accidental cases — fmt/spdlog
/// formatting, a debug dump of an options struct — print `<redacted>` instead. The buffer is
/// wiped when the secret goes away so it does not linger in freed heap memory.

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace plancal {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret& other);
  Secret(Secret&& other);
  Secret& operator=(Secret&& other);
  ~Secret();

  /// The clear text, for the one call that sends it (e.g. libcurl's CURLOPT_PASSWORD).
  [[nodiscard]] const std::string& reveal() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }

  /// Compares without revealing; constant time in the length of the shorter value.
  [[nodiscard]] bool operator==(const Secret& other) const;

 private:
  void wipe() noexcept;
  std::string value_;
};

/// What every formatting path prints for a secret.
inline constexpr std::string_view kRedacted = "<redacted>";

}  // namespace plancal

template <>
struct fmt::formatter<plancal::Secret> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const plancal::Secret& /*secret*/, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(plancal::kRedacted, ctx);
  }
};
