#pragma once
/// Push targets in the daemon config (`targets:`): which calendars plancal keeps equal to
/// which plan audience, and how to reach them.
///
/// Each target is one remote calendar for one audience of one plan. Secrets are never in the
/// config itself, only where to read them (SecretSource); they are read when a sync starts.

#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/secret_file.h"
#include "sync/remote_change_policy.h"

namespace plancal {

/// How to verify the server's certificate. System CAs by default; skipping verification must
/// be spelt out as `insecure_skip_verify: true` and is logged on every run.
struct TlsConfig {
  std::string ca_file;  ///< an extra CA bundle (PEM), resolved against the config's folder
  bool insecure_skip_verify = false;
};

struct CaldavTargetConfig {
  std::string url;  ///< a calendar collection, or a server root / principal to discover from
  std::string username;
  std::optional<SecretSource> password;
  bool create_calendar = false;  ///< MKCALENDAR `url` when it does not exist
  std::string calendar_name;     ///< display name for a calendar plancal creates
  TlsConfig tls;
  int timeout_seconds = 30;  ///< per request
  int max_in_flight = 4;     ///< concurrent writes to this server
};

/// A Microsoft 365 target: one mailbox, or each roster person's own mailbox (per_person).
struct GraphTargetConfig {
  std::string tenant;     ///< tenant id or verified domain
  std::string client_id;  ///< the app registration's application (client) id
  std::optional<SecretSource> client_secret;
  std::string mailbox;      ///< user principal name or id; empty when per_person
  bool per_person = false;  ///< one mailbox per roster person with an email address
  std::string calendar;     ///< calendar name; empty = the mailbox's default calendar
  bool create_calendar = false;
  std::string login_url = "https://login.microsoftonline.com";
  std::string graph_url = "https://graph.microsoft.com/v1.0";
  TlsConfig tls;
  int timeout_seconds = 30;  ///< per request
};

struct TargetConfig {
  std::string name;  ///< unique; what `plancal sync --target` and the logs call it
  SourceLocation where;
  std::string plan_id;   ///< whose events
  std::string audience;  ///< "all", "team:A", "person:kari" or "role:leder"
  RemoteChangePolicy on_remote_change = RemoteChangePolicy::Restore;
  /// A sync that would delete more than this share of the target's plancal events stops and
  /// asks for --allow-mass-delete.
  double max_delete_share = 0.5;
  std::optional<CaldavTargetConfig> caldav;
  std::optional<GraphTargetConfig> graph;  ///< exactly one of caldav and graph is set
};

}  // namespace plancal
