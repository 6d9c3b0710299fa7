#pragma once
/// Dates and times written the Norwegian way, as the seed programmes write them:
/// "mandag 8. januar 2024 kl. 09.00" (bokmål, lower-case weekday and month, a full stop after
/// the day, "kl." and a full stop between hours and minutes). Shared by every text people
/// read: reminder emails and web pages.

#include <string>

#include "base/civil.h"

namespace plancal {

/// "januar" .. "desember".
[[nodiscard]] std::string month_name_nb(int month);
/// "mandag 8. januar 2024".
[[nodiscard]] std::string date_text_nb(Date date);
/// "mandag 8. januar" (the year left out, where the reader knows it).
[[nodiscard]] std::string date_text_without_year_nb(Date date);
/// "09.00".
[[nodiscard]] std::string time_text_nb(TimeOfDay time);
/// "mandag 8. januar 2024 kl. 09.00".
[[nodiscard]] std::string date_time_text_nb(LocalDateTime when);
/// "kl. 09.00–12.00" (an en dash between the two times).
[[nodiscard]] std::string time_span_text_nb(TimeOfDay start, TimeOfDay end);

}  // namespace plancal
