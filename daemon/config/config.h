#pragma once
/// The daemon config (YAML, schemas/config.schema.json): which plans to publish, where the
/// state database is, and how feeds are served.
///
/// Like plan files, it is checked against its JSON Schema with every error at FILE:LINE:COL,
/// and nothing partial is used: `config` is set only when there is no error. Keys that are
/// absent take the defaults below, so a minimal config is one line (`plans: [...]`).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "config/daemon_settings.h"
#include "config/mail.h"
#include "config/targets.h"

namespace plancal {

/// Where the database lives when the config does not say (relative to the working directory).
inline constexpr std::string_view kDefaultDatabasePath = "./var/plancal.db";

struct FeedConfig {
  std::string listen = "127.0.0.1:8080";  ///< `feeds.listen`, HOST:PORT ([::1]:PORT for IPv6)
  std::string listen_host = "127.0.0.1";  ///< from `listen`, without brackets
  int listen_port = 8080;                 ///< from `listen`
  /// `feeds.public_url` without a trailing '/': the base of subscribe links;
  /// default "http://" + listen.
  std::string public_url = "http://127.0.0.1:8080";
  int refresh_minutes = 60;     ///< `feeds.refresh_minutes`: REFRESH-INTERVAL, X-PUBLISHED-TTL
  int keep_cancelled_days = 0;  ///< `feeds.keep_cancelled_days`: 0 = removed events leave feeds
  /// From `reminders.alarm`: the participants' preparation VALARM in feed events; unset
  /// when `reminders.alarm.enabled: false`.
  std::optional<PreparationAlarm> preparation_alarm = PreparationAlarm{};
};

/// `attendance:`: attendance registers are personal data, kept only this long; who signs in
/// to register attendance on the web besides the roster's leaders; when leaders are reminded.
struct AttendanceConfig {
  int retention_years = 5;  ///< `attendance.retention_years`: older registers are deleted
  /// `attendance.admins`: email addresses (lower case) that may sign in and see everyone.
  std::vector<std::string> admins;
  int session_idle_hours = 8;  ///< `attendance.session_idle_hours`: a session ends after
  /// `attendance.reminder_after_hours`: a leader whose register for a day is still
  /// incomplete this long after its meetings ended gets one email. Unset: none (a programme
  /// that keeps its registers on paper is not reminded of the web's).
  std::optional<int> reminder_after_hours;
};

/// `signup:`: the public sign-up pages (web/signup_page.h).
struct SignupConfig {
  int posts_per_window = 20;  ///< `signup.rate_limit.posts`, per client address
  int window_minutes = 10;    ///< `signup.rate_limit.window_minutes`
};

struct Config {
  std::string file;                     ///< the config file itself
  std::vector<std::string> plan_files;  ///< `plans` then `plan_dir`'s *.yaml/*.yml (sorted)
  std::string plan_dir;  ///< `plan_dir`, resolved; "" when absent (daemon watches it)
  std::string database;  ///< `database`, resolved; default ./var/plancal.db
  FeedConfig feeds;
  std::vector<TargetConfig> targets;  ///< `targets`: CalDAV calendars to push to
  std::optional<SmtpConfig> smtp;     ///< `smtp`: how reminder emails leave; none = not sent
  RemindersConfig reminders;          ///< `reminders`: what is sent when
  DaemonSettings daemon;              ///< `daemon`: timers of `plancal daemon`
  AttendanceConfig attendance;        ///< `attendance`: retention of registers
  SignupConfig signup;                ///< `signup`: the sign-up pages' rate limit
  /// Finds a target by name; nullptr when there is none.
  [[nodiscard]] const TargetConfig* find_target(std::string_view name) const;
};

struct [[nodiscard]] ConfigLoad {
  std::optional<Config> config;  ///< set only when there is no error
  Diagnostics diagnostics;
};

/// Reads and checks the config file; relative paths in it are resolved against its folder.
ConfigLoad load_config(const std::string& path);

/// Same, from text; `file_name` is used in diagnostics and its folder resolves paths.
ConfigLoad load_config_text(std::string_view text, const std::string& file_name);

/// schemas/config.schema.json, embedded at build time.
[[nodiscard]] std::string_view config_schema_json();

/// Subscribe links for a token secret: `<public_url>/feeds/<secret>.ics` and the same with
/// webcal:// (Apple Calendar, Outlook desktop), in that order.
struct SubscribeLinks {
  std::string https;  ///< http:// or https://, as public_url says
  std::string webcal;
};
[[nodiscard]] SubscribeLinks subscribe_links(const FeedConfig& feeds, std::string_view secret);

}  // namespace plancal
