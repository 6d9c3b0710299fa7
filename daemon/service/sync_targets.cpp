#include "service/sync_targets.h"

#include <memory>

#include "base/secret_file.h"
#include "expand/audience.h"
#include "http/curl_transport.h"
#include "sync/caldav_calendar.h"
#include "sync/graph_calendar.h"

namespace plancal {

namespace {

/// Connections of one Graph target: its mailboxes' items share a few $batch requests
/// (graph/batch_pipe.h), and a mailbox's own calls (finding its calendar) one each.
constexpr std::size_t kGraphConnections = 32;
/// Throttled or failing Graph requests are tried this often before the event waits for the
/// next sync.
constexpr int kGraphAttempts = 8;

/// The HTTP client of one target: a password or secret is read by the caller.
Result<std::unique_ptr<http::RetryingClient>> http_client(const TargetConfig& target,
                                                          http::ClientOptions options) {
  try {
    return http::make_curl_client(std::move(options));
  } catch (const std::exception& error) {
    return Error{"target " + target.name + ": " + error.what()};
  }
}

http::TlsOptions tls_options(const TlsConfig& tls) {
  http::TlsOptions options;
  if (!tls.ca_file.empty()) options.extra_ca_file = tls.ca_file;
  options.insecure_skip_verify = tls.insecure_skip_verify;
  return options;
}

// --- CalDAV: one calendar ---

Result<TargetInstance> caldav_instance(const TargetConfig& target, const Plan& plan, bool dry_run,
                                       const std::optional<PreparationAlarm>& alarm) {
  const CaldavTargetConfig& settings = *target.caldav;
  http::ClientOptions options;
  options.total_timeout = std::chrono::seconds(settings.timeout_seconds);
  options.max_in_flight = static_cast<std::size_t>(settings.max_in_flight);
  options.tls = tls_options(settings.tls);
  if (settings.password) {
    auto password = read_secret(*settings.password);
    if (!password) return Error{"target " + target.name + ": " + password.error().message};
    options.auth = http::BasicAuth{settings.username, std::move(*password)};
  }
  auto http = http_client(target, std::move(options));
  if (!http) return http.error();
  sync::CaldavCalendarOptions calendar;
  calendar.url = settings.url;
  calendar.create_calendar = settings.create_calendar;
  calendar.dry_run = dry_run;
  calendar.calendar_name = settings.calendar_name.empty() ? calendar_name_for(plan, target.audience)
                                                          : settings.calendar_name;
  calendar.max_in_flight = static_cast<std::size_t>(settings.max_in_flight);
  calendar.render.name = calendar.calendar_name;
  calendar.render.timezone = plan.timezone;
  calendar.render.preparation_alarm = alarm;
  TargetInstance instance;
  instance.identity = sync::TargetIdentity{target.name, settings.url, settings.username};
  instance.audience = target.audience;
  instance.remote = std::make_unique<sync::CaldavCalendar>(std::move(*http), std::move(calendar));
  return instance;
}

// --- Microsoft 365: one mailbox, or one per person ---

/// One per process: every Graph target of a run writes through it, so a mailbox two targets
/// write into still has at most four requests (batch items counted) in flight.
std::shared_ptr<graph::MailboxLimiter> mailbox_limiter() {
  static const auto kLimiter = std::make_shared<graph::MailboxLimiter>();
  return kLimiter;
}

Result<sync::GraphConnection> graph_connection(const TargetConfig& target,
                                               const std::optional<PreparationAlarm>& alarm) {
  const GraphTargetConfig& settings = *target.graph;
  if (!settings.client_secret) {
    return Error{"target " + target.name + ": graph.client_secret is missing"};
  }
  Result<Secret> secret = read_secret(*settings.client_secret);
  if (!secret) return Error{"target " + target.name + ": " + secret.error().message};
  http::ClientOptions options;
  options.total_timeout = std::chrono::seconds(settings.timeout_seconds);
  options.max_in_flight = kGraphConnections;
  options.retry.max_attempts = kGraphAttempts;
  options.user_agent = "plancal (Microsoft Graph)";
  options.tls = tls_options(settings.tls);
  auto http = http_client(target, std::move(options));
  if (!http) return http.error();
  sync::GraphConnection connection;
  connection.http = std::move(*http);
  graph::TokenSettings token;
  token.login_base = settings.login_url;
  token.tenant = settings.tenant;
  token.client_id = settings.client_id;
  token.client_secret = std::move(secret.value());
  token.secret_origin = describe(*settings.client_secret);
  connection.tokens = std::make_shared<graph::TokenProvider>(*connection.http, std::move(token));
  connection.graph_base = settings.graph_url;
  connection.limiter = mailbox_limiter();
  connection.pipe = std::make_shared<graph::BatchPipe>();
  connection.preparation_alarm = alarm;
  // The target's calendars live no longer than this sync's plans (service/sync.cpp).
  connection.events = std::make_shared<graph::EventCache>(alarm);
  return connection;
}

TargetInstance mailbox_instance(const TargetConfig& target, const sync::GraphConnection& connection,
                                const std::string& mailbox, const std::string& key,
                                const std::string& audience, bool dry_run) {
  const GraphTargetConfig& settings = *target.graph;
  sync::GraphMailbox where{mailbox, settings.calendar, settings.create_calendar && !dry_run};
  TargetInstance instance;
  instance.identity = sync::TargetIdentity{key, mailbox};
  instance.audience = audience;
  instance.remote = std::make_unique<sync::GraphCalendar>(connection, std::move(where));
  return instance;
}

Result<std::vector<TargetInstance>> graph_instances(const TargetConfig& target, const Plan& plan,
                                                    bool dry_run,
                                                    const std::optional<PreparationAlarm>& alarm) {
  Result<sync::GraphConnection> connection = graph_connection(target, alarm);
  if (!connection) return connection.error();
  std::vector<TargetInstance> instances;
  const GraphTargetConfig& settings = *target.graph;
  if (!settings.per_person) {
    instances.push_back(mailbox_instance(target, *connection, settings.mailbox, target.name,
                                         target.audience, dry_run));
    return instances;
  }
  for (const Person& person : plan.roster) {
    if (person.email.empty()) continue;
    instances.push_back(mailbox_instance(target, *connection, person.email,
                                         target.name + "/" + person.id, "person:" + person.id,
                                         dry_run));
  }
  return instances;
}

}  // namespace

Result<std::vector<TargetInstance>> target_instances(
    const TargetConfig& target, const Plan& plan, bool dry_run,
    const std::optional<PreparationAlarm>& preparation_alarm) {
  std::vector<TargetInstance> instances;
  if (target.caldav) {
    auto instance = caldav_instance(target, plan, dry_run, preparation_alarm);
    if (!instance) return instance.error();
    instances.push_back(std::move(*instance));
  }
  if (target.graph) {
    auto graph = graph_instances(target, plan, dry_run, preparation_alarm);
    if (!graph) return graph.error();
    for (auto& instance : *graph) instances.push_back(std::move(instance));
  }
  return instances;
}

}  // namespace plancal
