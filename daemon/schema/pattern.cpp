#include "schema/pattern.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <fmt/format.h>

namespace plancal {

namespace {

using Op = Pattern::Instruction::Op;
using CharSet = Pattern::CharSet;

constexpr char32_t kMaxCode = 0x10ffff;
/// A byte that is not UTF-8 becomes a "character" above every code point, so that only `.`
/// and negated classes match it.
constexpr char32_t kInvalidByte = 0x110000;
/// Limits on the (trusted, embedded) pattern: they keep a mistaken {1,100000} from making a
/// huge automaton.
constexpr std::size_t kMaxRepeat = 1000;
constexpr std::size_t kMaxProgram = 20000;
constexpr int kMaxGroupDepth = 32;

/// The next UTF-8 character of `text` at `pos`: its code and byte length.
std::pair<char32_t, std::size_t> next_character(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  const std::size_t length = (lead >> 5) == 0x6    ? 2
                             : (lead >> 4) == 0xe  ? 3
                             : (lead >> 3) == 0x1e ? 4
                                                   : 0;
  if (length == 0 || pos + length > text.size()) return {kInvalidByte, 1};
  char32_t code = length == 2 ? (lead & 0x1fU) : length == 3 ? (lead & 0x0fU) : (lead & 0x07U);
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next >> 6) != 0x2) return {kInvalidByte, 1};
    code = (code << 6) | (next & 0x3fU);
  }
  const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                        (length == 4 && code < 0x10000);
  if (overlong || code > kMaxCode || (code >= 0xd800 && code <= 0xdfff)) return {kInvalidByte, 1};
  return {code, length};
}

// --- the syntax tree ---------------------------------------------------------------------------

struct Node {
  enum class Kind { Empty, Char, Class, Any, LineStart, LineEnd, Concat, Alternate, Repeat };
  Kind kind = Kind::Empty;
  char32_t ch = 0;
  std::size_t set = 0;
  std::size_t min = 0;
  std::optional<std::size_t> max;  ///< Repeat: none = unbounded
  std::vector<std::unique_ptr<Node>> children;
};

std::unique_ptr<Node> leaf(Node::Kind kind) {
  auto node = std::make_unique<Node>();
  node->kind = kind;
  return node;
}

void add_class(CharSet& set, char escape) {
  switch (escape) {
    case 'd':
      set.ranges.emplace_back('0', '9');
      return;
    case 'w':
      set.ranges.insert(set.ranges.end(), {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}, {'_', '_'}});
      return;
    default:  // 's': ECMA-262 WhiteSpace and LineTerminator
      set.ranges.insert(set.ranges.end(), {{0x09, 0x0d},
                                           {0x20, 0x20},
                                           {0xa0, 0xa0},
                                           {0x1680, 0x1680},
                                           {0x2000, 0x200a},
                                           {0x2028, 0x2029},
                                           {0x202f, 0x202f},
                                           {0x205f, 0x205f},
                                           {0x3000, 0x3000},
                                           {0xfeff, 0xfeff}});
  }
}

/// Every code point (and invalid byte) not in `set`'s ranges.
std::vector<std::pair<char32_t, char32_t>> complement(CharSet set) {
  std::sort(set.ranges.begin(), set.ranges.end());
  std::vector<std::pair<char32_t, char32_t>> out;
  char32_t from = 0;
  for (const auto& [low, high] : set.ranges) {
    if (low > from) out.emplace_back(from, low - 1);
    from = std::max<char32_t>(from, high + 1);
  }
  if (from <= kInvalidByte) out.emplace_back(from, kInvalidByte);
  return out;
}

/// A recursive-descent parser over the pattern source (trusted text from the embedded schema,
/// with its nesting bounded), producing the tree and the character classes.
class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  Result<std::unique_ptr<Node>> parse() {
    auto node = alternation(0);
    if (!error_.empty()) return Error{error_};
    if (pos_ < source_.size()) return Error{fmt::format("unexpected ')' at offset {}", pos_)};
    return node;
  }

  std::vector<CharSet> take_sets() { return std::move(sets_); }

 private:
  bool at_end() const { return pos_ >= source_.size(); }
  char peek() const { return at_end() ? '\0' : source_[pos_]; }
  std::unique_ptr<Node> fail(std::string message) {
    if (error_.empty()) error_ = fmt::format("{} at offset {}", message, pos_);
    pos_ = source_.size();
    return leaf(Node::Kind::Empty);
  }

  std::unique_ptr<Node> alternation(int depth) {
    if (depth > kMaxGroupDepth) return fail("groups nested too deeply");
    auto first = sequence(depth);
    if (peek() != '|') return first;
    auto node = leaf(Node::Kind::Alternate);
    node->children.push_back(std::move(first));
    while (peek() == '|') {
      ++pos_;
      node->children.push_back(sequence(depth));
    }
    return node;
  }

  std::unique_ptr<Node> sequence(int depth) {
    auto node = leaf(Node::Kind::Concat);
    while (!at_end() && peek() != '|' && peek() != ')') {
      auto atom = this->atom(depth);
      if (!error_.empty()) return atom;
      node->children.push_back(quantified(std::move(atom)));
    }
    return node;
  }

  std::unique_ptr<Node> quantified(std::unique_ptr<Node> atom) {
    while (!at_end()) {
      std::size_t min = 0;
      std::optional<std::size_t> max;
      const char c = peek();
      if (c == '*') {
        ++pos_;
      } else if (c == '+') {
        ++pos_;
        min = 1;
      } else if (c == '?') {
        ++pos_;
        max = 1;
      } else if (c == '{') {
        if (!braces(min, max)) return fail("a '{' that is not a quantifier {n}, {n,} or {n,m}");
      } else {
        return atom;
      }
      if (peek() == '?') ++pos_;  // lazy: the same yes or no as greedy
      if (atom->kind == Node::Kind::LineStart || atom->kind == Node::Kind::LineEnd)
        return fail("a quantifier after an anchor");
      auto repeat = leaf(Node::Kind::Repeat);
      repeat->min = min;
      repeat->max = max;
      repeat->children.push_back(std::move(atom));
      atom = std::move(repeat);
    }
    return atom;
  }

  bool number(std::size_t& out) {
    const std::size_t start = pos_;
    out = 0;
    while (peek() >= '0' && peek() <= '9') {
      out = out * 10 + static_cast<std::size_t>(peek() - '0');
      if (out > kMaxRepeat) return false;
      ++pos_;
    }
    return pos_ > start;
  }

  bool braces(std::size_t& min, std::optional<std::size_t>& max) {
    ++pos_;  // '{'
    if (!number(min)) return false;
    max = min;
    if (peek() == ',') {
      ++pos_;
      max.reset();
      std::size_t high = 0;
      if (peek() != '}') {
        if (!number(high) || high < min) return false;
        max = high;
      }
    }
    if (peek() != '}') return false;
    ++pos_;
    return true;
  }

  std::unique_ptr<Node> atom(int depth) {
    const char c = peek();
    switch (c) {
      case '^':
        ++pos_;
        return leaf(Node::Kind::LineStart);
      case '$':
        ++pos_;
        return leaf(Node::Kind::LineEnd);
      case '.':
        ++pos_;
        return leaf(Node::Kind::Any);
      case '(':
        return group(depth);
      case '[':
        return char_class();
      case '\\':
        return escape();
      case '*':
      case '+':
      case '?':
      case '{':
        return fail(fmt::format("'{}' with nothing to repeat", c));
      default: {
        const auto [code, length] = next_character(source_, pos_);
        pos_ += length;
        auto node = leaf(Node::Kind::Char);
        node->ch = code;
        return node;
      }
    }
  }

  std::unique_ptr<Node> group(int depth) {
    ++pos_;  // '('
    if (peek() == '?') {
      if (source_.substr(pos_, 2) != "?:")
        return fail("look-around and named groups are not supported");
      pos_ += 2;
    }
    auto inner = alternation(depth + 1);
    if (peek() != ')') return fail("a '(' without its ')'");
    ++pos_;
    return inner;
  }

  /// The escape after '\' as a class (\d \s \w and negations) or a character; in a class,
  /// `set` receives class escapes.
  std::optional<char32_t> escaped_character(CharSet* set, bool& was_class) {
    ++pos_;  // '\'
    if (at_end()) {
      fail("a '\\' at the end");
      return std::nullopt;
    }
    const char c = source_[pos_++];
    was_class = false;
    switch (c) {
      case 'd':
      case 's':
      case 'w':
        was_class = true;
        add_class(*set, c);
        return std::nullopt;
      case 'D':
      case 'S':
      case 'W': {
        was_class = true;
        CharSet positive;
        add_class(positive, static_cast<char>(c - 'A' + 'a'));
        const auto ranges = complement(positive);
        set->ranges.insert(set->ranges.end(), ranges.begin(), ranges.end());
        return std::nullopt;
      }
      case 'n':
        return U'\n';
      case 'r':
        return U'\r';
      case 't':
        return U'\t';
      case 'f':
        return U'\f';
      case 'v':
        return U'\v';
      case 'u': {
        char32_t code = 0;
        for (int i = 0; i < 4; ++i) {
          const char h = peek();
          const int digit = h >= '0' && h <= '9'   ? h - '0'
                            : h >= 'a' && h <= 'f' ? h - 'a' + 10
                            : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                   : -1;
          if (digit < 0) {
            fail("\\u needs four hex digits");
            return std::nullopt;
          }
          code = code * 16 + static_cast<char32_t>(digit);
          ++pos_;
        }
        return code;
      }
      default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          fail(fmt::format("the escape \\{} is not supported", c));
          return std::nullopt;
        }
        return static_cast<char32_t>(static_cast<unsigned char>(c));
    }
  }

  std::unique_ptr<Node> escape() {
    CharSet set;
    bool was_class = false;
    const auto code = escaped_character(&set, was_class);
    if (!error_.empty()) return leaf(Node::Kind::Empty);
    if (was_class) {
      auto node = leaf(Node::Kind::Class);
      node->set = sets_.size();
      sets_.push_back(std::move(set));
      return node;
    }
    auto node = leaf(Node::Kind::Char);
    node->ch = *code;
    return node;
  }

  /// One member of a class: a character (and whether it was a class escape like \s).
  std::optional<char32_t> class_member(CharSet& set) {
    if (peek() == '\\') {
      bool was_class = false;
      const auto code = escaped_character(&set, was_class);
      return was_class ? std::nullopt : code;
    }
    const auto [code, length] = next_character(source_, pos_);
    pos_ += length;
    return code;
  }

  std::unique_ptr<Node> char_class() {
    ++pos_;  // '['
    CharSet set;
    if (peek() == '^') {
      set.negated = true;
      ++pos_;
    }
    while (!at_end() && peek() != ']') {
      const auto low = class_member(set);
      if (!error_.empty()) return leaf(Node::Kind::Empty);
      if (!low) continue;
      if (peek() == '-' && pos_ + 1 < source_.size() && source_[pos_ + 1] != ']') {
        ++pos_;
        const auto high = class_member(set);
        if (!error_.empty()) return leaf(Node::Kind::Empty);
        if (!high || *high < *low) return fail("a class range that is not low-high");
        set.ranges.emplace_back(*low, *high);
      } else {
        set.ranges.emplace_back(*low, *low);
      }
    }
    if (at_end()) return fail("a '[' without its ']'");
    ++pos_;  // ']'
    auto node = leaf(Node::Kind::Class);
    node->set = sets_.size();
    sets_.push_back(std::move(set));
    return node;
  }

  std::string_view source_;
  std::size_t pos_ = 0;
  std::string error_;
  std::vector<CharSet> sets_;
};

// --- code generation -----------------------------------------------------------------------------

class Emitter {
 public:
  explicit Emitter(std::vector<Pattern::Instruction>& program) : program_(program) {}

  bool emit(const Node& node) {
    if (program_.size() > kMaxProgram) return false;
    switch (node.kind) {
      case Node::Kind::Empty:
        return true;
      case Node::Kind::Char:
        add({Op::Char, node.ch});
        return true;
      case Node::Kind::Class:
        add({Op::Class, 0, node.set});
        return true;
      case Node::Kind::Any:
        add({Op::Any});
        return true;
      case Node::Kind::LineStart:
        add({Op::LineStart});
        return true;
      case Node::Kind::LineEnd:
        add({Op::LineEnd});
        return true;
      case Node::Kind::Concat:
        return std::all_of(node.children.begin(), node.children.end(),
                           [this](const auto& child) { return emit(*child); });
      case Node::Kind::Alternate:
        return alternate(node);
      case Node::Kind::Repeat:
        return repeat(node);
    }
    return false;
  }

 private:
  std::size_t add(Pattern::Instruction instruction) {
    program_.push_back(instruction);
    return program_.size() - 1;
  }

  /// a|b|c: split to a or (split to b or c); every branch jumps to the end.
  bool alternate(const Node& node) {
    std::vector<std::size_t> jumps;
    for (std::size_t i = 0; i + 1 < node.children.size(); ++i) {
      const std::size_t split = add({Op::Split});
      program_[split].next = program_.size();
      if (!emit(*node.children[i])) return false;
      jumps.push_back(add({Op::Jump}));
      program_[split].alternative = program_.size();
    }
    if (!emit(*node.children.back())) return false;
    for (const std::size_t jump : jumps) program_[jump].next = program_.size();
    return true;
  }

  /// x{min,max}: x written min times, then either a loop (no max) or max-min optional copies.
  bool repeat(const Node& node) {
    const Node& body = *node.children.front();
    for (std::size_t i = 0; i < node.min; ++i) {
      if (!emit(body)) return false;
    }
    if (!node.max) {
      const std::size_t split = add({Op::Split});
      program_[split].next = program_.size();
      if (!emit(body)) return false;
      add({Op::Jump, 0, 0, split});
      program_[split].alternative = program_.size();
      return true;
    }
    std::vector<std::size_t> splits;
    for (std::size_t i = node.min; i < *node.max; ++i) {
      const std::size_t split = add({Op::Split});
      program_[split].next = program_.size();
      splits.push_back(split);
      if (!emit(body)) return false;
    }
    for (const std::size_t split : splits) program_[split].alternative = program_.size();
    return true;
  }

  std::vector<Pattern::Instruction>& program_;
};

/// The threads of the simulation at one position: each instruction at most once.
class ThreadList {
 public:
  explicit ThreadList(std::size_t size) : seen_(size, false) {}
  bool insert(std::size_t pc) {
    if (seen_[pc]) return false;
    seen_[pc] = true;
    order_.push_back(pc);
    return true;
  }
  [[nodiscard]] const std::vector<std::size_t>& threads() const { return order_; }
  void clear() {
    for (const std::size_t pc : order_) seen_[pc] = false;
    order_.clear();
  }

 private:
  std::vector<bool> seen_;
  std::vector<std::size_t> order_;
};

/// Whether every way from the first instruction meets a ^ before anything that consumes a
/// character or matches.
bool starts_with_line_start(const std::vector<Pattern::Instruction>& program) {
  std::vector<bool> seen(program.size(), false);
  std::vector<std::size_t> stack{0};
  while (!stack.empty()) {
    const std::size_t pc = stack.back();
    stack.pop_back();
    if (seen[pc]) continue;
    seen[pc] = true;
    switch (program[pc].op) {
      case Op::LineStart:
        break;  // this way is anchored
      case Op::Jump:
        stack.push_back(program[pc].next);
        break;
      case Op::Split:
        stack.push_back(program[pc].next);
        stack.push_back(program[pc].alternative);
        break;
      case Op::LineEnd:
        stack.push_back(pc + 1);
        break;
      default:
        return false;  // consumes or matches without a ^ first
    }
  }
  return true;
}

}  // namespace

bool Pattern::CharSet::contains(char32_t c) const {
  const bool in = std::any_of(ranges.begin(), ranges.end(), [c](const auto& range) {
    return c >= range.first && c <= range.second;
  });
  return in != negated;
}

Result<Pattern> Pattern::compile(std::string_view source) {
  Parser parser(source);
  auto tree = parser.parse();
  if (!tree.ok()) return Error{fmt::format("pattern {}: {}", source, tree.error().message)};
  Pattern pattern;
  pattern.sets_ = parser.take_sets();
  Emitter emitter(pattern.program_);
  if (!emitter.emit(*tree.value()))
    return Error{fmt::format("pattern {}: too large (over {} steps)", source, kMaxProgram)};
  pattern.program_.push_back({Op::Match});
  pattern.anchored_ = starts_with_line_start(pattern.program_);
  return pattern;
}

bool Pattern::search(std::string_view text) const {
  ThreadList current(program_.size());
  ThreadList next(program_.size());
  std::vector<std::size_t> stack;
  bool matched = false;
  // Follows every jump, split and anchor from `pc` at byte offset `pos`, without recursion.
  const auto follow = [&](ThreadList& list, std::size_t pc, std::size_t pos) {
    stack.push_back(pc);
    while (!stack.empty()) {
      const std::size_t at = stack.back();
      stack.pop_back();
      if (!list.insert(at)) continue;
      const Instruction& instruction = program_[at];
      switch (instruction.op) {
        case Op::Jump:
          stack.push_back(instruction.next);
          break;
        case Op::Split:
          stack.push_back(instruction.alternative);
          stack.push_back(instruction.next);
          break;
        case Op::LineStart:
          if (pos == 0) stack.push_back(at + 1);
          break;
        case Op::LineEnd:
          if (pos == text.size()) stack.push_back(at + 1);
          break;
        case Op::Match:
          matched = true;
          break;
        default:
          break;  // consumes a character: waits in the list
      }
    }
  };
  std::size_t pos = 0;
  while (true) {
    if (pos == 0 || !anchored_) follow(current, 0, pos);  // where a match may start
    if (matched) return true;
    if (pos >= text.size() || (anchored_ && current.threads().empty())) return false;
    const auto [c, length] = next_character(text, pos);
    pos += length;
    for (const std::size_t pc : current.threads()) {
      const Instruction& instruction = program_[pc];
      const bool consumes =
          (instruction.op == Op::Char && instruction.ch == c) ||
          (instruction.op == Op::Class && sets_[instruction.set].contains(c)) ||
          (instruction.op == Op::Any && c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029);
      if (consumes) follow(next, pc + 1, pos);
    }
    if (matched) return true;
    current.clear();
    std::swap(current, next);
  }
}

}  // namespace plancal
