#pragma once
/// Namespace-aware XML for WebDAV/CalDAV, parsed with libxml2 into plain value trees.
///
/// Servers choose their own prefixes (Radicale writes "D:" and "C:", Xandikos generated ones
/// like "ns0:"), and a default namespace may replace them altogether, so an element is only
/// ever identified by its namespace URI and local name — never by the prefix in the text.
/// Copying the parsed document into value types keeps libxml2 (and its memory management)
/// inside xml.cpp: callers get ordinary, copyable structs with no lifetime rules.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace plancal::caldav::xml {

inline constexpr std::string_view kDav = "DAV:";
inline constexpr std::string_view kCalDav = "urn:ietf:params:xml:ns:caldav";
inline constexpr std::string_view kCalendarServer = "http://calendarserver.org/ns/";
inline constexpr std::string_view kAppleIcal = "http://apple.com/ns/ical/";

/// An element: qualified name, its own text (CDATA included, children's text excluded),
/// attributes by local name, and child elements in document order.
struct Node {
  std::string ns;     ///< namespace URI; empty for no namespace
  std::string local;  ///< local name
  std::string text;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<Node> children;

  [[nodiscard]] bool is(std::string_view ns_uri, std::string_view local_name) const {
    return ns == ns_uri && local == local_name;
  }
  /// The first child with that name, or nullptr.
  [[nodiscard]] const Node* child(std::string_view ns_uri, std::string_view local_name) const;
  [[nodiscard]] std::vector<const Node*> children_named(std::string_view ns_uri,
                                                        std::string_view local_name) const;
  /// The value of an attribute without namespace, or empty.
  [[nodiscard]] std::string_view attribute(std::string_view local_name) const;
  /// The text of the first such child, trimmed of surrounding white space; empty if absent.
  [[nodiscard]] std::string child_text(std::string_view ns_uri, std::string_view local_name) const;
};

/// Parses a document. Network access, DTD loading and entity expansion are disabled: a
/// server's answer must not make us fetch URLs or expand entity bombs.
[[nodiscard]] Result<Node> parse(std::string_view document);

/// Escapes &, <, >, " and ' for element text and attribute values.
[[nodiscard]] std::string escape(std::string_view text);

}  // namespace plancal::caldav::xml
