#include "mail/message.h"

#include <array>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

namespace plancal::mail {

namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kWordSuffix = "?=";
/// An encoded-word may be 75 characters: 12 go to the prefix and suffix, 60 of base64 hold
/// 45 bytes of UTF-8.
constexpr std::size_t kBytesPerWord = 45;
constexpr std::size_t kBase64LineLength = 76;

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16U) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8U) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64Alphabet[(n >> shift) & 63U];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  unsigned n = static_cast<unsigned char>(bytes[i]) << 16U;
  if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8U;
  out += kBase64Alphabet[(n >> 18U) & 63U];
  out += kBase64Alphabet[(n >> 12U) & 63U];
  out += rest == 2 ? kBase64Alphabet[(n >> 6U) & 63U] : '=';
  out += '=';
  return out;
}

bool is_plain_ascii(std::string_view text) {
  if (text.find("=?") != std::string_view::npos) return false;  // would read as a word
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

/// Where a chunk of at most `limit` bytes starting at `from` may end without cutting a
/// UTF-8 character (continuation bytes are 10xxxxxx).
std::size_t chunk_end(std::string_view text, std::size_t from, std::size_t limit) {
  std::size_t end = std::min(text.size(), from + limit);
  while (end < text.size() && end > from &&
         (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  return end;
}

/// Mail uses CRLF; the composer's input uses '\n'.
std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (const char c : text) {
    if (c == '\r') continue;
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

bool needs_quotes(std::string_view name) {
  return name.find_first_of("()<>[]:;@\\,.\"") != std::string_view::npos;
}

/// RFC 5322 quoted-string: a '"' or '\\' inside is escaped as a quoted-pair, so a display
/// name such as `Kari "K" Nordmann` reaches the recipient with its quotes.
std::string quoted_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string part(std::string_view boundary, std::string_view type, std::string_view body) {
  return fmt::format(
      "--{}\r\nContent-Type: {}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
      boundary, type, base64_lines(crlf(body)));
}

/// "=_plancal_" and the Message-ID's letters, digits, '-' and '.' (RFC 2046 bchars).
std::string boundary_for(std::string_view message_id) {
  std::string boundary = "=_plancal_";
  for (const char c : message_id) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.') boundary += c;
    if (c == '@') boundary += '.';
  }
  return boundary.substr(0, 70);
}

}  // namespace

std::string encode_header_words(std::string_view text) {
  if (is_plain_ascii(text)) return std::string(text);
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = chunk_end(text, at, kBytesPerWord);
    if (!out.empty()) out += "\r\n ";  // folded: a space between words is not shown
    out += kWordPrefix;
    out += base64(text.substr(at, end - at));
    out += kWordSuffix;
    at = end;
  }
  return out;
}

std::string format_mailbox(const Mailbox& mailbox) {
  if (mailbox.name.empty()) return "<" + mailbox.address + ">";
  std::string name = encode_header_words(mailbox.name);
  if (name == mailbox.name && needs_quotes(name)) name = quoted_string(name);
  return name + " <" + mailbox.address + ">";
}

std::string format_rfc5322_date(std::int64_t unix_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays.at(tm.tm_wday), tm.tm_mday,
                     kMonths.at(tm.tm_mon), tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string base64_lines(std::string_view bytes) {
  const std::string encoded = base64(bytes);
  std::string out;
  for (std::size_t at = 0; at < encoded.size(); at += kBase64LineLength) {
    out += encoded.substr(at, kBase64LineLength);
    out += "\r\n";
  }
  return out;
}

std::string compose_mime(const MailMessage& message) {
  // The boundary comes from the Message-ID, so the same reminder gives the same bytes; base64
  // bodies never contain "--", so it cannot clash with the content.
  const std::string boundary = boundary_for(message.message_id);
  std::string out;
  out += "From: " + format_mailbox(message.from) + "\r\n";
  out += "To: " + format_mailbox(message.to) + "\r\n";
  out += "Subject: " + encode_header_words(message.subject) + "\r\n";
  out += "Date: " + format_rfc5322_date(message.date) + "\r\n";
  out += "Message-ID: " + message.message_id + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  out += part(boundary, "text/plain", message.text);
  out += part(boundary, "text/html", message.html);
  if (!message.calendar.empty()) {
    // Last: of the alternatives, calendar clients show the richest they understand.
    out += part(boundary, "text/calendar; method=" + message.calendar_method, message.calendar);
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace plancal::mail
