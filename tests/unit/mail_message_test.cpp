// MIME composition: RFC 2047 encoded-words, RFC 5322 dates, multipart/alternative bodies.
// (The integration tests parse whole messages with Python's email package as well.)

#include <gtest/gtest.h>

#include <curl/curl.h>

#include <string>
#include <vector>

#include "mail/message.h"
#include "mail/smtp_sender.h"

namespace plancal::mail {
namespace {

/// Decodes base64 (test helper; no padding errors expected).
std::string unbase64(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const auto at = kAlphabet.find(c);
    if (at == std::string::npos) continue;
    buffer = (buffer << 6U) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
    }
  }
  return out;
}

std::vector<std::string> words_of(const std::string& header) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while ((at = header.find("=?UTF-8?B?", at)) != std::string::npos) {
    const auto end = header.find("?=", at + 10);
    words.push_back(header.substr(at, end + 2 - at));
    at = end + 2;
  }
  return words;
}

bool valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int length = c < 0x80 ? 1 : (c >> 5U) == 6 ? 2 : (c >> 4U) == 14 ? 3 : 4;
    if (i + static_cast<std::size_t>(length) > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0U) != 0x80U) return false;
    }
    i += static_cast<std::size_t>(length);
  }
  return true;
}

TEST(MailMessageTest, PlainAsciiHeadersStayAsTheyAre) {
  EXPECT_EQ(encode_header_words("Reminder: meeting 3"), "Reminder: meeting 3");
  EXPECT_EQ(format_mailbox({"", "kari@example.no"}), "<kari@example.no>");
  EXPECT_EQ(format_mailbox({"Kari Nordmann", "kari@example.no"}),
            "Kari Nordmann <kari@example.no>");
  // Quotes and backslashes inside a quoted display name are escaped (RFC 5322 quoted-pair).
  EXPECT_EQ(format_mailbox({R"(Kari "K" <b>N</b>)", "k@example.no"}),
            R"("Kari \"K\" <b>N</b>" <k@example.no>)");
  EXPECT_EQ(format_mailbox({"Nordmann, Kari", "k@example.no"}),
            "\"Nordmann, Kari\" <k@example.no>");
}

TEST(MailMessageTest, NorwegianSubjectIsEncodedInWordsThatNeverSplitACharacter) {
  const std::string subject =
      "Påminnelse: Mandagsseminar 1: En dag på Milepælen – mandag 8. januar 2024 – "
      "Ærlig, øvet og åpen";
  const std::string header = encode_header_words(subject);
  const auto words = words_of(header);
  ASSERT_GE(words.size(), 2U) << header;
  std::string decoded;
  for (const auto& word : words) {
    EXPECT_LE(word.size(), 75U) << word;
    const std::string piece = unbase64(word.substr(10, word.size() - 12));
    EXPECT_TRUE(valid_utf8(piece)) << "a word cut a UTF-8 character: " << word;
    decoded += piece;
  }
  EXPECT_EQ(decoded, subject);
  EXPECT_EQ(header.find('\n'), header.find("\r\n ") + 1) << "folded with CRLF SP";
}

TEST(MailMessageTest, DisplayNameWithNonAsciiLettersIsEncoded) {
  const std::string mailbox = format_mailbox({"Bjørn Ås", "bjorn@example.no"});
  EXPECT_EQ(mailbox.rfind("=?UTF-8?B?", 0), 0U) << mailbox;
  EXPECT_NE(mailbox.find("?= <bjorn@example.no>"), std::string::npos) << mailbox;
}

TEST(MailMessageTest, DatesAreRfc5322InUtc) {
  EXPECT_EQ(format_rfc5322_date(1704700800), "Mon, 08 Jan 2024 08:00:00 +0000");
  EXPECT_EQ(format_rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(MailMessageTest, ComposesMultipartAlternativeWithCrlfAndShortBase64Lines) {
  MailMessage message;
  message.from = {"plancal", "plancal@example.no"};
  message.to = {"Ingrid Haug", "ingrid.haug@example.no"};
  message.subject = "Påminnelse";
  message.text = "Hei Ingrid,\n\nDisse er satt opp.\n";
  message.html = "<p>Hei Ingrid,</p>\n";
  message.message_id = "<leader-abc@example.no>";
  message.date = 1704700800;
  const std::string mime = compose_mime(message);

  EXPECT_NE(mime.find("Message-ID: <leader-abc@example.no>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Date: Mon, 08 Jan 2024 08:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mime.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: multipart/alternative;\r\n boundary="), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(mime.find("Subject: =?UTF-8?B?"), std::string::npos);
  for (std::size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
    }
  }
  std::size_t line_start = 0;
  for (std::size_t end; (end = mime.find("\r\n", line_start)) != std::string::npos;
       line_start = end + 2) {
    EXPECT_LE(end - line_start, 78U) << mime.substr(line_start, end - line_start);
  }
  EXPECT_EQ(compose_mime(message), mime) << "the same reminder gives the same bytes";
}

TEST(MailMessageTest, Base64BodyRoundTrips) {
  const std::string text = "Forberedelser:\r\n- Lese institusjonsplanen før møtet\r\n";
  EXPECT_EQ(unbase64(base64_lines(text)), text);
}

TEST(SmtpFailureTest, ClassifiesByReplyCodeAndCurlResult) {
  EXPECT_EQ(classify_failure(CURLE_SEND_ERROR, 550), FailureKind::Permanent);
  EXPECT_EQ(classify_failure(CURLE_WEIRD_SERVER_REPLY, 554), FailureKind::Permanent);
  EXPECT_EQ(classify_failure(CURLE_SEND_ERROR, 451), FailureKind::Temporary);
  EXPECT_EQ(classify_failure(CURLE_RECV_ERROR, 421), FailureKind::Temporary);
  EXPECT_EQ(classify_failure(CURLE_COULDNT_CONNECT, 0), FailureKind::Temporary);
  EXPECT_EQ(classify_failure(CURLE_OPERATION_TIMEDOUT, 0), FailureKind::Temporary);
  EXPECT_EQ(classify_failure(CURLE_PEER_FAILED_VERIFICATION, 0), FailureKind::Tls);
  EXPECT_EQ(classify_failure(CURLE_USE_SSL_FAILED, 0), FailureKind::Tls);
  EXPECT_EQ(classify_failure(CURLE_LOGIN_DENIED, 535), FailureKind::Auth);
}

}  // namespace
}  // namespace plancal::mail
