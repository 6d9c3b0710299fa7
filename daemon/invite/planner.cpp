#include "invite/planner.h"

#include <map>

namespace plancal::invite {

namespace {

bool selected(const Invitee& person, const Selection& selection) {
  switch (selection.kind) {
    case Selection::Kind::All:
      return true;
    case Selection::Kind::Team:
      return person.teams.contains(selection.key);
    case Selection::Kind::Person:
      return person.id == selection.key;
  }
  return false;
}

bool is_pending(const InvitationRecord& r) {
  return r.state == InvitationState::Planned || r.state == InvitationState::Sending;
}

/// What is known about one person's links and invitations.
struct PersonLinks {
  std::vector<std::int64_t> live_tokens;  ///< live personal tokens some mail carried or may carry
  std::vector<std::int64_t> undelivered;  ///< live tokens of invitations that failed for good
  bool pending = false;
};

std::map<std::string, PersonLinks> links_by_person(const std::vector<FeedToken>& tokens,
                                                   const std::vector<InvitationRecord>& stored) {
  std::set<std::int64_t> failed_tokens;
  std::map<std::string, PersonLinks> links;
  for (const auto& invitation : stored) {
    if (invitation.state == InvitationState::Failed) failed_tokens.insert(invitation.token_id);
    if (is_pending(invitation)) links[invitation.person_id].pending = true;
  }
  constexpr std::string_view kPerson = "person:";
  for (const auto& token : tokens) {
    if (!token.covers_every_plan() || token.revoked_at || !token.audience.starts_with(kPerson)) {
      continue;
    }
    auto& person = links[token.audience.substr(kPerson.size())];
    (failed_tokens.contains(token.id) ? person.undelivered : person.live_tokens)
        .push_back(token.id);
  }
  return links;
}

Decision decide_one(const Invitee& person, const PersonLinks& links, bool rotate) {
  if (links.pending) return {person, Action::Pending, {}};
  if (person.email.empty()) return {person, Action::NoEmail, {}};
  // A link no mail carried (its invitation failed for good) is revoked by the new invitation.
  if (links.live_tokens.empty()) return {person, Action::Invite, links.undelivered};
  if (!rotate) return {person, Action::HasLink, {}};
  Decision decision{person, Action::Rotate, links.undelivered};
  decision.revoke.insert(decision.revoke.end(), links.live_tokens.begin(), links.live_tokens.end());
  return decision;
}

}  // namespace

Result<Selection> parse_selection(std::string_view text) {
  if (text == "all") return Selection{Selection::Kind::All, ""};
  for (const auto& [prefix, kind] :
       {std::pair{std::string_view("team:"), Selection::Kind::Team},
        std::pair{std::string_view("person:"), Selection::Kind::Person}}) {
    if (text.starts_with(prefix) && text.size() > prefix.size()) {
      return Selection{kind, std::string(text.substr(prefix.size()))};
    }
  }
  return Error{"--people '" + std::string(text) + "': use all, team:KEY or person:ID"};
}

std::vector<Invitee> roster_people(const std::vector<const Plan*>& plans) {
  std::vector<Invitee> people;
  std::map<std::string, std::size_t> index;
  for (const Plan* plan : plans) {
    for (const Person& person : plan->roster) {
      auto [it, added] = index.emplace(person.id, people.size());
      if (added) people.push_back({person.id, person.name, person.email, {}});
      Invitee& invitee = people[it->second];
      if (invitee.email.empty()) invitee.email = person.email;
      if (!person.team.empty()) invitee.teams.insert(person.team);
    }
  }
  return people;
}

Result<std::vector<Decision>> decide(const std::vector<Invitee>& people, const Selection& selection,
                                     const std::vector<FeedToken>& tokens,
                                     const std::vector<InvitationRecord>& stored, bool rotate) {
  const auto links = links_by_person(tokens, stored);
  const PersonLinks none;
  std::vector<Decision> decisions;
  for (const auto& person : people) {
    if (!selected(person, selection)) continue;
    const auto it = links.find(person.id);
    decisions.push_back(decide_one(person, it == links.end() ? none : it->second, rotate));
  }
  if (decisions.empty() && selection.kind != Selection::Kind::All) {
    return Error{std::string(selection.kind == Selection::Kind::Team ? "team" : "person") + " '" +
                 selection.key +
                 "' is on no roster of the config's plans; check the spelling (team keys and "
                 "person ids as the plan files write them)"};
  }
  return decisions;
}

}  // namespace plancal::invite
