#pragma once
/// SmtpSender: MailSender over libcurl's SMTP support.
///
/// smtp://HOST:PORT upgrades with STARTTLS (required by default: a password or a reminder
/// never crosses the network in clear text unless the config says `starttls: never`);
/// smtps://HOST:PORT uses implicit TLS. The password comes in as a Secret and goes only to
/// CURLOPT_PASSWORD; libcurl's verbose output stays off so no AUTH line reaches a log.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/secret.h"
#include "mail/sender.h"

namespace plancal::mail {

struct SmtpOptions {
  std::string url;  ///< smtp://host:port or smtps://host:port
  std::string username;
  std::optional<Secret> password;
  bool require_starttls = true;  ///< smtp:// only: refuse to go on without STARTTLS
  std::string ca_file;           ///< extra trust anchors (PEM); empty: system CAs
  bool insecure_skip_verify = false;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{60};  ///< per message
};

class SmtpSender final : public MailSender {
 public:
  /// Throws std::runtime_error when libcurl cannot be initialised (a start-up failure).
  explicit SmtpSender(SmtpOptions options);
  ~SmtpSender() override;
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  [[nodiscard]] SendResult send(const MailMessage& message) override;

 private:
  struct Handle;  // RAII CURL*, kept between messages so the connection is reused
  SmtpOptions options_;
  std::unique_ptr<Handle> handle_;
};

/// Sorts a libcurl result and the server's last reply code into a FailureKind (exposed for
/// tests): 5xx permanent, 4xx and network trouble temporary, certificates TLS.
[[nodiscard]] FailureKind classify_failure(int curl_code, int smtp_code);

}  // namespace plancal::mail
