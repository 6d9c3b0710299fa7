#include "mail/smtp_sender.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <mutex>
#include <stdexcept>

#include "http/curl_errors.h"
#include "http/curl_handles.h"

namespace plancal::mail {

namespace {

template <class T>
void set(CURL* curl, CURLoption option, T value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) {
    throw std::logic_error("curl_easy_setopt failed for SMTP option " + std::to_string(option));
  }
}

/// Feeds the message to libcurl's upload.
struct Upload {
  const std::string* data = nullptr;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t left = upload->data->size() - upload->offset;
  const std::size_t n = std::min(left, size * count);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

std::string describe_failure(CURLcode code, long smtp_code, const char* detail) {
  std::string text = curl_easy_strerror(code);
  if (detail != nullptr && *detail != '\0') text += std::string(": ") + detail;
  if (smtp_code > 0) text += " (server replied " + std::to_string(smtp_code) + ")";
  if (code == CURLE_USE_SSL_FAILED) {
    text +=
        "; the server does not offer STARTTLS (set smtp.starttls: never only for a trusted "
        "local relay)";
  } else if (http::is_tls_error(code)) {
    text += "; check smtp.tls.ca_file and the server's certificate";
  }
  return text;
}

}  // namespace

const char* failure_kind_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::Temporary:
      return "temporary";
    case FailureKind::Permanent:
      return "permanent";
    case FailureKind::Tls:
      return "tls";
    case FailureKind::Auth:
      return "auth";
  }
  return "temporary";
}

FailureKind classify_failure(int curl_code, int smtp_code) {
  const auto code = static_cast<CURLcode>(curl_code);
  if (http::is_tls_error(code)) return FailureKind::Tls;
  if (code == CURLE_LOGIN_DENIED || smtp_code == 535 || smtp_code == 530) return FailureKind::Auth;
  if (smtp_code >= 500 && smtp_code <= 599) return FailureKind::Permanent;
  return FailureKind::Temporary;
}

struct SmtpSender::Handle {
  http::CurlEasy curl;
};

SmtpSender::SmtpSender(SmtpOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
  http::curl_global_init_once();
  handle_->curl.reset(curl_easy_init());
  if (!handle_->curl) throw std::runtime_error("curl_easy_init failed");
  if (options_.insecure_skip_verify) {
    spdlog::warn("smtp: TLS certificate verification is OFF (insecure_skip_verify)");
  }
  if (!options_.require_starttls && options_.url.rfind("smtp://", 0) == 0) {
    spdlog::warn("smtp: {} without STARTTLS: mail crosses the network unencrypted", options_.url);
  }
}

SmtpSender::~SmtpSender() = default;

SendResult SmtpSender::send(const MailMessage& message) {
  CURL* curl = handle_->curl.get();
  curl_easy_reset(curl);  // keeps the live connection for the next message
  const std::string body = compose_mime(message);
  Upload upload{&body, 0};
  const std::string from = "<" + message.from.address + ">";
  http::CurlSlist recipients(curl_slist_append(nullptr, ("<" + message.to.address + ">").c_str()));
  char error_buffer[CURL_ERROR_SIZE] = {};

  set(curl, CURLOPT_URL, options_.url.c_str());
  set(curl, CURLOPT_VERBOSE, 0L);  // verbose output would show the AUTH exchange
  set(curl, CURLOPT_NOSIGNAL, 1L);
  set(curl, CURLOPT_ERRORBUFFER, error_buffer);
  set(curl, CURLOPT_MAIL_FROM, from.c_str());
  set(curl, CURLOPT_MAIL_RCPT, recipients.get());
  set(curl, CURLOPT_UPLOAD, 1L);
  set(curl, CURLOPT_READFUNCTION, read_upload);
  set(curl, CURLOPT_READDATA, &upload);
  set(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
  set(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  set(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.total_timeout.count()));
  set(curl, CURLOPT_USE_SSL, options_.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE);
  if (!options_.ca_file.empty()) set(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (options_.insecure_skip_verify) {
    set(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    set(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options_.username.empty()) set(curl, CURLOPT_USERNAME, options_.username.c_str());
  if (options_.password) set(curl, CURLOPT_PASSWORD, options_.password->reveal().c_str());

  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) return Ok{};
  long smtp_code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &smtp_code);
  return SendError{classify_failure(code, static_cast<int>(smtp_code)), static_cast<int>(smtp_code),
                   describe_failure(code, smtp_code, error_buffer)};
}

}  // namespace plancal::mail
