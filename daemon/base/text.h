#pragma once
/// Small text helpers shared by the protocol layers (HTTP headers, XML text, CSV fields).

#include <string>
#include <string_view>

namespace plancal {

/// `text` without leading and trailing spaces, tabs, CR and LF.
[[nodiscard]] std::string_view trim(std::string_view text);

/// ASCII case-insensitive equality, for header names, tokens and keywords.
[[nodiscard]] bool equals_ignoring_case(std::string_view a, std::string_view b);

/// Escapes &, <, >, " and ' for XML or HTML element text and attribute values. `apostrophe`
/// is what ' becomes: "&apos;" in XML, "&#39;" in HTML, or "'" where it needs no escape.
[[nodiscard]] std::string escape_markup(std::string_view text, std::string_view apostrophe);

}  // namespace plancal
