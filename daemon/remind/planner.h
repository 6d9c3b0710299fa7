#pragma once
/// The reminder planner: from what is published for a plan (the store's events) and the
/// plan's roster, every reminder email the plan asks for, with its due time and text.
///
/// Pure: no clock, no network, no database writes, so every rule is tested directly. Works
/// from the *published* events rather than a fresh expansion so that a reminder never
/// announces something the calendars do not show yet.
///
///  - Leader digest: per leader and occurrence date, `leader_lead_days` before the first
///    start that day, the staff (people reporting to the leader, and the leader) scheduled
///    that day. A leader with nobody scheduled gets nothing.
///  - Deadline: per annual-wheel deadline and responsible person, `deadline_lead_days`
///    before the day, at `deadline_time`.
///  - Participant (optional): per person and meeting with preparation items.
///
/// Ids come from kind, plan, recipient, the occurrences (the first uid of a digest's day)
/// and the lead time — never from the text or the date — so a moved meeting moves the
/// reminder that is already planned for it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attendance/register_gaps.h"
#include "base/civil.h"
#include "plan/model.h"
#include "store/published_events.h"
#include "store/reminder_state.h"

namespace plancal::remind {

struct PlannerSettings {
  std::vector<int> leader_lead_days{7, 1};
  std::vector<int> deadline_lead_days{14, 2};
  bool participant_email = false;
  int participant_lead_days = 1;
  TimeOfDay deadline_time{8, 0};  ///< deadlines are all-day; their reminders go at this time
  std::string message_id_domain = "plancal.invalid";  ///< Message-ID: <id@domain>
  /// Register reminders: this long after a day's meetings ended (`attendance.
  /// reminder_after_hours`; none when unset), to the pages at this address
  /// (`feeds.public_url`; none when empty).
  std::optional<int> register_after_hours;
  std::string public_url;
};

[[nodiscard]] std::vector<ReminderRecord> plan_reminders(const Plan& plan,
                                                         const std::vector<StoredEvent>& events,
                                                         const PlannerSettings& settings);

/// Register reminders (kind "register"): per leader and day with a gap (attendance/
/// register_gaps.h), one mail `register_after_hours` after the day's last meeting ended,
/// with the direct link to the day's register. The id comes from plan, leader and date
/// only, so a leader gets at most one per day; a register completed before it is due takes
/// it out of the plan (and the store cancels it). None without `register_after_hours` or
/// `public_url`.
[[nodiscard]] std::vector<ReminderRecord> plan_register_reminders(
    const Plan& plan, const std::vector<RegisterGap>& gaps, const PlannerSettings& settings);

/// Change notices for reminders already sent whose occurrences now start at another time
/// (`planned` recomputed, `stored` as in the store). One notice per person, occurrences and
/// new time, whatever the number of lead times already sent; due at `now`. Occurrences that
/// have started already (in `timezone`, the plan's zone) get none.
[[nodiscard]] std::vector<ReminderRecord> change_notices(const std::vector<ReminderRecord>& planned,
                                                         const std::vector<ReminderRecord>& stored,
                                                         std::int64_t now,
                                                         const std::string& timezone,
                                                         const PlannerSettings& settings);

/// "Avlyst" notices for reminders already sent whose occurrences are now all removed from
/// the plan or cancelled (`events`: the plan's published events, removed ones included):
/// one per person and occurrences, due at `now`; none once the old start has passed, and
/// none while any of the occurrences is still active or unknown.
[[nodiscard]] std::vector<ReminderRecord> cancellation_notices(
    const std::vector<ReminderRecord>& stored, const std::vector<StoredEvent>& events,
    const std::string& plan_id, std::int64_t now, const std::string& timezone,
    const PlannerSettings& settings);

/// The stable id: a prefix for the kind and a hash of the identifying parts.
[[nodiscard]] std::string reminder_id(const std::string& kind,
                                      const std::vector<std::string>& parts);

}  // namespace plancal::remind
