#pragma once
/// Who may use the attendance pages, and whom each of them sees. A roster leader (someone
/// another roster person `reports_to`) sees the people who report to them and themselves; an
/// admin named in the config (`attendance.admins`) sees everyone. Everything else answers 404,
/// so this one rule decides what any page or form may show or change.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/model.h"
#include "store/web_sessions.h"

namespace plancal::web {

/// Who may sign in with `email` (any letter case): a roster leader of some plan or an admin.
/// nullopt for everyone else, who gets the same page and no mail.
[[nodiscard]] std::optional<WebUser> sign_in_user(const std::vector<const Plan*>& plans,
                                                  const std::vector<std::string>& admins,
                                                  std::string_view email);

/// What a signed-in user may see.
struct AttendanceScope {
  WebUser user;
  bool admin = false;

  /// Whether `person` is theirs: themselves, someone reporting to them, or anyone for an admin.
  [[nodiscard]] bool covers(const Person& person) const;
  /// The roster people of `plan` they may see, in roster order.
  [[nodiscard]] std::vector<const Person*> people(const Plan& plan) const;
};

/// The scope of `user` under the config in force (an admin removed from the config is an admin
/// no more; a session outlives neither).
[[nodiscard]] AttendanceScope scope_of(const WebUser& user, const std::vector<std::string>& admins);

}  // namespace plancal::web
