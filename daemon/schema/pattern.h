#pragma once
/// JSON Schema `pattern`s, matched without recursion.
///
/// std::regex (which valijson uses) recurses once per character of the text and overflows the
/// stack on a value of about 30 KB, so one long key in a plan would crash plancal. A Pattern
/// is compiled once into a small automaton and run over the text as a Thompson simulation:
/// time proportional to text length x pattern size, memory proportional to the pattern, and
/// no recursion whatever the text.
///
/// It understands the part of ECMA-262 regular expressions that schemas use: literals and
/// escaped punctuation, `.`, classes `[a-z0-9_.-]` and `[^\s:]` with \s \S \d \D \w \W, groups
/// `(...)` and `(?:...)`, `|`, `*` `+` `?` `{n}` `{n,}` `{n,m}`, and the anchors `^` `$`.
/// Anything else (back-references, look-around, lazy quantifiers) is refused when compiling,
/// so a schema cannot silently mean something else here than in the JSON Schema spec.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace plancal {

class Pattern {
 public:
  /// Compiles `source`; the error says what in it is not understood.
  [[nodiscard]] static Result<Pattern> compile(std::string_view source);

  /// Whether the pattern matches anywhere in `text` (JSON Schema patterns are not anchored
  /// unless they say ^ or $). Characters are Unicode code points of UTF-8 `text`; a byte that
  /// is not UTF-8 is one character that only `.` and negated classes match.
  [[nodiscard]] bool search(std::string_view text) const;

  /// One instruction of the automaton (public for the compiler in pattern.cpp).
  struct Instruction {
    enum class Op : std::uint8_t { Char, Class, Any, Split, Jump, LineStart, LineEnd, Match };
    Op op = Op::Match;
    char32_t ch = 0;              ///< Char
    std::size_t set = 0;          ///< Class: index into sets_
    std::size_t next = 0;         ///< Jump, Split: the first way on
    std::size_t alternative = 0;  ///< Split: the second way on
  };
  /// A character class: ranges of code points, possibly negated.
  struct CharSet {
    std::vector<std::pair<char32_t, char32_t>> ranges;
    bool negated = false;
    [[nodiscard]] bool contains(char32_t c) const;
  };

 private:
  Pattern() = default;

  std::vector<Instruction> program_;
  std::vector<CharSet> sets_;
  /// Every way through the pattern starts with ^: a match can only start at the beginning,
  /// so the search stops as soon as no thread is left.
  bool anchored_ = false;
};

}  // namespace plancal
