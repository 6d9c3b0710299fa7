#pragma once
/// Audience strings as they appear on occurrences: one audience ("team:A") or several joined
/// with '+' ("role:virksomhetsleder+role:fagradgiver"). Who sees what is decided here once,
/// for feeds, sync targets, reminders and the overlap check alike.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/model.h"

namespace plancal {

/// The roster entry with this id, or nullptr.
[[nodiscard]] const Person* find_person(const Plan& plan, std::string_view id);

/// The members of a '+'-joined audience list; "all" when the text is empty.
[[nodiscard]] std::vector<std::string> audience_members(std::string_view joined);

/// Joins audiences with '+'; "all" for an empty list.
[[nodiscard]] std::string join_audiences(const std::vector<std::string>& audiences);

/// The UID part for an audience list: ':' becomes '-' ("team:A+all" -> "team-A+all").
[[nodiscard]] std::string audience_slug(std::string_view joined);

/// The audience of a make-up copy for the person with this id: "makeup:ID". Only that person
/// belongs to it, and unlike "person:ID" an `all` view does not see it (expand/expander.h).
[[nodiscard]] std::string makeup_audience(std::string_view person_id);

/// The person id of a make-up audience ("makeup:ID" -> "ID"); empty for any other audience.
[[nodiscard]] std::string makeup_audience_person(std::string_view audience);

/// Whether `joined` is a make-up copy's audience (it has no other member): an event no shared
/// calendar shows.
[[nodiscard]] bool is_makeup_audience(std::string_view joined);

/// The audiences a person belongs to: all, person:ID, makeup:ID, team:T (when in a team),
/// role:R...
[[nodiscard]] std::vector<std::string> person_audiences(const Person& person);

/// True when some person (or everyone) is in both audience lists: either contains "all",
/// they share a member, or a roster person named in one belongs to a team or role in the other.
[[nodiscard]] bool audiences_overlap(const Plan& plan, std::string_view a, std::string_view b);

/// "Mandagsseminar 2024 – Team A": the plan's calendar name and whom the calendar is for,
/// shared by feeds and push targets so a subscriber and a pushed calendar read the same.
[[nodiscard]] std::string calendar_name_for(const Plan& plan, std::string_view audience);

/// Whom `audience` names in `plan`, as people read it: a person's name ("Sindre Lunde"), a
/// team's ("Team A"), a role's ("Virksomhetslederne"), or "alle"; nullopt when the plan does
/// not know the audience.
[[nodiscard]] std::optional<std::string> audience_display_name(const Plan& plan,
                                                               std::string_view audience);

/// "Kalender for Sindre Lunde": one audience's calendar across every plan it appears in,
/// named from the first of `plans` that knows the audience (else by its key). Shared by the
/// personal feed and the personal page, so a subscribe button adds the calendar under the
/// name the feed gives itself.
[[nodiscard]] std::string cross_plan_calendar_name(const std::vector<const Plan*>& plans,
                                                   std::string_view audience);

}  // namespace plancal
