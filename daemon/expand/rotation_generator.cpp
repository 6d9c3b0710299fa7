#include "expand/rotation_generator.h"

#include <algorithm>

#include "expand/holidays.h"

namespace plancal {

namespace {

bool in_blackout(const std::vector<Blackout>& blackouts, Date date) {
  return std::any_of(blackouts.begin(), blackouts.end(),
                     [&](const Blackout& b) { return b.from <= date && date <= b.to; });
}

bool eligible(const RotationRule& rule, Date date) {
  if (rule.skip_holidays && norwegian_holiday(date)) return false;
  return !in_blackout(rule.blackouts, date);
}

/// Walks the rule's weekday from `from` on, yielding only the eligible dates.
class EligibleDates {
 public:
  explicit EligibleDates(const RotationRule& rule) : rule_(rule), next_(first_weekday(rule)) {}

  Date next() {
    while (!eligible(rule_, next_)) next_ = add_days(next_, 7);
    const Date date = next_;
    next_ = add_days(next_, 7);
    return date;
  }

 private:
  static Date first_weekday(const RotationRule& rule) {
    const int shift =
        (static_cast<int>(rule.weekday) - static_cast<int>(weekday_of(rule.from)) + 7) % 7;
    return add_days(rule.from, shift);
  }

  const RotationRule& rule_;
  Date next_;
};

}  // namespace

std::vector<ProposedMeeting> propose_rotation(const RotationRule& rule) {
  std::vector<ProposedMeeting> meetings;
  if (rule.teams.empty()) return meetings;
  EligibleDates dates(rule);
  const std::size_t team_count = rule.teams.size();
  for (int number = 1; number <= rule.meetings; ++number) {
    ProposedMeeting meeting;
    meeting.number = number;
    const auto shift = static_cast<std::size_t>(number - 1) % team_count;
    for (std::size_t slot = 0; slot < team_count; ++slot) {
      meeting.dates.push_back({rule.teams[(shift + slot) % team_count], dates.next()});
    }
    meetings.push_back(std::move(meeting));
  }
  return meetings;
}

}  // namespace plancal
