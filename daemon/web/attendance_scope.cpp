#include "web/attendance_scope.h"

#include <algorithm>

#include "attendance/programme.h"
#include "base/text.h"

namespace plancal::web {

namespace {

bool is_admin(const std::vector<std::string>& admins, std::string_view email) {
  return std::any_of(admins.begin(), admins.end(),
                     [&](const std::string& admin) { return equals_ignoring_case(admin, email); });
}

bool leads_someone(const Plan& plan, const Person& person) {
  return std::any_of(plan.roster.begin(), plan.roster.end(),
                     [&](const Person& other) { return other.reports_to == person.id; });
}

std::string lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

std::optional<WebUser> sign_in_user(const std::vector<const Plan*>& plans,
                                    const std::vector<std::string>& admins,
                                    std::string_view email) {
  const std::string_view address = trim(email);
  if (address.empty()) return std::nullopt;
  for (const Plan* plan : plans) {
    for (const Person& person : plan->roster) {
      if (!person.email.empty() && equals_ignoring_case(person.email, address) &&
          (leads_someone(*plan, person) || is_admin(admins, address))) {
        return WebUser{lower_ascii(address), person.id};
      }
    }
  }
  if (is_admin(admins, address)) return WebUser{lower_ascii(address), ""};
  return std::nullopt;
}

bool AttendanceScope::covers(const Person& person) const {
  if (admin) return true;
  if (user.person_id.empty()) return false;
  return in_leaders_register(person, user.person_id);
}

std::vector<const Person*> AttendanceScope::people(const Plan& plan) const {
  std::vector<const Person*> people;
  for (const Person& person : plan.roster) {
    if (covers(person)) people.push_back(&person);
  }
  return people;
}

AttendanceScope scope_of(const WebUser& user, const std::vector<std::string>& admins) {
  return AttendanceScope{user, is_admin(admins, user.email)};
}

}  // namespace plancal::web
