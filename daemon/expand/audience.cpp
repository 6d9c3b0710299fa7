#include "expand/audience.h"

#include <algorithm>

#include <fmt/format.h>

#include "expand/expander.h"

namespace plancal {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <class T, class KeyOf>
std::string list_keys(const std::vector<T>& items, KeyOf key_of) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ", ";
    text += key_of(item);
  }
  return text.empty() ? "(none)" : text;
}

std::string valid_choices(const Plan& plan) {
  return fmt::format("all; team: {}; role: {}; person: {}",
                     list_keys(plan.teams, [](const Team& t) { return t.key; }),
                     list_keys(plan.roles, [](const Role& r) { return r.key; }),
                     list_keys(plan.roster, [](const Person& p) { return p.id; }));
}

/// Whether `wanted` holds for some member of a '+'-joined audience list ("all" when the text
/// is empty), visited in order without copying them: a feed build asks this of every event for
/// each of thousands of people.
template <class Predicate>
bool any_audience_member(std::string_view joined, Predicate wanted) {
  bool visited = false;
  while (!joined.empty()) {
    const auto plus = joined.find('+');
    const auto member = joined.substr(0, plus);
    if (!member.empty()) {
      visited = true;
      if (wanted(member)) return true;
    }
    if (plus == std::string_view::npos) break;
    joined.remove_prefix(plus + 1);
  }
  return !visited && wanted(std::string_view("all"));
}

/// The audiences the people named by `members` belong to (their teams and roles).
std::vector<std::string> widened_by_roster(const Plan& plan,
                                           const std::vector<std::string>& members) {
  std::vector<std::string> widened = members;
  for (const auto& member : members) {
    if (!member.starts_with("person:")) continue;
    if (const Person* person = find_person(plan, std::string_view(member).substr(7))) {
      for (auto& audience : person_audiences(*person)) widened.push_back(std::move(audience));
    }
  }
  return widened;
}

bool shares_member(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& m) { return contains(b, m); });
}

}  // namespace

const Person* find_person(const Plan& plan, std::string_view id) {
  const auto& order = plan.roster_by_id;
  const auto at = std::lower_bound(
      order.begin(), order.end(), id, [&](std::uint32_t position, std::string_view wanted) {
        return position < plan.roster.size() && plan.roster[position].id < wanted;
      });
  if (at != order.end() && *at < plan.roster.size() && plan.roster[*at].id == id) {
    return &plan.roster[*at];
  }
  // No index, or one that does not know this id (a plan built or changed by hand).
  for (const auto& person : plan.roster) {
    if (person.id == id) return &person;
  }
  return nullptr;
}

std::vector<std::string> audience_members(std::string_view joined) {
  std::vector<std::string> members;
  any_audience_member(joined, [&](std::string_view member) {
    members.emplace_back(member);
    return false;
  });
  return members;
}

std::string join_audiences(const std::vector<std::string>& audiences) {
  std::string joined;
  for (const auto& audience : audiences) {
    if (!joined.empty()) joined += '+';
    joined += audience;
  }
  return joined.empty() ? "all" : joined;
}

std::string audience_slug(std::string_view joined) {
  std::string slug(joined);
  std::replace(slug.begin(), slug.end(), ':', '-');
  return slug;
}

/// What a make-up copy's audience starts with (expand/audience.h makeup_audience).
constexpr std::string_view kMakeupPrefix = "makeup:";

std::string makeup_audience(std::string_view person_id) {
  return std::string(kMakeupPrefix) + std::string(person_id);
}

std::string makeup_audience_person(std::string_view audience) {
  return is_makeup_audience(audience) ? std::string(audience.substr(kMakeupPrefix.size())) : "";
}

bool is_makeup_audience(std::string_view joined) { return joined.starts_with(kMakeupPrefix); }

std::vector<std::string> person_audiences(const Person& person) {
  std::vector<std::string> audiences{"all", "person:" + person.id, makeup_audience(person.id)};
  if (!person.team.empty()) audiences.push_back("team:" + person.team);
  for (const auto& role : person.roles) audiences.push_back("role:" + role);
  return audiences;
}

bool audiences_overlap(const Plan& plan, std::string_view a, std::string_view b) {
  const auto members_a = audience_members(a);
  const auto members_b = audience_members(b);
  if (contains(members_a, "all") || contains(members_b, "all")) return true;
  return shares_member(widened_by_roster(plan, members_a), members_b) ||
         shares_member(members_a, widened_by_roster(plan, members_b));
}

Result<Audience> parse_audience(std::string_view text, const Plan& plan) {
  if (text == "all") return Audience{};
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const std::string key(colon == std::string_view::npos ? std::string_view()
                                                        : text.substr(colon + 1));
  if (kind == "team" && std::any_of(plan.teams.begin(), plan.teams.end(),
                                    [&](const Team& t) { return t.key == key; })) {
    return Audience{Audience::Kind::Team, key};
  }
  if (kind == "role" && std::any_of(plan.roles.begin(), plan.roles.end(),
                                    [&](const Role& r) { return r.key == key; })) {
    return Audience{Audience::Kind::Role, key};
  }
  if (kind == "person" && find_person(plan, key) != nullptr) {
    return Audience{Audience::Kind::Person, key};
  }
  return Error{
      fmt::format("unknown audience '{}'; valid audiences are {}", text, valid_choices(plan))};
}

AudienceView::AudienceView(const Plan& plan, const Audience& audience) {
  switch (audience.kind) {
    case Audience::Kind::All:
      sees_everything_ = true;
      break;
    case Audience::Kind::Team:
      memberships_ = {"all", "team:" + audience.key};
      break;
    case Audience::Kind::Role:
      memberships_ = {"all", "role:" + audience.key};
      break;
    case Audience::Kind::Person:
      if (const Person* person = find_person(plan, audience.key)) {
        memberships_ = person_audiences(*person);
      } else {
        memberships_ = {"all", "person:" + audience.key, makeup_audience(audience.key)};
      }
      break;
  }
}

bool AudienceView::sees(std::string_view occurrence_audience) const {
  if (sees_everything_) return !is_makeup_audience(occurrence_audience);
  return any_audience_member(
      occurrence_audience, [&](std::string_view member) { return contains(memberships_, member); });
}

std::vector<Occurrence> occurrences_for(const Plan& plan,
                                        const std::vector<Occurrence>& occurrences,
                                        const Audience& audience) {
  const AudienceView view(plan, audience);
  std::vector<Occurrence> seen;
  for (const auto& occurrence : occurrences) {
    if (view.sees(occurrence.audience)) seen.push_back(occurrence);
  }
  return seen;
}

std::vector<Occurrence> occurrences_between(std::vector<Occurrence> occurrences,
                                            std::optional<Date> from, std::optional<Date> to) {
  std::erase_if(occurrences, [&](const Occurrence& o) {
    return (from && o.start.date < *from) || (to && o.start.date > *to);
  });
  return occurrences;
}

std::string calendar_name_for(const Plan& plan, std::string_view audience) {
  const std::string base = plan.calendar_name.empty() ? plan.title : plan.calendar_name;
  const auto colon = audience.find(':');
  if (colon == std::string_view::npos) return base;
  const std::string_view kind = audience.substr(0, colon);
  const std::string_view key = audience.substr(colon + 1);
  std::string who(key);
  if (kind == "team") {
    for (const auto& team : plan.teams) {
      if (team.key == key && !team.name.empty()) who = team.name;
    }
  } else if (kind == "role") {
    for (const auto& role : plan.roles) {
      if (role.key == key && !role.name.empty()) who = role.name;
    }
  } else if (const Person* person = find_person(plan, key); kind == "person" && person) {
    if (!person->name.empty()) who = person->name;
  }
  return base + " \u2013 " + who;
}

std::optional<std::string> audience_display_name(const Plan& plan, std::string_view audience) {
  auto parsed = parse_audience(audience, plan);
  if (!parsed) return std::nullopt;
  const auto named = [](const std::string& name, const std::string& key) {
    return name.empty() ? key : name;
  };
  switch (parsed->kind) {
    case Audience::Kind::All:
      return "alle";
    case Audience::Kind::Person:
      return named(find_person(plan, parsed->key)->name, parsed->key);
    case Audience::Kind::Team:
      for (const auto& team : plan.teams) {
        if (team.key == parsed->key) return named(team.name, team.key);
      }
      break;
    case Audience::Kind::Role:
      for (const auto& role : plan.roles) {
        if (role.key == parsed->key) return named(role.name, role.key);
      }
      break;
  }
  return std::nullopt;
}

std::string cross_plan_calendar_name(const std::vector<const Plan*>& plans,
                                     std::string_view audience) {
  for (const Plan* plan : plans) {
    if (auto name = audience_display_name(*plan, audience)) return "Kalender for " + *name;
  }
  if (audience == "all") return "Kalender for alle";
  const auto colon = audience.find(':');
  return "Kalender for " +
         std::string(colon == std::string_view::npos ? audience : audience.substr(colon + 1));
}

}  // namespace plancal
