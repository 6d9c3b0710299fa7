#include "config/mail.h"

#include "config/sections.h"

namespace plancal::config_detail {

namespace {

using nlohmann::json;

std::vector<int> read_days(const json& section, const std::string& key, std::vector<int> fallback) {
  if (!section.contains(key)) return fallback;
  return section.at(key).get<std::vector<int>>();
}

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

SmtpConfig read_smtp(const MarkedJson& doc, const std::filesystem::path& base_dir,
                     Diagnostics& diagnostics) {
  const json& section = doc.json.at("smtp");
  SmtpConfig smtp;
  smtp.where = doc.where("/smtp");
  smtp.url = section.at("url").get<std::string>();
  smtp.username = section.value("username", "");
  smtp.password = read_secret_source(section, "password", base_dir);
  smtp.from_address = section.at("from").get<std::string>();
  smtp.from_name = section.value("from_name", smtp.from_name);
  smtp.require_starttls = section.value("starttls", "required") == "required";
  smtp.tls = read_tls(section, base_dir);
  smtp.timeout_seconds = section.value("timeout_seconds", smtp.timeout_seconds);
  if (smtp.password && smtp.username.empty()) {
    diagnostics.error(doc.where("/smtp/password"), "smtp has a password but no username",
                      "add \"username:\" next to \"password:\"");
  }
  return smtp;
}

/// `reminders.alarm` -> config.feeds.preparation_alarm (the VALARM lives in feed events).
void read_alarm(const MarkedJson& doc, Config& config, Diagnostics& diagnostics) {
  if (!doc.json.contains("reminders") || !doc.json.at("reminders").contains("alarm")) return;
  const json& section = doc.json.at("reminders").at("alarm");
  if (!section.value("enabled", true)) {
    config.feeds.preparation_alarm.reset();
    return;
  }
  PreparationAlarm alarm;
  alarm.days_before = section.value("days_before", alarm.days_before);
  alarm.absolute = section.value("trigger", "relative") == "absolute";
  if (section.contains("time")) {
    const auto time = parse_time_of_day(section.at("time").get<std::string>());
    if (!time) {
      diagnostics.error(doc.where("/reminders/alarm/time"), "time is not a time of day",
                        "write it as \"18:00\"");
    } else {
      alarm.at = *time;
    }
  }
  config.feeds.preparation_alarm = alarm;
}

void read_reminders(const MarkedJson& doc, Config& config, Diagnostics& diagnostics) {
  RemindersConfig& reminders = config.reminders;
  const json section = doc.json.value("reminders", json::object());
  reminders.leader_lead_days = read_days(section, "leader_lead_days", reminders.leader_lead_days);
  reminders.deadline_lead_days =
      read_days(section, "deadline_lead_days", reminders.deadline_lead_days);
  reminders.send_window_hours = section.value("send_window_hours", reminders.send_window_hours);
  reminders.participant_email = section.value("participant_email", reminders.participant_email);
  reminders.participant_lead_days =
      section.value("participant_lead_days", reminders.participant_lead_days);
  if (section.contains("deadline_time")) {
    const auto time = parse_time_of_day(section.at("deadline_time").get<std::string>());
    if (!time) {
      diagnostics.error(doc.where("/reminders/deadline_time"), "deadline_time is not a time of day",
                        "write it as \"08:00\"");
    } else {
      reminders.deadline_time = *time;
    }
  }
  reminders.message_id_domain = section.value("message_id_domain", "");
  if (reminders.message_id_domain.empty() && config.smtp) {
    reminders.message_id_domain = domain_of(config.smtp->from_address);
  }
  if (reminders.message_id_domain.empty()) reminders.message_id_domain = "plancal.invalid";
}

}  // namespace

void read_mail(const MarkedJson& doc, const std::filesystem::path& base_dir, Config& config,
               Diagnostics& diagnostics) {
  if (doc.json.contains("smtp")) config.smtp = read_smtp(doc, base_dir, diagnostics);
  read_reminders(doc, config, diagnostics);
  read_alarm(doc, config, diagnostics);
}

}  // namespace plancal::config_detail
