#pragma once
/// GraphCalendar: one Microsoft 365 mailbox calendar as a RemoteCalendar.
///
/// Graph assigns event ids itself, so plancal recognises its events by the plancalUid
/// extended property and lists all of them on every run (a full listing, paged): that is
/// also what makes a killed run safe, since an event it created is found and adopted before
/// anything new is created. Versions are @odata.etag values; listings carry no content hash,
/// so a new etag plancal did not write counts as someone else's edit. Listing pages, fetches
/// and writes all go out as items of JSON batches that the mailboxes of one connection share
/// (graph/batch_pipe.h), at most four of one mailbox at once.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/batch_pipe.h"
#include "graph/client.h"
#include "graph/event_cache.h"
#include "graph/event_json.h"
#include "graph/mailbox_limiter.h"
#include "graph/token.h"
#include "ical/preparation_alarm.h"
#include "sync/remote_calendar.h"

namespace plancal::sync {

/// What every mailbox of one Graph target shares: one HTTP client, one token, the $batch
/// requests their items travel in, the process's per-mailbox limiter, and what the events say
/// beyond the plan (the preparation alarm).
struct GraphConnection {
  std::shared_ptr<http::HttpClient> http;
  std::shared_ptr<graph::TokenProvider> tokens;
  std::string graph_base;
  http::Sleeper* sleeper = nullptr;  ///< tests; nullptr = real sleeping
  /// Shared by every Graph target of the run, so that two targets writing into one mailbox
  /// keep its limit together; nullptr: this calendar's client alone.
  std::shared_ptr<graph::MailboxLimiter> limiter{};
  /// The target's $batch requests, which its mailboxes' items share; nullptr: each calendar
  /// sends its own.
  std::shared_ptr<graph::BatchPipe> pipe{};
  /// reminders.alarm: the reminder of meetings with preparation items; nullopt: none.
  std::optional<PreparationAlarm> preparation_alarm{};
  /// Each occurrence's event built once for all the mailboxes (built with preparation_alarm);
  /// nullptr: every calendar builds its own each time. Only for occurrences that outlive the
  /// connection unchanged (graph/event_cache.h).
  std::shared_ptr<graph::EventCache> events{};
};

struct GraphMailbox {
  std::string mailbox;        ///< user principal name or id
  std::string calendar_name;  ///< "" = the mailbox's default calendar
  bool create_calendar = false;
};

class GraphCalendar final : public RemoteCalendar {
 public:
  GraphCalendar(GraphConnection connection, GraphMailbox mailbox);

  [[nodiscard]] Status prepare(const std::string& known_collection) override;
  /// The named calendar's id, or kDefaultCalendar.
  [[nodiscard]] std::string collection() const override { return calendar_id_; }
  [[nodiscard]] Result<RemoteListing> changes(const std::string& cursor) override;
  [[nodiscard]] Result<std::vector<RemoteEvent>> fetch(
      const std::vector<std::string>& refs) override;
  [[nodiscard]] std::string content_hash(const DesiredEvent& event) const override;
  [[nodiscard]] std::string ref_for_new(const std::string& /*uid*/) const override { return {}; }
  [[nodiscard]] std::vector<WriteResult> apply(const std::vector<Operation>& ops) override;
  [[nodiscard]] std::size_t batch_size() const override { return kBatchSize; }
  [[nodiscard]] int requests() const override { return client_.requests(); }

 private:
  static constexpr std::size_t kBatchSize = 20;
  /// The collection of the mailbox's default calendar, reached as /users/{id}/calendar.
  static constexpr const char* kDefaultCalendar = "calendar";
  /// The extended properties a listing reported for one event.
  struct Stamp {
    std::string hash;
    std::string body_hash;
  };
  /// What an update of a Teams meeting's body must keep: the body the event has, and its
  /// join link (graph/teams_body.h).
  struct JoinText {
    bool read = false;  ///< false: the event could not be read, so its body is left alone
    std::string body;
    std::string join_url;
  };

  [[nodiscard]] std::string user_path() const;
  [[nodiscard]] std::string events_path() const;
  [[nodiscard]] Result<std::string> find_calendar();
  [[nodiscard]] graph::SharedEvent graph_event(const DesiredEvent& event) const;
  [[nodiscard]] RemoteEvent remote_event(const nlohmann::json& event);
  [[nodiscard]] graph::BatchRequest request_for(const Operation& op,
                                                const std::map<std::string, JoinText>& joins,
                                                std::string& problem) const;
  /// The body to PATCH for an online meeting (nullopt: leave Outlook's).
  [[nodiscard]] std::optional<std::string> meeting_body(
      const Operation& op, const graph::GraphEvent& event,
      const std::map<std::string, JoinText>& joins) const;
  [[nodiscard]] std::map<std::string, JoinText> join_texts(const std::vector<Operation>& ops);
  [[nodiscard]] WriteResult book(const Operation& op, const graph::GraphResponse& answer);

  GraphConnection connection_;
  GraphMailbox mailbox_;
  graph::GraphClient client_;
  std::string calendar_id_;
  std::map<std::string, Stamp> stamps_;  ///< ref -> what the last listing said
};

}  // namespace plancal::sync
