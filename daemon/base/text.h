#pragma once
/// Small text helpers shared by the protocol layers (HTTP headers, XML text, CSV fields) and
/// by every message that repeats what a user wrote.

#include <cstddef>
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

/// How many characters of a user's text a message repeats before it cuts the text short.
inline constexpr std::size_t kShownCharacters = 40;

/// `text` as a message repeats it: on one line and at most `max_characters` characters long
/// (then "…"). Control characters, line and paragraph separators (U+2028, U+0085), spaces
/// other than ' ', and invisible or direction-changing marks are escaped as \n, \t or \u{2028},
/// a backslash as \\, and bytes that are not UTF-8 as \xFF, so a stray quote in a CSV file or
/// a multi-line YAML key cannot pour the rest of a file into a log line or make it lie.
[[nodiscard]] std::string shown_text(std::string_view text,
                                     std::size_t max_characters = kShownCharacters);

/// shown_text() in double quotes, with a '"' inside escaped: what every message that quotes
/// user text uses ("unknown team \"B\"").
[[nodiscard]] std::string quoted_text(std::string_view text,
                                      std::size_t max_characters = kShownCharacters);

/// The number of characters (Unicode code points) in UTF-8 `text`; a byte that is not part
/// of a valid sequence counts as one. The unit JSON Schema's maxLength counts in.
[[nodiscard]] std::size_t character_count(std::string_view text);

}  // namespace plancal
