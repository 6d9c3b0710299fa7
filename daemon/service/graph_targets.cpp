#include "service/graph_targets.h"

#include <memory>

#include "base/secret_file.h"
#include "http/curl_transport.h"
#include "sync/graph_calendar.h"

namespace plancal {

namespace {

/// Mailboxes of one target talking at once; each sends one request (or batch) at a time.
constexpr std::size_t kConnections = 32;
/// Throttled or failing requests are tried this often before the event waits for next sync.
constexpr int kAttempts = 8;

http::ClientOptions http_options(const GraphTargetConfig& settings) {
  http::ClientOptions options;
  options.total_timeout = std::chrono::seconds(settings.timeout_seconds);
  options.max_in_flight = kConnections;
  options.retry.max_attempts = kAttempts;
  options.user_agent = "plancal (Microsoft Graph)";
  if (!settings.tls.ca_file.empty()) options.tls.extra_ca_file = settings.tls.ca_file;
  options.tls.insecure_skip_verify = settings.tls.insecure_skip_verify;
  return options;
}

Result<sync::GraphConnection> connect(const TargetConfig& target) {
  const GraphTargetConfig& settings = *target.graph;
  if (!settings.client_secret) {
    return Error{"target " + target.name + ": graph.client_secret is missing"};
  }
  Result<Secret> secret = read_secret(*settings.client_secret);
  if (!secret) return Error{"target " + target.name + ": " + secret.error().message};
  sync::GraphConnection connection;
  try {
    connection.http = http::make_curl_client(http_options(settings));
  } catch (const std::exception& error) {
    return Error{"target " + target.name + ": " + error.what()};
  }
  graph::TokenSettings token;
  token.login_base = settings.login_url;
  token.tenant = settings.tenant;
  token.client_id = settings.client_id;
  token.client_secret = std::move(secret.value());
  token.secret_origin = describe(*settings.client_secret);
  connection.tokens = std::make_shared<graph::TokenProvider>(*connection.http, std::move(token));
  connection.graph_base = settings.graph_url;
  return connection;
}

TargetInstance instance_for(const TargetConfig& target, const sync::GraphConnection& connection,
                            const std::string& mailbox, const std::string& key,
                            const std::string& audience, const SyncRequest& request) {
  const GraphTargetConfig& settings = *target.graph;
  sync::GraphMailbox where{mailbox, settings.calendar,
                           settings.create_calendar && !request.dry_run};
  TargetInstance instance;
  instance.identity = sync::TargetIdentity{key, mailbox};
  instance.audience = audience;
  instance.remote = std::make_unique<sync::GraphCalendar>(connection, std::move(where));
  return instance;
}

}  // namespace

Result<std::vector<TargetInstance>> graph_instances(const TargetConfig& target, const Plan& plan,
                                                    const SyncRequest& request) {
  Result<sync::GraphConnection> connection = connect(target);
  if (!connection) return connection.error();
  std::vector<TargetInstance> instances;
  const GraphTargetConfig& settings = *target.graph;
  if (!settings.per_person) {
    instances.push_back(instance_for(target, connection.value(), settings.mailbox, target.name,
                                     target.audience, request));
    return instances;
  }
  for (const Person& person : plan.roster) {
    if (person.email.empty()) continue;
    instances.push_back(instance_for(target, connection.value(), person.email,
                                     target.name + "/" + person.id, "person:" + person.id,
                                     request));
  }
  return instances;
}

}  // namespace plancal
