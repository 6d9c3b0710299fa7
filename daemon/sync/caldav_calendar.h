#pragma once
/// CaldavCalendar: the CalDAV side of the reconcile engine (RemoteCalendar over
/// caldav::CaldavClient).
///
/// Each plancal event is one resource at a deterministic href (href_for_uid), holding one
/// VCALENDAR with its VTIMEZONE and no METHOD. Changes are found with sync-collection
/// (RFC 6578) when the server has it, else by comparing the collection's getctag; versions
/// are ETags; content hashes are ical::normalized_event_hash, so a server that rewrites
/// what it stores is not mistaken for someone editing the event.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caldav/client.h"
#include "http/client.h"
#include "ical/render.h"
#include "sync/remote_calendar.h"

namespace plancal::sync {

struct CaldavCalendarOptions {
  std::string url;  ///< the configured URL: a calendar, a principal or a server root
  bool create_calendar = false;
  std::string calendar_name;      ///< display name for MKCALENDAR, and to pick one found
  std::size_t max_in_flight = 4;  ///< writes at once
  /// Zone, name and preparation alarm (the feeds' reminders.alarm) for rendering; METHOD is
  /// never sent.
  CalendarOptions render;
  std::size_t multiget_chunk = 100;
  bool dry_run = false;  ///< never create a calendar; say which one would be created
};

class CaldavCalendar final : public RemoteCalendar {
 public:
  CaldavCalendar(std::unique_ptr<http::HttpClient> http, CaldavCalendarOptions options);

  [[nodiscard]] Status prepare(const std::string& known_collection) override;
  [[nodiscard]] std::string collection() const override { return collection_; }
  [[nodiscard]] Result<RemoteListing> changes(const std::string& cursor) override;
  [[nodiscard]] bool incremental() const override { return true; }
  [[nodiscard]] Result<std::vector<RemoteEvent>> fetch(
      const std::vector<std::string>& refs) override;
  [[nodiscard]] std::string content_hash(const DesiredEvent& event) const override;
  [[nodiscard]] std::string ref_for_new(const std::string& uid) const override;
  [[nodiscard]] std::vector<WriteResult> apply(const std::vector<Operation>& ops) override;
  [[nodiscard]] std::size_t batch_size() const override { return options_.max_in_flight * 4; }
  [[nodiscard]] int requests() const override { return requests_.load(); }

  /// The iCalendar text plancal PUTs for an event, with a SEQUENCE of at least `min_sequence`
  /// (Operation::min_sequence: above what the server holds).
  [[nodiscard]] std::string render(const DesiredEvent& event, int min_sequence = 0) const;

 private:
  class CountingClient;

  [[nodiscard]] Result<caldav::CalendarInfo> find_calendar();
  [[nodiscard]] Result<caldav::CalendarInfo> new_calendar(const std::string& href);
  [[nodiscard]] std::optional<caldav::CalendarInfo> choose_calendar(
      const std::vector<caldav::CalendarInfo>& found) const;
  [[nodiscard]] Result<RemoteListing> full_listing();
  [[nodiscard]] Result<RemoteListing> listing_by_ctag(const std::string& ctag);
  [[nodiscard]] std::string href_holding(const std::string& uid);
  [[nodiscard]] WriteResult perform(const Operation& op, const std::string& text);
  [[nodiscard]] WriteResult written(const DesiredEvent& event, const caldav::WriteOk& ok);

  std::atomic<int> requests_{0};
  std::unique_ptr<http::HttpClient> http_;  ///< counts requests, then hands them on
  caldav::CaldavClient client_;
  CaldavCalendarOptions options_;
  std::string collection_;
  bool calendar_is_planned_ = false;  ///< dry run: the calendar does not exist yet
};

}  // namespace plancal::sync
