#pragma once
/// A reminder email as plancal sends it, and its RFC 5322 / MIME text.
///
/// Kept apart from the transport so the exact bytes a recipient gets can be tested without a
/// server: UTF-8 subjects and display names as RFC 2047 encoded-words, a multipart/alternative
/// body (text/plain and text/html, both base64 so no line is too long and no boundary or
/// leading dot can appear in them), a Date and a Message-ID that the caller keeps stable
/// across retries, so a receiver can drop the rare duplicate after a crash.

#include <cstdint>
#include <string>
#include <string_view>

namespace plancal::mail {

struct Mailbox {
  std::string name;     ///< display name, any UTF-8; may be empty
  std::string address;  ///< "kari@example.no"
};

struct MailMessage {
  Mailbox from;
  Mailbox to;
  std::string subject;     ///< UTF-8
  std::string text;        ///< the text/plain part, UTF-8, '\n' line ends
  std::string html;        ///< the text/html part, UTF-8
  std::string message_id;  ///< "<id@host>", angle brackets included
  std::int64_t date = 0;   ///< Unix seconds for the Date header
  /// An iMIP calendar (RFC 6047), sent as a third alternative `text/calendar; method=M`;
  /// none when empty. `calendar_method` is the calendar's METHOD ("REQUEST", "CANCEL").
  std::string calendar;
  std::string calendar_method;
};

/// RFC 2047 "B" encoded-words for a header value, or the text itself when it is printable
/// ASCII. Words are at most 75 characters and never split a UTF-8 character.
[[nodiscard]] std::string encode_header_words(std::string_view text);

/// `"Name" <address>` with the name encoded when needed; just the address without a name.
[[nodiscard]] std::string format_mailbox(const Mailbox& mailbox);

/// RFC 5322 date in UTC: "Mon, 08 Jan 2024 08:00:00 +0000".
[[nodiscard]] std::string format_rfc5322_date(std::int64_t unix_seconds);

/// Base64 with CRLF after every 76 characters (RFC 2045 body encoding).
[[nodiscard]] std::string base64_lines(std::string_view bytes);

/// The whole message with CRLF line ends, ready for SMTP DATA.
[[nodiscard]] std::string compose_mime(const MailMessage& message);

}  // namespace plancal::mail
