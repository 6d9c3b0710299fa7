#pragma once
/// The Norwegian text of each kind of reminder: subject, plain text and a simple HTML part
/// that says the same. Pure functions of the plan's occurrences and people, so the planner's
/// content hash changes exactly when what the recipient would read changes.

#include <string>
#include <vector>

#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal::remind {

struct ComposedText {
  std::string subject;
  std::string text;
  std::string html;
};

/// One occurrence on the digest's date and the leader's staff scheduled for it.
struct Attendance {
  const Occurrence* occurrence = nullptr;
  std::vector<const Person*> people;  ///< the leader first when scheduled, then by name
};

/// The leader's digest for one date: per occurrence the time, place or online link, topic,
/// speaker, which staff attend, the agenda and the preparation items.
[[nodiscard]] ComposedText compose_leader_digest(const Person& leader,
                                                 const std::vector<Attendance>& items);

/// A deadline of the annual wheel for the person responsible.
/// To a leader whose register for `date` is still open (`missing` of `scheduled`
/// registrations not there): one paragraph and the direct link to that day's register. No
/// names: the mail says what to do, the page shows who.
[[nodiscard]] ComposedText compose_register_reminder(const Person& leader, Date date, int missing,
                                                     int scheduled,
                                                     const std::string& register_url);

[[nodiscard]] ComposedText compose_deadline(const Person& person, const Occurrence& deadline);

/// A participant's preparation items before a meeting.
[[nodiscard]] ComposedText compose_participant(const Person& person, const Occurrence& meeting);

/// The short notice to someone already reminded of `old_when` (a when_key,
/// "2024-01-15T09:00"): the new time first, then the updated reminder itself.
[[nodiscard]] ComposedText compose_change_notice(const std::string& old_when,
                                                 const std::string& new_when,
                                                 const ComposedText& updated);

/// The short notice to someone reminded of something that is now cancelled or taken out of
/// the plan; `reminded` is the reminder they got, `old_when` its when_key.
[[nodiscard]] ComposedText compose_cancellation_notice(const std::string& old_when,
                                                       const ComposedText& reminded);

/// HTML text escaping (&, <, >, ").
[[nodiscard]] std::string html_escape(const std::string& text);

}  // namespace plancal::remind
