#include "caldav/requests.h"

#include <stdexcept>

#include "caldav/xml.h"

namespace plancal::caldav {

namespace {

constexpr std::string_view kNamespaces =
    R"( xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/")";

std::string_view prefix_for(std::string_view ns) {
  if (ns == xml::kDav) return "d";
  if (ns == xml::kCalDav) return "c";
  if (ns == xml::kCalendarServer) return "cs";
  throw std::logic_error("no prefix declared for namespace " + std::string(ns));
}

std::string header(std::string_view root) {
  return std::string(R"(<?xml version="1.0" encoding="utf-8"?>)") + "\n<" + std::string(root) +
         std::string(kNamespaces) + ">";
}

}  // namespace

std::string propfind_body(const std::vector<PropName>& props) {
  std::string body = header("d:propfind") + "<d:prop>";
  for (const auto& prop : props) {
    body += '<';
    body += prefix_for(prop.ns);
    body += ':';
    body += prop.local;
    body += "/>";
  }
  return body + "</d:prop></d:propfind>\n";
}

std::string sync_collection_body(std::string_view token) {
  std::string body = header("d:sync-collection");
  body +=
      token.empty() ? "<d:sync-token/>" : "<d:sync-token>" + xml::escape(token) + "</d:sync-token>";
  return body + "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>\n";
}

std::string multiget_body(const std::vector<std::string>& hrefs) {
  std::string body =
      header("c:calendar-multiget") + "<d:prop><d:getetag/><c:calendar-data/></d:prop>";
  for (const auto& href : hrefs) body += "<d:href>" + xml::escape(href) + "</d:href>";
  return body + "</c:calendar-multiget>\n";
}

std::string uid_query_body(std::string_view uid) {
  return header("c:calendar-query") +
         "<d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name=\"VCALENDAR\">"
         "<c:comp-filter name=\"VEVENT\"><c:prop-filter name=\"UID\">"
         "<c:text-match collation=\"i;octet\">" +
         xml::escape(uid) +
         "</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter>"
         "</c:calendar-query>\n";
}

std::string mkcalendar_body(std::string_view display_name) {
  return header("c:mkcalendar") + "<d:set><d:prop><d:displayname>" + xml::escape(display_name) +
         "</d:displayname><c:supported-calendar-component-set><c:comp name=\"VEVENT\"/>"
         "</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>\n";
}

}  // namespace plancal::caldav
