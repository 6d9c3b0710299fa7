#include "graph/windows_zone.h"

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include <array>
#include <mutex>
#include <unordered_map>

namespace plancal::graph {

namespace {

Result<std::string> lookup(const std::string& iana) {
  constexpr int kCapacity = 128;
  std::array<UChar, kCapacity> id{};
  UErrorCode status = U_ZERO_ERROR;
  u_charsToUChars(iana.c_str(), id.data(), static_cast<int32_t>(iana.size()));
  std::array<UChar, kCapacity> windows{};
  const int32_t length = ucal_getWindowsTimeZoneID(id.data(), static_cast<int32_t>(iana.size()),
                                                   windows.data(), kCapacity, &status);
  if (U_FAILURE(status) || length <= 0) {
    return Error{"time zone \"" + iana +
                 "\" has no Windows equivalent that Microsoft Graph accepts"};
  }
  std::array<char, kCapacity + 1> text{};
  u_UCharsToChars(windows.data(), text.data(), length);
  return std::string(text.data(), static_cast<std::size_t>(length));
}

}  // namespace

Result<std::string> windows_zone(const std::string& iana) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> cache;
  constexpr std::size_t kMaxNameLength = 100;
  if (iana.empty() || iana.size() > kMaxNameLength) {
    return Error{"time zone \"" + iana + "\" is not an IANA zone name"};
  }
  const std::lock_guard lock(mutex);
  if (const auto found = cache.find(iana); found != cache.end()) return found->second;
  Result<std::string> mapped = lookup(iana);
  if (mapped) cache.emplace(iana, mapped.value());
  return mapped;
}

}  // namespace plancal::graph
