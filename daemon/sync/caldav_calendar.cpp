#include "sync/caldav_calendar.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/parallel.h"
#include "caldav/href.h"
#include "http/retry.h"
#include "ical/normalize.h"
#include "sync/write_outcome.h"

namespace plancal::sync {

namespace {

constexpr std::string_view kSyncCursor = "sync:";
constexpr std::string_view kCtagCursor = "ctag:";

/// What the person running plancal can do about a failure that ends the target's run.
std::string_view hint_for(caldav::Failure kind) {
  using caldav::Failure;
  switch (kind) {
    case Failure::Unauthorized:
      return "the server refused the login: check the target's username and password";
    case Failure::Forbidden:
      return "the account may not use this calendar: check the url and the account's rights";
    case Failure::ServerError:
      return "the server is failing; plancal tries again at the next sync";
    case Failure::UidInOtherCalendar:
      return "this server keeps one copy of an event per account (Cyrus, Fastmail): give each "
             "target whose audience shares meetings with another target's an account of its own";
    case Failure::Transport:
      return "no answer from the server; plancal tries again at the next sync (if the server "
             "is only slow, raise the target's timeout_seconds)";
    default:
      return "";
  }
}

Error to_error(const caldav::DavError& error) {
  const std::string_view hint = hint_for(error.kind);
  if (hint.empty()) return Error{error.message};
  return Error{error.message + "; hint: " + std::string(hint)};
}

/// No answer, or "try again later" still after the HTTP client's retries: asking elsewhere on
/// the same server, as discovery would, only multiplies the wait.
bool server_unavailable(const caldav::DavError& error) {
  return error.kind == caldav::Failure::Transport || http::is_retryable_status(error.status);
}

/// What a CalDAV error body adds to its status, for the one classification of write answers
/// (sync/write_outcome.h). Every failure kind is listed, so a new one must be placed here.
Refusal refusal_of(caldav::Failure kind) {
  using caldav::Failure;
  switch (kind) {
    case Failure::UidConflict:
      return Refusal::Exists;
    case Failure::Forbidden:
      return Refusal::Access;
    case Failure::UidInOtherCalendar:  // this server keeps one copy per account: refused here
    case Failure::InsufficientStorage:
    case Failure::InvalidCalendarData:
    case Failure::UnsupportedComponent:
    case Failure::ResourceTooLarge:
    case Failure::InvalidSyncToken:
    case Failure::Protocol:
      return Refusal::Event;
    case Failure::PreconditionFailed:
    case Failure::NotFound:
    case Failure::Unauthorized:
    case Failure::ServerError:
    case Failure::Transport:
    case Failure::Other:
      return Refusal::None;
  }
  return Refusal::None;
}

WriteResult failed_write(const caldav::DavError& error, OperationKind kind) {
  WriteResult result;
  result.outcome = write_outcome(kind, error.status, refusal_of(error.kind));
  result.event.ref = error.href;  // a no-uid-conflict names the resource holding the UID
  // An Unauthorized write stops the whole target, so it says what to do; so does an event the
  // account holds in another calendar. Other messages are per event.
  const bool says_what_to_do =
      result.outcome == Outcome::Unauthorized || error.kind == caldav::Failure::UidInOtherCalendar;
  result.message = says_what_to_do ? to_error(error).message : error.message;
  return result;
}

Result<caldav::CalendarInfo> created(caldav::DavResult<caldav::CalendarInfo> made) {
  if (!made) return to_error(made.error());
  spdlog::info("caldav: created the calendar {} (\"{}\")", made->href, made->display_name);
  return *made;
}

/// A path segment for a new calendar from its display name: lower-case ASCII letters and
/// digits, anything else a '-'; "plancal" when nothing is left.
std::string collection_slug(std::string_view display_name) {
  std::string slug;
  for (const unsigned char c : display_name) {
    const bool keep = std::isalnum(c) != 0 && c < 0x80;
    if (keep) {
      slug += static_cast<char>(std::tolower(c));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "plancal" : slug;
}

std::string display_names(const std::vector<caldav::CalendarInfo>& calendars) {
  std::string names;
  for (const auto& calendar : calendars) names += " \"" + calendar.display_name + "\"";
  return names;
}

RemoteEvent to_remote(const caldav::ResourceRef& resource) {
  return RemoteEvent{resource.href, resource.etag, {}, {}};
}

}  // namespace

/// Counts every request on the way to the real client (for reports and the no-op check).
class CaldavCalendar::CountingClient final : public http::HttpClient {
 public:
  CountingClient(std::unique_ptr<http::HttpClient> inner, std::atomic<int>& count)
      : inner_(std::move(inner)), count_(count) {}
  [[nodiscard]] Result<http::HttpResponse> send(const http::HttpRequest& request) override {
    ++count_;
    return inner_->send(request);
  }

 private:
  std::unique_ptr<http::HttpClient> inner_;
  std::atomic<int>& count_;
};

CaldavCalendar::CaldavCalendar(std::unique_ptr<http::HttpClient> http,
                               CaldavCalendarOptions options)
    : http_(std::make_unique<CountingClient>(std::move(http), requests_)),
      client_(*http_, options.url, caldav::CaldavOptions{options.multiget_chunk, 5, 50}),
      options_(std::move(options)) {
  options_.render.method_publish = false;
}

Status CaldavCalendar::prepare(const std::string& known_collection) {
  if (!known_collection.empty()) {
    collection_ = known_collection;
    return Ok{};
  }
  auto calendar = find_calendar();
  if (!calendar) return calendar.error();
  if (!calendar->supports_vevent) {
    return Error{"the calendar " + calendar->href +
                 " does not accept events (VEVENT): point the target at another calendar"};
  }
  collection_ = calendar->href;
  spdlog::debug("caldav: using calendar {}", collection_);
  return Ok{};
}

/// The configured URL when it is a calendar; else the calendar discovery finds there (by
/// calendar_name, or the only one); else, with create_calendar, a new one — at the URL when
/// nothing is there, or in the calendar home when the URL is a server root or principal.
Result<caldav::CalendarInfo> CaldavCalendar::find_calendar() {
  const std::string path = caldav::collection_path(options_.url);
  auto info = client_.calendar_info(path);
  if (info && info->is_calendar) return *info;
  if (!info && (info.error().stops_target() || server_unavailable(info.error()))) {
    return to_error(info.error());
  }
  const bool nothing_there = !info && info.error().kind == caldav::Failure::NotFound;
  if (nothing_there && options_.create_calendar) {
    return new_calendar(path);
  }
  auto homes = client_.calendar_homes();
  if (!homes) return to_error(homes.error());
  auto found = client_.calendars_in_homes(*homes);
  if (!found) return to_error(found.error());
  if (auto chosen = choose_calendar(*found)) return *chosen;
  if (options_.create_calendar) {
    const std::string href = homes->front() + collection_slug(options_.calendar_name) + "/";
    return new_calendar(href);
  }
  return Error{found->empty() ? "no calendar found at " + path +
                                    ": point the url at a calendar, or set create_calendar: true"
                              : "no calendar to choose at " + path + " (" + display_names(*found) +
                                    " ): name one with calendar_name, point the url at it, or "
                                    "set create_calendar: true"};
}

/// MKCALENDAR, or in a dry run only what it would make: the run then lists an empty
/// calendar and reports every event as a create, writing nothing.
Result<caldav::CalendarInfo> CaldavCalendar::new_calendar(const std::string& href) {
  if (!options_.dry_run) return created(client_.make_calendar(href, options_.calendar_name));
  spdlog::info("caldav: would create the calendar {} (\"{}\")", href, options_.calendar_name);
  calendar_is_planned_ = true;
  caldav::CalendarInfo planned;
  planned.href = href;
  planned.display_name = options_.calendar_name;
  planned.is_calendar = true;
  planned.supports_vevent = true;
  return planned;
}

std::optional<caldav::CalendarInfo> CaldavCalendar::choose_calendar(
    const std::vector<caldav::CalendarInfo>& found) const {
  for (const auto& calendar : found) {
    if (calendar.display_name == options_.calendar_name) return calendar;
  }
  if (options_.calendar_name.empty() && found.size() == 1) return found.front();
  return std::nullopt;
}

Result<RemoteListing> CaldavCalendar::changes(const std::string& cursor) {
  if (calendar_is_planned_) return RemoteListing{true, {}, {}, ""};
  if (cursor.starts_with(kCtagCursor)) return listing_by_ctag(cursor.substr(kCtagCursor.size()));
  if (cursor.starts_with(kSyncCursor)) {
    auto changed = client_.sync_collection(collection_, cursor.substr(kSyncCursor.size()));
    if (changed) {
      RemoteListing listing;
      for (const auto& resource : changed->changed) listing.changed.push_back(to_remote(resource));
      listing.removed = changed->removed;
      listing.cursor = std::string(kSyncCursor) + changed->token;
      return listing;
    }
    if (changed.error().kind != caldav::Failure::InvalidSyncToken) {
      return to_error(changed.error());
    }
    spdlog::info("caldav: the server no longer knows our sync token; listing the calendar");
  }
  return full_listing();
}

Result<RemoteListing> CaldavCalendar::full_listing() {
  RemoteListing listing;
  listing.complete = true;
  auto initial = client_.sync_collection(collection_, "");
  if (initial && !initial->token.empty()) {
    for (const auto& resource : initial->changed) listing.changed.push_back(to_remote(resource));
    listing.cursor = std::string(kSyncCursor) + initial->token;
    return listing;
  }
  if (!initial &&
      (initial.error().stops_target() || initial.error().kind == caldav::Failure::Transport)) {
    return to_error(initial.error());
  }
  auto info = client_.calendar_info(collection_);  // no sync-collection: getctag, then PROPFIND
  if (!info) return to_error(info.error());
  auto members = client_.list_resources(collection_);
  if (!members) return to_error(members.error());
  for (const auto& resource : *members) listing.changed.push_back(to_remote(resource));
  if (!info->ctag.empty()) listing.cursor = std::string(kCtagCursor) + info->ctag;
  return listing;
}

Result<RemoteListing> CaldavCalendar::listing_by_ctag(const std::string& ctag) {
  auto info = client_.calendar_info(collection_);
  if (!info) return to_error(info.error());
  if (info->ctag != ctag || ctag.empty()) return full_listing();
  RemoteListing unchanged;
  unchanged.cursor = std::string(kCtagCursor) + ctag;
  return unchanged;
}

Result<std::vector<RemoteEvent>> CaldavCalendar::fetch(const std::vector<std::string>& refs) {
  auto fetched = client_.multiget(collection_, refs);
  if (!fetched) return to_error(fetched.error());
  std::vector<RemoteEvent> events;
  for (const auto& found : fetched->found) {
    RemoteEvent event{found.href, found.etag, ical::event_uid(found.calendar_data), {}};
    event.content_hash = ical::normalized_event_hash(found.calendar_data);
    event.sequence = ical::event_sequence(found.calendar_data);
    events.push_back(std::move(event));
  }
  return events;
}

std::string CaldavCalendar::render(const DesiredEvent& event, int min_sequence) const {
  EventRevision revision = event.revision;
  revision.sequence = std::max(revision.sequence, min_sequence);
  return render_calendar(options_.render, {EventToRender{event.occurrence, revision}});
}

std::string CaldavCalendar::content_hash(const DesiredEvent& event) const {
  return ical::normalized_event_hash(render(event)).value_or("");
}

std::string CaldavCalendar::ref_for_new(const std::string& uid) const {
  return caldav::href_for_uid(collection_, uid);
}

std::vector<WriteResult> CaldavCalendar::apply(const std::vector<Operation>& ops) {
  // Rendering goes through libical's shared time zone data: do it here, before the threads.
  std::vector<std::string> texts(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].desired != nullptr) texts[i] = render(*ops[i].desired, ops[i].min_sequence);
  }
  std::vector<WriteResult> results(ops.size());
  parallel_for(ops.size(), options_.max_in_flight,
               [&](std::size_t i) { results[i] = perform(ops[i], texts[i]); });
  return results;
}

WriteResult CaldavCalendar::perform(const Operation& op, const std::string& text) {
  const std::string& href = op.current.ref;
  if (op.kind == OperationKind::Delete) {
    auto removed = client_.remove(href, op.current.version);
    if (!removed) return failed_write(removed.error(), op.kind);
    return WriteResult{Outcome::Done, RemoteEvent{href, {}, op.current.uid, {}}, {}};
  }
  auto put = op.kind == OperationKind::Create ? client_.create(href, text)
                                              : client_.update(href, text, op.current.version);
  if (!put) {
    WriteResult failed = failed_write(put.error(), op.kind);
    if (put.error().kind == caldav::Failure::UidConflict && failed.event.ref.empty()) {
      failed.event.ref = href_holding(op.current.uid);
    }
    return failed;
  }
  return written(*op.desired, *put);
}

/// Where the calendar keeps `uid` ("" when nowhere): for a no-uid-conflict that names no
/// href (Radicale), so the engine adopts that resource instead of creating it again.
std::string CaldavCalendar::href_holding(const std::string& uid) {
  auto candidates = client_.hrefs_with_uid(collection_, uid);
  if (!candidates || candidates->empty()) return {};
  auto fetched = fetch(*candidates);
  if (!fetched) return {};
  for (const auto& event : *fetched) {
    if (event.uid == uid) return event.ref;
  }
  return {};
}

/// A PUT without an ETag may mean the server rewrote the event: learn its version and what
/// it stores with one multiget instead of guessing.
WriteResult CaldavCalendar::written(const DesiredEvent& event, const caldav::WriteOk& ok) {
  WriteResult result{Outcome::Done, RemoteEvent{ok.href, ok.etag.value_or(""), event.uid, {}}, {}};
  if (ok.etag) {
    result.event.content_hash = event.hash;
    return result;
  }
  auto fetched = fetch({ok.href});
  if (fetched && !fetched->empty()) result.event = fetched->front();
  return result;
}

}  // namespace plancal::sync
