#include "smtp_sink_process.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace plancal::testing {

namespace {

using namespace std::chrono_literals;

std::filesystem::path script(const std::string& name) {
  return source_dir() / "tests" / "integration" / name;
}

void make_certificate(const std::filesystem::path& dir) {
  const auto result =
      run_process({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                   "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                   "-keyout", (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()});
  if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.err);
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) {
  std::filesystem::create_directories(dir_.path() / "mail");
  dir_.write("smtp.pass", password() + "\n");
  chmod(password_file().c_str(), 0600);
  if (options.starttls) make_certificate(dir_.path());
  std::string last_log;
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_loopback_port();
    std::vector<std::string> argv = {kDebianPython, script("smtp_sink.py").string(),
                                     "--port",      std::to_string(port_),
                                     "--dir",       (dir_.path() / "mail").string(),
                                     "--control",   (dir_.path() / "reply").string(),
                                     "--delay-ms",  std::to_string(options.delay_ms)};
    if (options.starttls) {
      for (const auto& a : {std::string("--cert"), certificate().string(), std::string("--key"),
                            (dir_.path() / "key.pem").string()}) {
        argv.push_back(a);
      }
    }
    if (!options.user.empty()) {
      for (const auto& a : {std::string("--user"), options.user, std::string("--password-file"),
                            password_file().string()}) {
        argv.push_back(a);
      }
    }
    process_ = std::make_unique<ServerProcess>(argv, dir_.path() / "sink.log");
    if (wait_for_port(port_, *process_, 30s)) return;
    last_log = log();
    process_.reset();
  }
  throw std::runtime_error("the SMTP sink did not come up:\n" + last_log);
}

SmtpSink::~SmtpSink() = default;

void SmtpSink::reply_with(const std::string& mode) const { dir_.write("reply", mode + "\n"); }

nlohmann::json SmtpSink::messages() const {
  const auto result = run_process(
      {kDebianPython, script("smtp_mailbox.py").string(), (dir_.path() / "mail").string()});
  if (result.exit_code != 0) throw std::runtime_error("smtp_mailbox.py failed: " + result.err);
  return nlohmann::json::parse(result.out);
}

std::size_t SmtpSink::count() const {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "mail")) {
    if (entry.path().extension() == ".json") ++n;
  }
  return n;
}

std::string SmtpSink::logins() const {
  const auto path = dir_.path() / "mail" / "auth.log";
  return std::filesystem::exists(path) ? read_file(path) : std::string();
}

std::string SmtpSink::log() const { return read_file(dir_.path() / "sink.log"); }

}  // namespace plancal::testing
