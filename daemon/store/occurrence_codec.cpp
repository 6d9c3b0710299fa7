#include "store/occurrence_codec.h"

#include <nlohmann/json.hpp>

#include "store/secrets.h"

namespace plancal {

namespace {

using nlohmann::json;

// Explicit functions rather than nlohmann's ADL hooks: the hooks would claim `to_json(Date)`
// for the whole program, and other layers may want a different JSON shape for dates.

json encode_time(TimeOfDay t) { return json::array({t.hour, t.minute}); }
json encode_local(const LocalDateTime& t) {
  return json::array({t.date.year, t.date.month, t.date.day, t.time.hour, t.time.minute});
}

TimeOfDay decode_time(const json& j) { return {j.at(0).get<int>(), j.at(1).get<int>()}; }
LocalDateTime decode_local(const json& j) {
  return {{j.at(0).get<int>(), j.at(1).get<int>(), j.at(2).get<int>()},
          {j.at(3).get<int>(), j.at(4).get<int>()}};
}

std::string_view kind_name(OccurrenceKind kind) {
  return kind == OccurrenceKind::Deadline ? "deadline" : "meeting";
}
std::string_view status_name(OccurrenceStatus status) {
  return status == OccurrenceStatus::Cancelled ? "cancelled" : "confirmed";
}

json encode_content(const MeetingContent& c) {
  json agenda = json::array();
  for (const auto& item : c.agenda) {
    agenda.push_back({{"time", encode_time(item.time)}, {"item", item.item}, {"note", item.note}});
  }
  json out = {{"topic", c.topic},       {"speaker", c.speaker}, {"speaker_label", c.speaker_label},
              {"location", c.location}, {"agenda", agenda},     {"preparation", c.preparation},
              {"notes", c.notes}};
  if (c.online) out["online"] = {{"provider", c.online->provider}, {"url", c.online->url}};
  return out;
}

MeetingContent decode_content(const json& j) {
  MeetingContent c;
  c.topic = j.at("topic").get<std::string>();
  c.speaker = j.at("speaker").get<std::string>();
  c.speaker_label = j.at("speaker_label").get<std::string>();
  c.location = j.at("location").get<std::string>();
  for (const auto& item : j.at("agenda")) {
    c.agenda.push_back({decode_time(item.at("time")), item.at("item").get<std::string>(),
                        item.at("note").get<std::string>()});
  }
  c.preparation = j.at("preparation").get<std::vector<std::string>>();
  c.notes = j.at("notes").get<std::string>();
  if (j.contains("online")) {
    const auto& online = j.at("online");
    c.online = OnlineMeeting{online.at("provider").get<std::string>(),
                             online.at("url").get<std::string>()};
  }
  return c;
}

/// The fields a subscriber sees, shared by the stored document and the content hash.
json visible_fields(const Occurrence& o) {
  return {{"summary", o.summary},
          {"description", o.description},
          {"location", o.location},
          {"url", o.url},
          {"start", encode_local(o.start)},
          {"end", encode_local(o.end)},
          {"all_day", o.all_day},
          {"timezone", o.timezone},
          {"status", status_name(o.status)},
          {"kind", kind_name(o.kind)},
          {"categories", o.categories},
          {"audience", o.audience}};
}

std::string dump(const json& doc) {
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// The prefix names the hash's version, should the visible fields ever change.
/// nlohmann::json objects keep their keys sorted, so dump() is canonical.
std::string hash_of_visible(const json& visible) {
  return sha256_hex("plancal-content-v1\n" + dump(visible));
}

json full_document(json doc, const Occurrence& o) {
  doc["uid"] = o.uid;
  doc["plan_id"] = o.plan_id;
  doc["component_key"] = o.component_key;
  doc["meeting_key"] = o.meeting_key;
  doc["occurrence_key"] = o.occurrence_key;
  doc["content"] = encode_content(o.content);
  doc["where"] = {{"file", o.where.file}, {"line", o.where.line}, {"column", o.where.column}};
  if (!o.makeup_of.empty()) doc["makeup_of"] = o.makeup_of;
  return doc;
}

}  // namespace

std::string encode_occurrence(const Occurrence& o) {
  return dump(full_document(visible_fields(o), o));
}

EncodedOccurrence encode_with_hash(const Occurrence& o) {
  json visible = visible_fields(o);
  std::string hash = hash_of_visible(visible);
  return {dump(full_document(std::move(visible), o)), std::move(hash)};
}

Result<Occurrence> decode_occurrence(const std::string& json_text) {
  try {
    const json doc = json::parse(json_text);
    Occurrence o;
    o.uid = doc.at("uid").get<std::string>();
    o.plan_id = doc.at("plan_id").get<std::string>();
    o.component_key = doc.at("component_key").get<std::string>();
    o.meeting_key = doc.at("meeting_key").get<std::string>();
    o.occurrence_key = doc.at("occurrence_key").get<std::string>();
    o.audience = doc.at("audience").get<std::string>();
    o.kind = doc.at("kind") == "deadline" ? OccurrenceKind::Deadline : OccurrenceKind::Meeting;
    o.status =
        doc.at("status") == "cancelled" ? OccurrenceStatus::Cancelled : OccurrenceStatus::Confirmed;
    o.summary = doc.at("summary").get<std::string>();
    o.description = doc.at("description").get<std::string>();
    o.location = doc.at("location").get<std::string>();
    o.url = doc.at("url").get<std::string>();
    o.categories = doc.at("categories").get<std::vector<std::string>>();
    o.all_day = doc.at("all_day").get<bool>();
    o.start = decode_local(doc.at("start"));
    o.end = decode_local(doc.at("end"));
    o.timezone = doc.at("timezone").get<std::string>();
    o.content = decode_content(doc.at("content"));
    if (doc.contains("makeup_of")) o.makeup_of = doc.at("makeup_of").get<std::string>();
    const auto& where = doc.at("where");
    o.where = {where.at("file").get<std::string>(), where.at("line").get<int>(),
               where.at("column").get<int>()};
    return o;
  } catch (const json::exception& e) {
    return Error{std::string("stored occurrence is not readable: ") + e.what()};
  }
}

std::string content_hash(const Occurrence& o) { return hash_of_visible(visible_fields(o)); }

}  // namespace plancal
