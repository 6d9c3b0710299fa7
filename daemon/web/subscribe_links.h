#pragma once
/// The links behind the subscribe buttons: one feed, reached the way each calendar client
/// wants it. Each client's link format is written down in subscribe_links.cpp with where it
/// comes from; none of them is an official, documented API, so each is tested exactly.

#include <string>
#include <string_view>

namespace plancal::web {

struct SubscribeLinks {
  std::string feed;            ///< the feed itself, http(s)://…/feeds/<token>.ics ("last ned")
  std::string webcal;          ///< webcal://…: Apple Calendar, Outlook desktop, iPhone
  std::string google;          ///< Google Calendar's add-by-URL link
  std::string outlook_office;  ///< Outlook on the web, work or school (Microsoft 365) accounts
  std::string outlook_live;    ///< Outlook.com, personal Microsoft accounts
  std::string download_name;   ///< file name for "last ned én gang": "Mandagsseminar 2024.ics"
};

/// The links for the feed at `feed_url` (an absolute http:// or https:// URL), which calendar
/// clients will show under `calendar_name`.
[[nodiscard]] SubscribeLinks subscribe_links(std::string_view feed_url,
                                             std::string_view calendar_name);

/// `text` percent-encoded for a URL query value: everything but the RFC 3986 unreserved
/// characters (A–Z a–z 0–9 - . _ ~) becomes %XX of its UTF-8 bytes, so a space is %20.
[[nodiscard]] std::string percent_encode_query_value(std::string_view text);

/// `url` when it is an absolute http:// or https:// URL that can stand in an href, else empty:
/// a plan's meeting link must never become a javascript: or data: link on a page.
[[nodiscard]] std::string web_link_or_empty(std::string_view url);

}  // namespace plancal::web
