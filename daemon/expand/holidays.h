#pragma once
/// Norwegian public holidays ("helligdager" and "høytidsdager"), computed from the date of
/// Easter, so no year needs a hand-written table.

#include <optional>
#include <string>
#include <vector>

#include "base/civil.h"

namespace plancal {

struct Holiday {
  Date date;
  std::string name;  ///< Norwegian name, e.g. "2. påskedag"
};

/// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm).
[[nodiscard]] Date easter_sunday(int year);

/// All public holidays of a year, in date order: 1. nyttårsdag, skjærtorsdag, langfredag,
/// 1. og 2. påskedag, 1. mai, 17. mai, Kristi himmelfartsdag, 1. og 2. pinsedag,
/// 1. og 2. juledag.
[[nodiscard]] std::vector<Holiday> norwegian_holidays(int year);

/// The holiday's name when `date` is a public holiday.
[[nodiscard]] std::optional<std::string> norwegian_holiday(Date date);

}  // namespace plancal
