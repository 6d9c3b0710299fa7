#include "web/subscribe_links.h"

#include <array>

#include "base/text.h"

namespace plancal::web {

namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

/// "webcal://host/path" for "https://host/path" or "http://host/path".
std::string webcal_of(std::string_view feed_url) {
  const auto scheme_end = feed_url.find("://");
  if (scheme_end == std::string_view::npos) return "webcal://" + std::string(feed_url);
  return "webcal" + std::string(feed_url.substr(scheme_end));
}

/// A file name without characters that file systems or Content-Disposition trip over.
std::string file_name_for(std::string_view calendar_name) {
  std::string name;
  for (const char c : calendar_name) {
    const bool awkward = c == '/' || c == '\\' || c == ':' || c == '"' || c == '*' || c == '?' ||
                         c == '<' || c == '>' || c == '|' || static_cast<unsigned char>(c) < 0x20;
    name += awkward ? '-' : c;
  }
  if (trim(name).empty()) name = "kalender";
  return std::string(trim(name)) + ".ics";
}

}  // namespace

std::string percent_encode_query_value(std::string_view text) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte)) {
      out += c;
    } else {
      out += '%';
      out += kHex.at(byte >> 4U);
      out += kHex.at(byte & 0x0FU);
    }
  }
  return out;
}

std::string web_link_or_empty(std::string_view url) {
  const std::string_view trimmed = trim(url);
  const auto starts_with_ignoring_case = [&](std::string_view prefix) {
    return trimmed.size() > prefix.size() &&
           equals_ignoring_case(trimmed.substr(0, prefix.size()), prefix);
  };
  if (!starts_with_ignoring_case("https://") && !starts_with_ignoring_case("http://")) return {};
  for (const char c : trimmed) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>') return {};
  }
  return std::string(trimmed);
}

SubscribeLinks subscribe_links(std::string_view feed_url, std::string_view calendar_name) {
  SubscribeLinks links;
  links.feed = std::string(feed_url);
  // webcal:// is the feed URL with the webcal scheme: the de-facto scheme that hands a feed to
  // the system's calendar (Apple Calendar, iOS, Outlook for Windows and Mac register for it).
  links.webcal = webcal_of(feed_url);
  // Google Calendar has no documented subscribe link. Its calendar page takes `cid`, and for
  // a feed the webcal:// form, percent-encoded, is what works: with https:// in `cid` Google
  // answers "This email address isn't associated with an active Google Calendar account"
  // (github.com/calagator/calagator issue 556, 2018; add2cal/add-to-calendar-button issue 252,
  // 2022; simonw/til "google-calendar-ics-subscribe-link"). Google then asks to confirm.
  links.google =
      "https://calendar.google.com/calendar/render?cid=" + percent_encode_query_value(links.webcal);
  // Outlook on the web's "Subscribe from web" dialog, opened pre-filled by
  // /calendar/0/addfromweb?url=<https feed>&name=<calendar name>: outlook.office.com for work
  // and school (Microsoft 365) accounts, outlook.live.com for personal ones. Undocumented by
  // Microsoft; the form used by public subscribe buttons (e.g. the Outlook links of
  // add-to-calendar generators on GitHub). Outlook on the web wants http(s), not webcal.
  const std::string query = "url=" + percent_encode_query_value(feed_url) +
                            "&name=" + percent_encode_query_value(calendar_name);
  links.outlook_office = "https://outlook.office.com/calendar/0/addfromweb?" + query;
  links.outlook_live = "https://outlook.live.com/calendar/0/addfromweb?" + query;
  links.download_name = file_name_for(calendar_name);
  return links;
}

}  // namespace plancal::web
