#pragma once
/// A real SMTP server for the reminder tests: tests/integration/smtp_sink.py on Debian's
/// aiosmtpd, started on a free loopback port and stopped when the handle goes away. Tests
/// read what it received through smtp_mailbox.py, i.e. Python's email package, a MIME parser
/// nobody here wrote.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {

struct SmtpSinkOptions {
  bool starttls = false;  ///< offer (and require) STARTTLS with a certificate made by openssl
  std::string user;       ///< require AUTH as this user (password: password())
  int delay_ms = 0;       ///< wait this long in DATA before answering (crash tests)
};

class SmtpSink {
 public:
  explicit SmtpSink(SmtpSinkOptions options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  /// The certificate the server presents (a PEM usable as ca_file), when starttls.
  [[nodiscard]] std::filesystem::path certificate() const { return dir_.path() / "cert.pem"; }
  /// The AUTH password, also in password_file() with mode 0600.
  [[nodiscard]] static std::string password() { return "Hemmelig-SMTP-passord-4711"; }
  [[nodiscard]] std::filesystem::path password_file() const { return dir_.path() / "smtp.pass"; }

  /// How the server answers DATA from now on: "ok", "421", "451" or "550".
  void reply_with(const std::string& mode) const;
  /// Every message received, parsed by Python's email package (smtp_mailbox.py).
  [[nodiscard]] nlohmann::json messages() const;
  /// Messages received so far (files in the mailbox).
  [[nodiscard]] std::size_t count() const;
  /// User names that logged in (AUTH), one per line.
  [[nodiscard]] std::string logins() const;
  [[nodiscard]] std::string log() const;
  /// The folder messages are stored in (one JSON file each), for scripts that read mail.
  [[nodiscard]] std::filesystem::path mailbox() const { return dir_.path() / "mail"; }

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<ServerProcess> process_;
};

}  // namespace plancal::testing
