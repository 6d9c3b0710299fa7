#include "cli/now_option.h"

#include <cctype>
#include <optional>

#include "cli/plan_input.h"
#include "ical/timezone.h"

namespace plancal::cli {

namespace {

constexpr const char* kNowZone = "Europe/Oslo";

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

/// "+01:00" / "-02:00" / "Z" at the end of an ISO time -> offset seconds; the text without it.
std::optional<int> take_offset(std::string& text) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    text.pop_back();
    return 0;
  }
  if (text.size() < 6) return std::nullopt;
  const std::string tail = text.substr(text.size() - 6);
  if ((tail[0] != '+' && tail[0] != '-') || tail[3] != ':') return std::nullopt;
  const auto time = parse_time_of_day(tail.substr(1));
  if (!time) return std::nullopt;
  text.resize(text.size() - 6);
  const int seconds = minutes_of(*time) * 60;
  return tail[0] == '-' ? -seconds : seconds;
}

/// Unix seconds, or ISO 8601 local time ("2024-01-08T09:00", seconds optional) in
/// Europe/Oslo, or with "Z" / an offset.
std::optional<std::int64_t> parse_now(std::string text) {
  if (all_digits(text)) return std::stoll(text);
  const std::optional<int> offset = take_offset(text);
  if (text.size() == 19) text.resize(16);  // drop ":SS"
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  const auto time = parse_time_of_day(text.substr(11));
  if (!date || !time) return std::nullopt;
  if (offset)
    return days_from_civil(*date) * std::int64_t{86400} + minutes_of(*time) * std::int64_t{60} -
           *offset;
  auto unix = to_unix_seconds(kNowZone, {*date, *time});
  if (!unix) return std::nullopt;
  return *unix;
}

}  // namespace

std::unique_ptr<Clock> make_clock(const std::string& now) {
  if (now.empty()) return std::make_unique<SystemClock>();
  const auto parsed = parse_now(now);
  if (!parsed) {
    fail("--now " + now + ": not Unix seconds or an ISO time like 2024-01-08T09:00");
  }
  return std::make_unique<FixedClock>(*parsed);
}

void add_now_option(CLI::App& command, std::string& now) {
  command.add_option("--now", now,
                     "Act as if it were this time: Unix seconds or ISO local time "
                     "(2024-01-08T09:00, Europe/Oslo; or with Z / +01:00)");
}

}  // namespace plancal::cli
