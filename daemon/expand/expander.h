#pragma once
/// Expansion: Plan -> occurrences. Pure and deterministic: the same plan always gives the
/// same occurrences in the same order (sorted by start, then UID).

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

/// Every occurrence of every programme in the plan, for every audience.
[[nodiscard]] std::vector<Occurrence> expand_plan(const Plan& plan);

/// Who a calendar is for: `all`, `team:A`, `person:ID` or `role:KEY`.
struct Audience {
  enum class Kind { All, Team, Person, Role };
  Kind kind = Kind::All;
  std::string key;  ///< team key, person id or role key; empty for All
};

/// Parses "all", "team:A", "person:kari", "role:fagradgiver"; the error names what is valid.
[[nodiscard]] Result<Audience> parse_audience(std::string_view text, const Plan& plan);

/// Who sees what, decided once per audience and shared by `expand`, feeds, sync targets and
/// reminders, so every output agrees. `all` sees everything; a team sees its own and
/// everyone's (`all`) occurrences; a person sees those of their team, their roles, their
/// own, and everyone's; an occurrence addressed to several audiences ("a+b") is seen by each.
/// A make-up copy (audience "makeup:ID", expand/audience.h) is seen by that person alone:
/// not even `all` sees it, since it tells that the person missed their own date.
class AudienceView {
 public:
  AudienceView(const Plan& plan, const Audience& audience);
  [[nodiscard]] bool sees(std::string_view occurrence_audience) const;

 private:
  bool sees_everything_ = false;
  std::vector<std::string> memberships_;  ///< "all", "team:A", "role:x", "person:id"
};

/// The occurrences an audience sees (see AudienceView). `all` sees everything; a team sees its own
/// and everyone's (`all`) occurrences; a person sees those of their team, their roles, their own,
/// and everyone's.
[[nodiscard]] std::vector<Occurrence> occurrences_for(const Plan& plan,
                                                      const std::vector<Occurrence>& occurrences,
                                                      const Audience& audience);

/// Keeps occurrences that start on or after `from` and before or on `to` (local dates).
[[nodiscard]] std::vector<Occurrence> occurrences_between(std::vector<Occurrence> occurrences,
                                                          std::optional<Date> from,
                                                          std::optional<Date> to);

}  // namespace plancal
