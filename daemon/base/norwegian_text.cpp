#include "base/norwegian_text.h"

#include <array>

#include <fmt/format.h>

namespace plancal {

std::string month_name_nb(int month) {
  static constexpr std::array<const char*, 12> kMonths = {
      "januar", "februar", "mars",      "april",   "mai",      "juni",
      "juli",   "august",  "september", "oktober", "november", "desember"};
  if (month < 1 || month > 12) return "?";
  return kMonths.at(static_cast<std::size_t>(month - 1));
}

std::string date_text_nb(Date date) {
  return fmt::format("{} {}", date_text_without_year_nb(date), date.year);
}

std::string date_text_without_year_nb(Date date) {
  return fmt::format("{} {}. {}", weekday_name_nb(weekday_of(date)), date.day,
                     month_name_nb(date.month));
}

std::string time_text_nb(TimeOfDay time) {
  return fmt::format("{:02}.{:02}", time.hour, time.minute);
}

std::string date_time_text_nb(LocalDateTime when) {
  return date_text_nb(when.date) + " kl. " + time_text_nb(when.time);
}

std::string time_span_text_nb(TimeOfDay start, TimeOfDay end) {
  return "kl. " + time_text_nb(start) + "–" + time_text_nb(end);
}

}  // namespace plancal
