#pragma once
/// RFC 5545 content lines (section 3.1) and TEXT values (3.3.11), done by hand where
/// libical 3.0.16 falls short: it folds at punctuation and spaces instead of at 75 octets,
/// and it does not escape ';' and ',' in X- and RFC 7986 properties.

#include <string>
#include <string_view>

namespace plancal::ical {

/// Joins folded lines: removes every CRLF (or LF) followed by a space or tab.
[[nodiscard]] std::string unfold_lines(std::string_view text);

/// Folds every line longer than 75 octets (line ends excluded) and ends every line with CRLF;
/// continuation lines start with one space. A UTF-8 character is never split. Input lines
/// may end with CRLF or LF.
[[nodiscard]] std::string fold_lines(std::string_view unfolded);

/// fold_lines(unfold_lines(text)): normalises libical's output to the folding above.
[[nodiscard]] std::string refold(std::string_view text);

/// refold(text) appended to `out`, in one pass without an unfolded copy of `text`.
void append_refolded(std::string_view text, std::string& out);

/// TEXT escaping: backslash, ';', ',' and newlines ("\n"); CR is dropped.
[[nodiscard]] std::string escape_text(std::string_view value);

/// "NAME:escaped value" as one unfolded line without line end.
[[nodiscard]] std::string text_property_line(std::string_view name, std::string_view value);

}  // namespace plancal::ical
