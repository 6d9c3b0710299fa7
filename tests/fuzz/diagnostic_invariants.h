#pragma once
// What every fuzz target of a file reader checks on the diagnostics it got back, besides
// "no crash, no hang, no leak" (which libFuzzer, ASan and UBSan check): no "internal error"
// is reachable from a file, every error names the file, and every message and hint is one
// line without raw control or separator characters, however the file quoted things.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/diagnostic.h"

namespace plancal::fuzz {

/// A byte offset in `text` of a character a message must not carry raw: C0 controls (a
/// message is one line, so '\n' too), DEL, C1 controls (U+0085), U+2028 and U+2029.
inline std::string_view::size_type raw_control(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return i;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return i;
    if (c == 0xe2 && text.substr(i + 1, 1) == "\x80" && i + 2 < text.size() &&
        (static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
         static_cast<unsigned char>(text[i + 2]) == 0xa9))
      return i;
  }
  return std::string_view::npos;
}

[[noreturn]] inline void broken(const Diagnostic& d, const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n%s\n", what, format_diagnostic(d).c_str());
  std::abort();
}

/// Aborts (a crash for libFuzzer, with the input saved) when a diagnostic breaks the rules.
inline void check_diagnostics(const Diagnostics& diagnostics, const std::string& file) {
  for (const Diagnostic& d : diagnostics.all()) {
    // The loaders' last resort for an exception; user text in a message is quoted, so the
    // words can appear inside a message, but never start one.
    if (d.message.rfind("internal error", 0) == 0) broken(d, "an internal error");
    if (d.where.file.empty()) broken(d, "an error without its file");
    if (d.where.file == file && d.message.empty()) broken(d, "an empty message");
    if (raw_control(d.message) != std::string_view::npos)
      broken(d, "a control or separator character in the message");
    if (raw_control(d.hint) != std::string_view::npos)
      broken(d, "a control or separator character in the hint");
    if (raw_control(d.where.file) != std::string_view::npos)
      broken(d, "a control or separator character in the file name");
  }
}

}  // namespace plancal::fuzz
