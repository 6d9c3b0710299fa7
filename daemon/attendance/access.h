#pragma once
/// Who may see and edit whose attendance: the one rule every page and command asks.
///
/// A leader sees only the people who report to them (the roster's `reports_to`) and
/// themselves; an admin named in the config (`attendance.admins`) sees everyone in the
/// rosters. Anyone else sees nobody, and a record outside what a viewer may see is treated
/// as if it did not exist (pages answer 404, commands say "no such person"), so probing ids
/// reveals nothing.
///
/// Built from the rosters of every plan of the config: plans usually share one roster file,
/// and a person listed in several is the same person (the first entry wins for their name
/// and address; `reports_to` in any of them counts).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/model.h"

namespace plancal {

/// Whoever is looking: a leader or an admin (people signed in to the pages, or the name
/// given to a command with --by).
struct Viewer {
  /// A roster person id, or "admin:<email>" for an admin who is not in any roster.
  std::string id;
  std::string name;
  std::string email;
  bool admin = false;
  bool leader = false;  ///< keeps a register of their own staff
};

class AccessPolicy {
 public:
  /// `admins`: roster person ids or email addresses, as written in the config.
  AccessPolicy(const std::vector<const Plan*>& plans, const std::vector<std::string>& admins);

  /// The viewer who signs in with this address (letter case ignored): a roster leader or an
  /// admin; nullopt for everyone else.
  [[nodiscard]] std::optional<Viewer> viewer_by_email(std::string_view email) const;
  /// The viewer with this id (a roster leader's id, an admin's id or "admin:<email>").
  [[nodiscard]] std::optional<Viewer> viewer_by_id(std::string_view id) const;

  /// Whether `viewer` may see and change `person_id`'s attendance.
  [[nodiscard]] bool may_see(const Viewer& viewer, std::string_view person_id) const;
  /// Everyone `viewer` may see, the viewer first, then by name.
  [[nodiscard]] std::vector<const Person*> visible_people(const Viewer& viewer) const;

  /// The roster person with this id (from any plan), or nullptr.
  [[nodiscard]] const Person* person(std::string_view id) const;
  /// Every roster person of every plan, once, in roster order.
  [[nodiscard]] const std::vector<const Person*>& people() const { return people_; }
  /// Whether `person_id` reports to `leader_id` in any roster.
  [[nodiscard]] bool reports_to(std::string_view person_id, std::string_view leader_id) const;

 private:
  [[nodiscard]] bool is_leader(const Person& person) const;
  [[nodiscard]] bool is_admin(const Person& person) const;
  [[nodiscard]] Viewer viewer_for(const Person& person) const;

  std::vector<const Person*> people_;      ///< first entry per id
  std::vector<const Person*> all_entries_; ///< every roster row of every plan
  std::vector<std::string> admin_ids_;     ///< lower-case
  std::vector<std::string> admin_emails_;  ///< lower-case
};

/// ASCII lower case, for comparing email addresses.
[[nodiscard]] std::string lower_ascii(std::string_view text);

}  // namespace plancal
