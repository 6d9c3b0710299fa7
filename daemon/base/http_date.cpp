#include "base/http_date.h"

#include <array>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "base/civil.h"

namespace plancal {

namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kShortWeekdays{"Mon", "Tue", "Wed", "Thu",
                                                         "Fri", "Sat", "Sun"};
constexpr std::int64_t kSecondsPerDay = 86400;

/// The fields every format carries, before they are checked and combined.
struct DateFields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

std::optional<int> parse_number(std::string_view text, std::size_t min_digits,
                                std::size_t max_digits) {
  if (text.size() < min_digits || text.size() > max_digits) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<int> parse_month(std::string_view name) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

/// "08:49:37" into the hour, minute and second fields.
bool parse_clock(std::string_view text, DateFields& fields) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return false;
  const auto hour = parse_number(text.substr(0, 2), 2, 2);
  const auto minute = parse_number(text.substr(3, 2), 2, 2);
  const auto second = parse_number(text.substr(6, 2), 2, 2);
  if (!hour || !minute || !second) return false;
  fields.hour = *hour;
  fields.minute = *minute;
  fields.second = *second;
  return *hour <= 23 && *minute <= 59 && *second <= 60;
}

/// Splits on single spaces; asctime pads a one-digit day with a second space, so empty
/// fields are skipped.
std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t space = text.find(' ', start);
    const std::size_t end = space == std::string_view::npos ? text.size() : space;
    if (end > start) words.push_back(text.substr(start, end - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return words;
}

/// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<DateFields> imf_fixdate_fields(const std::vector<std::string_view>& words) {
  if (words.size() != 6 || words[0].size() != 4 || words[0][3] != ',' || words[5] != "GMT") {
    return std::nullopt;
  }
  DateFields fields;
  const auto day = parse_number(words[1], 2, 2);
  const auto month = parse_month(words[2]);
  const auto year = parse_number(words[3], 4, 4);
  if (!day || !month || !year || !parse_clock(words[4], fields)) return std::nullopt;
  fields.day = *day;
  fields.month = *month;
  fields.year = *year;
  return fields;
}

/// "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year that would lie more than 50 years in
/// the future is read as last century (RFC 9110), which for our purposes means < 70 -> 20xx.
std::optional<DateFields> rfc850_fields(const std::vector<std::string_view>& words) {
  if (words.size() != 4 || !words[0].ends_with(',') || words[3] != "GMT") return std::nullopt;
  const std::string_view date = words[1];
  if (date.size() != 9 || date[2] != '-' || date[6] != '-') return std::nullopt;
  DateFields fields;
  const auto day = parse_number(date.substr(0, 2), 2, 2);
  const auto month = parse_month(date.substr(3, 3));
  const auto year = parse_number(date.substr(7, 2), 2, 2);
  if (!day || !month || !year || !parse_clock(words[2], fields)) return std::nullopt;
  fields.day = *day;
  fields.month = *month;
  fields.year = *year < 70 ? 2000 + *year : 1900 + *year;
  return fields;
}

/// "Sun Nov  6 08:49:37 1994"
std::optional<DateFields> asctime_fields(const std::vector<std::string_view>& words) {
  if (words.size() != 5 || words[0].size() != 3) return std::nullopt;
  DateFields fields;
  const auto month = parse_month(words[1]);
  const auto day = parse_number(words[2], 1, 2);
  const auto year = parse_number(words[4], 4, 4);
  if (!day || !month || !year || !parse_clock(words[3], fields)) return std::nullopt;
  fields.day = *day;
  fields.month = *month;
  fields.year = *year;
  return fields;
}

std::optional<std::int64_t> to_unix_seconds(const DateFields& fields) {
  const Date date{fields.year, fields.month, fields.day};
  if (!is_valid_date(date)) return std::nullopt;
  return days_from_civil(date) * kSecondsPerDay + std::int64_t{fields.hour} * 3600 +
         std::int64_t{fields.minute} * 60 + fields.second;
}

}  // namespace

std::string format_http_date(std::int64_t unix_seconds) {
  const UtcDateTime utc = utc_date_time(unix_seconds);
  const Date& date = utc.date;
  const auto weekday = static_cast<std::size_t>(weekday_of(date)) - 1;
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kShortWeekdays[weekday], date.day,
                     kMonths[static_cast<std::size_t>(date.month - 1)], date.year, utc.hour,
                     utc.minute, utc.second);
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  const auto words = split_words(text);
  if (words.empty()) return std::nullopt;
  std::optional<DateFields> fields = imf_fixdate_fields(words);
  if (!fields) fields = rfc850_fields(words);
  if (!fields) fields = asctime_fields(words);
  if (!fields) return std::nullopt;
  return to_unix_seconds(*fields);
}

std::optional<std::int64_t> parse_imf_fixdate(std::string_view text) {
  // Fixed width: exactly one space between fields, 29 characters in all.
  if (text.size() != 29) return std::nullopt;
  const auto fields = imf_fixdate_fields(split_words(text));
  if (!fields) return std::nullopt;
  return to_unix_seconds(*fields);
}

}  // namespace plancal
