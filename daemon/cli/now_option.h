#pragma once
/// `--now TIME` for the commands whose result depends on the time (reminders, invitations):
/// tests and a rehearsal move the clock; without it the system clock is used.

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "base/clock.h"

namespace plancal::cli {

/// Adds `--now` to `command`, storing its text in `now`.
void add_now_option(CLI::App& command, std::string& now);

/// The clock for `now`: the system clock when empty, else a FixedClock at Unix seconds or ISO
/// local time ("2024-01-08T09:00", Europe/Oslo; or with "Z" / "+01:00"). Stops with an error
/// naming the option when the text is neither.
[[nodiscard]] std::unique_ptr<Clock> make_clock(const std::string& now);

}  // namespace plancal::cli
