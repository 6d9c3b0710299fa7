#pragma once
/// Dates and times written the Norwegian way, as the seed programmes write them:
/// "mandag 8. januar 2024 kl. 09.00" (bokmål, lower-case weekday and month, a full stop after
/// the day, "kl." and a full stop between hours and minutes).

#include <string>

#include "base/civil.h"

namespace plancal::remind {

/// "januar" .. "desember".
[[nodiscard]] std::string month_name_nb(int month);
/// "mandag 8. januar 2024".
[[nodiscard]] std::string date_text_nb(Date date);
/// "09.00".
[[nodiscard]] std::string time_text_nb(TimeOfDay time);
/// "mandag 8. januar 2024 kl. 09.00".
[[nodiscard]] std::string date_time_text_nb(LocalDateTime when);

}  // namespace plancal::remind
