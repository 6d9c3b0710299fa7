#pragma once
/// Where a leader registers attendance for a date: the ONE place the path is written, used
/// by the incomplete-register reminder now and by the page's route in the web layer.

#include <string>
#include <string_view>

#include "base/civil.h"

namespace plancal {

/// "/leder/register/2024-01-15".
[[nodiscard]] std::string register_path(Date date);

/// `public_url` (without a trailing '/') + register_path(date).
[[nodiscard]] std::string register_url(std::string_view public_url, Date date);

}  // namespace plancal
