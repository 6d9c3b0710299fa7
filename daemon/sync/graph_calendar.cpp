#include "sync/graph_calendar.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "graph/event_json.h"
#include "graph/teams_body.h"
#include "sync/write_outcome.h"

namespace plancal::sync {

namespace {

using nlohmann::json;

/// OData string literal: quotes doubled.
std::string odata_literal(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

/// Asks for an event's id, etag and plancal's extended properties, nothing else.
std::string owned_events_query() {
  return "$select=id,changeKey&$expand=" +
         graph::form_encode("singleValueExtendedProperties($filter=id eq " +
                            odata_literal(std::string(graph::kUidProperty)) + " or id eq " +
                            odata_literal(std::string(graph::kHashProperty)) + " or id eq " +
                            odata_literal(std::string(graph::kBodyHashProperty)) + ")");
}

std::string property(const json& event, std::string_view id) {
  if (!event.contains("singleValueExtendedProperties")) return {};
  for (const json& entry : event["singleValueExtendedProperties"]) {
    if (entry.value("id", std::string()) == id) return entry.value("value", std::string());
  }
  return {};
}

}  // namespace

GraphCalendar::GraphCalendar(GraphConnection connection, GraphMailbox mailbox)
    : connection_(std::move(connection)),
      mailbox_(std::move(mailbox)),
      client_(*connection_.http, *connection_.tokens, connection_.graph_base, connection_.sleeper,
              graph::BatchLimits{},
              graph::MailboxShare{connection_.limiter.get(), mailbox_.mailbox,
                                  connection_.pipe.get()}) {}

graph::SharedEvent GraphCalendar::graph_event(const DesiredEvent& event) const {
  if (connection_.events != nullptr) return connection_.events->event(*event.occurrence);
  return graph::build_event(*event.occurrence, connection_.preparation_alarm);
}

std::string GraphCalendar::user_path() const { return "/users/" + mailbox_.mailbox; }

std::string GraphCalendar::events_path() const {
  if (calendar_id_ == kDefaultCalendar) return user_path() + "/calendar/events";
  return user_path() + "/calendars/" + calendar_id_ + "/events";
}

Status GraphCalendar::prepare(const std::string& known_collection) {
  // The default calendar needs no lookup: /users/{id}/calendar names it.
  if (mailbox_.calendar_name.empty()) {
    calendar_id_ = kDefaultCalendar;
    return Ok{};
  }
  if (!known_collection.empty()) {
    calendar_id_ = known_collection;
    return Ok{};
  }
  Result<std::string> found = find_calendar();
  if (!found) return found.error();
  calendar_id_ = found.value();
  return Ok{};
}

Result<std::string> GraphCalendar::find_calendar() {
  const std::string filter = graph::form_encode("name eq " + odata_literal(mailbox_.calendar_name));
  const graph::GraphResponse list =
      client_.call("GET", user_path() + "/calendars?$select=id,name&$filter=" + filter);
  if (!list.is_success()) return Error{mailbox_.mailbox + ": " + graph::describe(list)};
  for (const json& calendar : list.body.value("value", json::array())) {
    if (calendar.value("name", std::string()) == mailbox_.calendar_name) {
      return calendar.value("id", std::string());
    }
  }
  if (!mailbox_.create_calendar) {
    return Error{mailbox_.mailbox + " has no calendar named \"" + mailbox_.calendar_name +
                 "\"; create it, or set graph.create_calendar: true"};
  }
  const graph::GraphResponse made =
      client_.call("POST", user_path() + "/calendars", json{{"name", mailbox_.calendar_name}});
  if (!made.is_success()) return Error{mailbox_.mailbox + ": " + graph::describe(made)};
  return made.body.value("id", std::string());
}

RemoteEvent GraphCalendar::remote_event(const json& event) {
  RemoteEvent remote;
  remote.ref = event.value("id", std::string());
  remote.version = event.value("@odata.etag", std::string());
  remote.uid = property(event, graph::kUidProperty);
  Stamp stamp{property(event, graph::kHashProperty), property(event, graph::kBodyHashProperty)};
  if (!stamp.hash.empty()) remote.stamped_hash = stamp.hash;
  stamps_[remote.ref] = std::move(stamp);
  return remote;
}

Result<RemoteListing> GraphCalendar::changes(const std::string& /*cursor*/) {
  RemoteListing listing;
  listing.complete = true;
  listing.cursor = "full";
  stamps_.clear();
  const std::string filter =
      graph::form_encode("singleValueExtendedProperties/Any(ep: ep/id eq " +
                         odata_literal(std::string(graph::kUidProperty)) + " and ep/value ne '')");
  std::string next = events_path() + "?" + owned_events_query() + "&$top=100&$filter=" + filter;
  bool rediscovered = false;
  while (!next.empty()) {
    const graph::GraphResponse page = client_.get(next);
    if (page.status == 404 && listing.changed.empty() && !rediscovered &&
        !mailbox_.calendar_name.empty()) {
      // The calendar saved from the last run is gone (deleted, or the mailbox was reset):
      // find it again by name; the events the store knew count as deleted remotely.
      Result<std::string> found = find_calendar();
      if (!found) return found.error();
      calendar_id_ = found.value();
      rediscovered = true;
      next = events_path() + "?" + owned_events_query() + "&$top=100&$filter=" + filter;
      continue;
    }
    if (!page.is_success()) return Error{mailbox_.mailbox + ": " + graph::describe(page)};
    for (const json& event : page.body.value("value", json::array())) {
      RemoteEvent remote = remote_event(event);
      if (!remote.uid.empty()) listing.changed.push_back(std::move(remote));
    }
    next = page.body.value("@odata.nextLink", std::string());
  }
  return listing;
}

Result<std::vector<RemoteEvent>> GraphCalendar::fetch(const std::vector<std::string>& refs) {
  std::vector<graph::BatchRequest> requests;
  requests.reserve(refs.size());
  for (const std::string& ref : refs) {
    requests.push_back(
        {"GET", user_path() + "/events/" + ref + "?" + owned_events_query(), {}, {}});
  }
  const std::vector<graph::GraphResponse> answers = client_.batch(requests);
  std::vector<RemoteEvent> found;
  for (const graph::GraphResponse& answer : answers) {
    if (answer.status == 404) continue;
    if (!answer.is_success()) return Error{mailbox_.mailbox + ": " + graph::describe(answer)};
    found.push_back(remote_event(answer.body));
  }
  return found;
}

std::string GraphCalendar::content_hash(const DesiredEvent& event) const {
  if (event.occurrence == nullptr) return {};
  const graph::SharedEvent built = graph_event(event);
  return *built ? (*built)->hash : std::string();
}

std::map<std::string, GraphCalendar::JoinText> GraphCalendar::join_texts(
    const std::vector<Operation>& ops) {
  std::vector<std::string> refs;
  for (const Operation& op : ops) {
    if (op.kind != OperationKind::Update || op.desired == nullptr) continue;
    if (op.desired->occurrence == nullptr || !op.desired->occurrence->content.online) continue;
    refs.push_back(op.current.ref);
  }
  std::map<std::string, JoinText> texts;
  if (refs.empty()) return texts;
  std::vector<graph::BatchRequest> requests;
  for (const std::string& ref : refs) {
    requests.push_back(
        {"GET", user_path() + "/events/" + ref + "?$select=body,onlineMeeting", {}, {}});
  }
  const std::vector<graph::GraphResponse> answers = client_.batch(requests);
  for (std::size_t i = 0; i < refs.size(); ++i) {
    JoinText& text = texts[refs[i]];
    if (!answers[i].is_success() || !answers[i].body.is_object()) continue;
    const json& event = answers[i].body;
    text.read = true;
    text.body = event.value("body", json::object()).value("content", std::string());
    const json meeting = event.value("onlineMeeting", json());
    if (meeting.is_object()) text.join_url = meeting.value("joinUrl", std::string());
  }
  return texts;
}

std::optional<std::string> GraphCalendar::meeting_body(
    const Operation& op, const graph::GraphEvent& event,
    const std::map<std::string, JoinText>& joins) const {
  const std::string& plancal_html = event.payload["body"]["content"].get_ref<const std::string&>();
  const auto join = joins.find(op.current.ref);
  if (join == joins.end() || !join->second.read) {
    spdlog::warn(
        "{}: {}: could not read the meeting's body to keep its Teams join link; the "
        "body was left as it is (tried again when the plan changes it)",
        mailbox_.mailbox, op.desired->uid);
    return std::nullopt;
  }
  graph::MeetingBody chosen =
      graph::meeting_body(plancal_html, join->second.body, join->second.join_url);
  if (!chosen.warning.empty()) {
    spdlog::warn("{}: {}: {}", mailbox_.mailbox, op.desired->uid, chosen.warning);
  }
  return std::move(chosen.content);
}

graph::BatchRequest GraphCalendar::request_for(const Operation& op,
                                               const std::map<std::string, JoinText>& joins,
                                               std::string& problem) const {
  if (op.kind == OperationKind::Delete) {
    return {"DELETE", user_path() + "/events/" + op.current.ref, std::nullopt, op.current.version};
  }
  const graph::SharedEvent built = graph_event(*op.desired);
  if (!*built) {
    problem = built->error().message;
    return {};
  }
  const graph::GraphEvent& event = built->value();
  if (op.kind == OperationKind::Create) {
    return {"POST",
            events_path(),
            graph::create_body(event, op.desired->uid, op.attempt, calendar_id_),
            {}};
  }
  // The body goes out only when it changed in the plan, or when the event is being put back
  // after someone else's edit (its stored hash still equals the plan's). A Teams meeting's
  // body keeps the meeting's join link (graph/teams_body.h).
  const auto stamp = stamps_.find(op.current.ref);
  bool with_body = stamp == stamps_.end() || stamp->second.hash == event.hash ||
                   stamp->second.body_hash != event.body_hash;
  std::optional<std::string> content;
  if (with_body && event.online) {
    content = meeting_body(op, event, joins);
    with_body = content.has_value();
  }
  json body = graph::update_body(event, op.desired->uid, with_body);
  if (content) body["body"]["content"] = std::move(*content);
  return {"PATCH", user_path() + "/events/" + op.current.ref, body, op.current.version};
}

/// The engine's result for Graph's answer to one write; remembers what a written event's
/// extended properties now say, for the next update's body decision.
WriteResult GraphCalendar::book(const Operation& op, const graph::GraphResponse& answer) {
  // Graph answers 409 to a change that conflicts with the event's current state.
  const Refusal refusal = answer.status == 409 ? Refusal::Exists : Refusal::None;
  WriteResult result{write_outcome(op.kind, answer.status, refusal), op.current, {}};
  const bool gone = result.outcome == Outcome::Done || result.outcome == Outcome::NotFound;
  if (op.kind == OperationKind::Delete && gone) stamps_.erase(op.current.ref);
  if (result.outcome != Outcome::Done) {
    result.message = mailbox_.mailbox + ": " + graph::describe(answer);
    return result;
  }
  if (op.kind == OperationKind::Delete) return result;
  result.event.ref = answer.body.value("id", op.current.ref);
  result.event.version = answer.body.value("@odata.etag", std::string());
  result.event.uid = op.desired->uid;
  const graph::SharedEvent built = graph_event(*op.desired);
  if (*built) {
    stamps_[result.event.ref] = Stamp{(*built)->hash, (*built)->body_hash};
    result.event.stamped_hash = (*built)->hash;
  }
  return result;
}

std::vector<WriteResult> GraphCalendar::apply(const std::vector<Operation>& ops) {
  std::vector<WriteResult> results(ops.size());
  const std::map<std::string, JoinText> joins = join_texts(ops);
  std::vector<graph::BatchRequest> requests;
  std::vector<std::size_t> sent;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    std::string problem;
    graph::BatchRequest request = request_for(ops[i], joins, problem);
    if (!problem.empty()) {
      results[i] = WriteResult{Outcome::Rejected, ops[i].current, problem};
      continue;
    }
    requests.push_back(std::move(request));
    sent.push_back(i);
  }
  const std::vector<graph::GraphResponse> answers = client_.batch(requests);
  for (std::size_t k = 0; k < sent.size(); ++k) results[sent[k]] = book(ops[sent[k]], answers[k]);
  return results;
}

}  // namespace plancal::sync
