#include "base/text.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace plancal {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// One UTF-8 sequence at the front of `text`: its code point and length, or length 0 when
/// the first byte does not start a valid sequence.
struct Decoded {
  char32_t code = 0;
  std::size_t length = 0;
};

Decoded decode_front(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  const std::size_t length = lead < 0x80           ? 1
                             : (lead >> 5) == 0x6  ? 2
                             : (lead >> 4) == 0xe  ? 3
                             : (lead >> 3) == 0x1e ? 4
                                                   : 0;
  if (length == 0 || length > text.size()) return {};
  char32_t code = length == 1   ? lead
                  : length == 2 ? (lead & 0x1fU)
                  : length == 3 ? (lead & 0x0fU)
                                : (lead & 0x07U);
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[i]);
    if ((next >> 6) != 0x2) return {};
    code = (code << 6) | (next & 0x3fU);
  }
  const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                        (length == 4 && code < 0x10000);
  if (overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return {};
  return {code, length};
}

/// Characters a reader cannot see or that break a line: controls (C0, DEL, C1 with U+0085),
/// spaces other than ' ', line and paragraph separators, zero-width and direction marks,
/// the byte order mark, interlinear annotations and tag characters.
bool needs_escape(char32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) return true;
  if (c == 0x061c || c == 0x1680 || c == 0x180e) return true;
  if ((c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f)) return true;
  if ((c >= 0x205f && c <= 0x2064) || (c >= 0x2066 && c <= 0x206f)) return true;
  if (c == 0x3000 || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb)) return true;
  return c >= 0xe0000 && c <= 0xe007f;
}

void append_escaped(std::string& out, char32_t c) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += fmt::format("\\u{{{:X}}}", static_cast<std::uint32_t>(c));
  }
}

std::string shown(std::string_view text, std::size_t max_characters, bool escape_quote) {
  std::string out;
  std::size_t shown_characters = 0;
  while (!text.empty()) {
    if (shown_characters == max_characters) {
      out += "\xE2\x80\xA6";  // U+2026 …
      break;
    }
    ++shown_characters;
    const Decoded d = decode_front(text);
    if (d.length == 0) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(text[0]));
      text.remove_prefix(1);
      continue;
    }
    if (needs_escape(d.code)) {
      append_escaped(out, d.code);
    } else if (d.code == '\\' || (escape_quote && d.code == '"')) {
      out += '\\';
      out += static_cast<char>(d.code);
    } else {
      out.append(text.substr(0, d.length));
    }
    text.remove_prefix(d.length);
  }
  return out;
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::string escape_markup(std::string_view text, std::string_view apostrophe) {
  std::string out;
  out.reserve(text.size());
  std::size_t run = 0;  // where the characters not yet copied begin
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view entity;
    switch (text[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\'':
        entity = apostrophe;
        break;
      default:
        continue;
    }
    out.append(text.substr(run, i - run));  // the run that needs no escaping, in one go
    out.append(entity);
    run = i + 1;
  }
  out.append(text.substr(run));
  return out;
}

std::string shown_text(std::string_view text, std::size_t max_characters) {
  return shown(text, max_characters, false);
}

std::string quoted_text(std::string_view text, std::size_t max_characters) {
  return "\"" + shown(text, max_characters, true) + "\"";
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  while (!text.empty()) {
    const std::size_t length = decode_front(text).length;
    text.remove_prefix(std::max<std::size_t>(length, 1));
    ++count;
  }
  return count;
}

}  // namespace plancal
