#pragma once
/// Reminder emails in the daemon config: `smtp:` (how mail leaves) and `reminders:` (what is
/// sent when). Without `smtp:` nothing is sent; `plancal reminders preview` still works.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/civil.h"
#include "base/diagnostic.h"
#include "base/secret_file.h"
#include "config/targets.h"
#include "ical/preparation_alarm.h"

namespace plancal {

struct SmtpConfig {
  std::string url;  ///< `smtp.url`: smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT
  std::string username;
  std::optional<SecretSource> password;  ///< read when mail is sent, never kept in the config
  std::string from_address;              ///< `smtp.from`
  std::string from_name = "plancal";     ///< `smtp.from_name`
  bool require_starttls = true;          ///< `smtp.starttls: required|never` (smtp:// only)
  TlsConfig tls;
  int timeout_seconds = 30;
  SourceLocation where;
};

/// How long a sender holds a mail it is sending (invitations, sign-up mails): twice the SMTP
/// time limit, 120 s without `smtp:`. After a crash the next run sends it again once this has
/// passed, so a mail is never lost and never sent by two runs at once.
[[nodiscard]] inline std::int64_t mail_lease_seconds(const std::optional<SmtpConfig>& smtp) {
  constexpr std::int64_t kWithoutSmtp = 120;
  return smtp ? 2 * std::int64_t{smtp->timeout_seconds} : kWithoutSmtp;
}

struct RemindersConfig {
  std::vector<int> leader_lead_days{7, 1};     ///< `reminders.leader_lead_days`
  std::vector<int> deadline_lead_days{14, 2};  ///< `reminders.deadline_lead_days`
  int send_window_hours = 12;  ///< never send more than this long after the due time
  bool participant_email = false;
  int participant_lead_days = 1;
  TimeOfDay deadline_time{8, 0};  ///< `reminders.deadline_time`: when deadline reminders go
  /// `reminders.message_id_domain`; default the domain of smtp.from, else "plancal.invalid".
  std::string message_id_domain;
};

}  // namespace plancal
