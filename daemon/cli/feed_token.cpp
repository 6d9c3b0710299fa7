// plancal feed token create|list|revoke --config FILE: the secret tokens in feed and page URLs.
// A token's secret is printed once, at creation, with both subscribe links and the page link;
// only its hash is stored, so `list` can never show it again. A token made without --plan is
// personal: it covers every plan of the config in which its audience appears, now and later.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "expand/expander.h"
#include "plan/loader.h"
#include "store/feed_tokens.h"
#include "web/page_routes.h"

namespace plancal::cli {

namespace {

struct TokenOptions {
  std::string config;
  std::string plan;
  std::string audience;
  std::string label;
  std::int64_t id = 0;
};

/// The config's plan with this id, to check the audience against its teams and roster.
Plan find_plan_or_exit(const Config& config, const std::string& plan_id) {
  std::vector<std::string> ids;
  for (const auto& path : config.plan_files) {
    PlanLoad load = load_plan_file(path);
    if (!load.plan) continue;
    if (load.plan->id == plan_id) return std::move(*load.plan);
    ids.push_back(load.plan->id);
  }
  fail(fmt::format("no valid plan with id '{}' in {} (plans: {})", plan_id, config.file,
                   ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "))));
}

std::string format_time(std::optional<std::int64_t> unix_seconds) {
  if (!unix_seconds) return "-";
  const std::time_t time = static_cast<std::time_t>(*unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &utc);
  return buffer;
}

/// For a token without --plan: the audience must appear in at least one valid plan of the
/// config today (a plan added later joins the token's feed by itself).
void check_audience_in_some_plan_or_exit(const Config& config, const std::string& audience) {
  std::vector<std::string> ids;
  std::string last_error;
  for (const auto& path : config.plan_files) {
    PlanLoad load = load_plan_file(path);
    if (!load.plan) continue;
    auto parsed = parse_audience(audience, *load.plan);
    if (parsed) return;
    last_error = parsed.error().message;
    ids.push_back(load.plan->id);
  }
  fail(
      fmt::format("audience '{}' appears in no valid plan of {} (plans: {}){}; check the "
                  "spelling, or add --plan for one plan",
                  audience, config.file,
                  ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", ")),
                  last_error.empty() ? "" : ": " + last_error));
}

void run_create(const TokenOptions& options) {
  const Config config = load_config_or_exit(options.config);
  if (options.plan.empty()) {
    check_audience_in_some_plan_or_exit(config, options.audience);
  } else {
    const Plan plan = find_plan_or_exit(config, options.plan);
    if (auto audience = parse_audience(options.audience, plan); !audience) {
      fail(audience.error().message);
    }
  }
  FeedTokens tokens(open_database_or_exit(config));
  auto token =
      tokens.create_token(options.plan, options.audience, options.label, SystemClock().now_unix());
  if (!token) fail(token.error().message);
  const SubscribeLinks links = subscribe_links(config.feeds, token->secret);
  fmt::print("Created feed token {} for {} ({}){}\n", token->info.id,
             options.plan.empty() ? std::string("every plan") : options.plan, token->info.audience,
             options.label.empty() ? "" : ": " + options.label);
  fmt::print("The secret is shown only now; anyone with a link can read the feed.\n");
  fmt::print("secret: {}\n", token->secret);
  // The link's own scheme: http:// when public_url is a plain-HTTP address (a local test).
  const std::string scheme = links.https.substr(0, links.https.find(':') + 1);
  fmt::print("{:<8}{}   (Google Calendar, Outlook on the web)\n", scheme, links.https);
  fmt::print("webcal: {}   (Apple Calendar, Outlook desktop)\n", links.webcal);
  fmt::print("page:   {}{}   (the feed's meetings as a web page, with subscribe buttons)\n",
             config.feeds.public_url, web::personal_page_path(token->secret));
}

void run_list(const TokenOptions& options) {
  const Config config = load_config_or_exit(options.config);
  FeedTokens feed_tokens(open_database_or_exit(config));
  const auto tokens = feed_tokens.tokens();
  if (tokens.empty()) {
    fmt::print("no feed tokens\n");
    return;
  }
  // LAST ACCESS is the feed's last fetch (the column it always was); LAST PAGE ACCESS, added
  // at the end, the page's: together they tell IT who has subscribed and who has looked.
  fmt::print("{:>4}  {:<24} {:<20} {:<20} {:<20} {:<20} {:<20} {}\n", "ID", "PLAN", "AUDIENCE",
             "LABEL", "CREATED", "LAST ACCESS", "REVOKED", "LAST PAGE ACCESS");
  for (const auto& token : tokens) {
    fmt::print("{:>4}  {:<24} {:<20} {:<20} {:<20} {:<20} {:<20} {}\n", token.id,
               token.covers_every_plan() ? std::string("*") : token.plan_id, token.audience,
               token.label.empty() ? "-" : token.label, format_time(token.created_at),
               format_time(token.last_access_at), format_time(token.revoked_at),
               format_time(token.last_page_access_at));
  }
}

void run_revoke(const TokenOptions& options) {
  const Config config = load_config_or_exit(options.config);
  FeedTokens tokens(open_database_or_exit(config));
  if (auto revoked = tokens.revoke_token(options.id, SystemClock().now_unix()); !revoked) {
    fail(revoked.error().message);
  }
  fmt::print("Feed token {} is revoked; its links now answer 404.\n", options.id);
}

void add_config_option(CLI::App& command, TokenOptions& options) {
  command.add_option("--config", options.config, "Daemon config file (YAML)")->required();
}

}  // namespace

void add_feed_command(CLI::App& app) {
  auto options = std::make_shared<TokenOptions>();
  auto* feed = app.add_subcommand("feed", "Manage subscribable ICS feeds");
  feed->require_subcommand(1);
  auto* token = feed->add_subcommand("token", "Create, list and revoke feed tokens");
  token->require_subcommand(1);

  auto* create = token->add_subcommand("create", "Make a feed token and print its subscribe links");
  add_config_option(*create, *options);
  create->add_option("--plan", options->plan,
                     "Plan id; without it the token covers every plan of the config in which "
                     "the audience appears (one personal link)");
  create->add_option("--audience", options->audience, "all, team:KEY, person:ID or role:KEY")
      ->required();
  create->add_option("--label", options->label, "A note saying who the token is for");
  create->callback([options] { run_create(*options); });

  auto* list = token->add_subcommand("list", "List feed tokens (never their secrets)");
  add_config_option(*list, *options);
  list->callback([options] { run_list(*options); });

  auto* revoke = token->add_subcommand("revoke", "Revoke a feed token for good");
  add_config_option(*revoke, *options);
  revoke->add_option("id", options->id, "Token id (see `plancal feed token list`)")->required();
  revoke->callback([options] { run_revoke(*options); });

  add_feed_invite_command(*feed);
}

}  // namespace plancal::cli
