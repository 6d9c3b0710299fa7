#include "attendance/access.h"

#include <algorithm>

namespace plancal {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

constexpr std::string_view kAdminPrefix = "admin:";

}  // namespace

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

AccessPolicy::AccessPolicy(const std::vector<const Plan*>& plans,
                           const std::vector<std::string>& admins) {
  for (const Plan* plan : plans) {
    for (const auto& person : plan->roster) {
      all_entries_.push_back(&person);
      if (this->person(person.id) == nullptr) people_.push_back(&person);
    }
  }
  for (const auto& admin : admins) {
    if (admin.find('@') != std::string::npos) {
      admin_emails_.push_back(lower_ascii(admin));
    } else {
      admin_ids_.push_back(lower_ascii(admin));
    }
  }
}

const Person* AccessPolicy::person(std::string_view id) const {
  for (const Person* p : people_) {
    if (p->id == id) return p;
  }
  return nullptr;
}

bool AccessPolicy::reports_to(std::string_view person_id, std::string_view leader_id) const {
  return std::any_of(all_entries_.begin(), all_entries_.end(), [&](const Person* p) {
    return p->id == person_id && !p->reports_to.empty() && p->reports_to == leader_id;
  });
}

bool AccessPolicy::is_leader(const Person& person) const {
  return std::any_of(all_entries_.begin(), all_entries_.end(), [&](const Person* p) {
    return (p->id == person.id && p->leader) || p->reports_to == person.id;
  });
}

bool AccessPolicy::is_admin(const Person& person) const {
  return contains(admin_ids_, lower_ascii(person.id)) ||
         (!person.email.empty() && contains(admin_emails_, lower_ascii(person.email)));
}

Viewer AccessPolicy::viewer_for(const Person& person) const {
  return Viewer{person.id, person.name, person.email, is_admin(person), is_leader(person)};
}

std::optional<Viewer> AccessPolicy::viewer_by_email(std::string_view email) const {
  const std::string wanted = lower_ascii(email);
  if (wanted.empty()) return std::nullopt;
  for (const Person* p : people_) {
    if (lower_ascii(p->email) != wanted) continue;
    Viewer viewer = viewer_for(*p);
    if (viewer.admin || viewer.leader) return viewer;
    return std::nullopt;
  }
  if (contains(admin_emails_, wanted)) {
    return Viewer{std::string(kAdminPrefix) + wanted, wanted, wanted, true, false};
  }
  return std::nullopt;
}

std::optional<Viewer> AccessPolicy::viewer_by_id(std::string_view id) const {
  if (id.starts_with(kAdminPrefix)) return viewer_by_email(id.substr(kAdminPrefix.size()));
  const Person* p = person(id);
  if (p == nullptr) return std::nullopt;
  Viewer viewer = viewer_for(*p);
  if (viewer.admin || viewer.leader) return viewer;
  return std::nullopt;
}

bool AccessPolicy::may_see(const Viewer& viewer, std::string_view person_id) const {
  if (person(person_id) == nullptr) return false;
  if (viewer.admin) return true;
  if (!viewer.leader) return false;
  return person_id == viewer.id || reports_to(person_id, viewer.id);
}

std::vector<const Person*> AccessPolicy::visible_people(const Viewer& viewer) const {
  std::vector<const Person*> visible;
  for (const Person* p : people_) {
    if (p->id != viewer.id && may_see(viewer, p->id)) visible.push_back(p);
  }
  std::sort(visible.begin(), visible.end(),
            [](const Person* a, const Person* b) { return a->name < b->name; });
  if (const Person* self = person(viewer.id); self != nullptr && may_see(viewer, self->id)) {
    visible.insert(visible.begin(), self);
  }
  return visible;
}

}  // namespace plancal
