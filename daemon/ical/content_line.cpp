#include "ical/content_line.h"

namespace plancal::ical {

namespace {

constexpr std::size_t kMaxOctets = 75;

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// True when the backslash run ending just before `cut` has odd length, i.e. the last one
/// starts an escape ("\n", "\;") that the cut would separate from its letter.
bool splits_escape(std::string_view line, std::size_t cut) {
  std::size_t backslashes = 0;
  while (backslashes < cut && line[cut - 1 - backslashes] == '\\') ++backslashes;
  return backslashes % 2 == 1;
}

/// The largest cut <= `limit` octets into `line` that splits neither a UTF-8 character nor,
/// for the sake of lenient clients, a TEXT escape pair (both are legal to split by RFC 5545).
std::size_t cut_at_character(std::string_view line, std::size_t limit) {
  if (line.size() <= limit) return line.size();
  std::size_t cut = limit;
  while (cut > 1 && is_continuation_byte(line[cut])) --cut;
  if (cut > 1 && splits_escape(line, cut)) --cut;
  return cut;
}

void append_folded(std::string_view line, std::string& out) {
  std::size_t first = cut_at_character(line, kMaxOctets);
  out.append(line.substr(0, first));
  out.append("\r\n");
  line.remove_prefix(first);
  while (!line.empty()) {
    const std::size_t next = cut_at_character(line, kMaxOctets - 1);
    out.push_back(' ');
    out.append(line.substr(0, next));
    out.append("\r\n");
    line.remove_prefix(next);
  }
}

}  // namespace

std::string unfold_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool crlf = text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
    const std::size_t after = crlf ? i + 2 : i + 1;
    const bool line_break = crlf || text[i] == '\n';
    if (line_break && after < text.size() && (text[after] == ' ' || text[after] == '\t')) {
      i = after;  // skip the break and the one whitespace character that marks the fold
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string fold_lines(std::string_view unfolded) {
  std::string out;
  out.reserve(unfolded.size() + unfolded.size() / 32 + 2);
  while (!unfolded.empty()) {
    const auto newline = unfolded.find('\n');
    std::string_view line = unfolded.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) append_folded(line, out);
    if (newline == std::string_view::npos) break;
    unfolded.remove_prefix(newline + 1);
  }
  return out;
}

void append_refolded(std::string_view text, std::string& out) {
  std::string line;  // a folded logical line, joined; lines that were not folded are not copied
  std::size_t i = 0;
  while (i < text.size()) {
    const auto newline = text.find('\n', i);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string_view piece = text.substr(i, end - i);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    i = end + 1;
    const bool folded = i < text.size() && (text[i] == ' ' || text[i] == '\t');
    if (folded) {
      line.append(piece);
      ++i;  // the whitespace that marks a continuation line
      continue;
    }
    if (line.empty()) {  // a line that was not folded: no copy
      if (!piece.empty()) append_folded(piece, out);
      continue;
    }
    line.append(piece);
    append_folded(line, out);
    line.clear();
  }
}

std::string refold(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  append_refolded(text, out);
  return out;
}

std::string escape_text(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 8);
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string text_property_line(std::string_view name, std::string_view value) {
  std::string line(name);
  line.push_back(':');
  line += escape_text(value);
  return line;
}

}  // namespace plancal::ical
