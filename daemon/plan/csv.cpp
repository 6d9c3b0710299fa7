#include "plan/csv.h"

namespace plancal {

namespace {

class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file, Diagnostics& diagnostics)
      : text_(text), file_(file), diagnostics_(diagnostics) {}

  std::vector<CsvRecord> records() {
    std::vector<CsvRecord> out;
    while (pos_ < text_.size()) {
      CsvRecord record = next_record();
      const bool blank = record.size() == 1 && record[0].text.empty();
      if (!blank) out.push_back(std::move(record));
    }
    return out;
  }

 private:
  /// Reports a quoting mistake; a file with thousands of them gets the first hundred.
  void error(SourceLocation where, std::string message, std::string hint) {
    if (++errors_ <= kMaxErrors)
      diagnostics_.error(std::move(where), std::move(message), std::move(hint));
  }
  static constexpr std::size_t kMaxErrors = 100;

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(text_[pos_]) & 0xC0) != 0x80) {
      ++column_;  // count characters, not UTF-8 continuation bytes
    }
    ++pos_;
  }
  bool at_record_end() const { return pos_ >= text_.size() || peek() == '\n' || peek() == '\r'; }
  void skip_record_end() {
    if (peek() == '\r') advance();
    if (peek() == '\n') advance();
  }

  CsvRecord next_record() {
    CsvRecord record;
    while (true) {
      record.push_back(next_field());
      if (peek() == ',') {
        advance();
        continue;
      }
      skip_record_end();
      return record;
    }
  }

  CsvField next_field() {
    CsvField field{{}, line_, column_};
    if (peek() != '"') {
      while (!at_record_end() && peek() != ',') {
        field.text += peek();
        advance();
      }
      return field;
    }
    advance();  // opening quote
    while (true) {
      if (pos_ >= text_.size()) {
        error({file_, field.line, field.column}, "this quoted field has no closing quote",
              "close the quote, and write a quote inside a field as two quotes (\"\")");
        return field;
      }
      if (peek() == '"') {
        advance();
        if (peek() != '"') break;
      }
      field.text += peek();
      advance();
    }
    if (!at_record_end() && peek() != ',') {
      error({file_, line_, column_}, "unexpected text after a closing quote",
            "put the whole field in quotes, and write a quote inside it as two quotes (\"\")");
      while (!at_record_end() && peek() != ',') advance();
    }
    return field;
  }

  std::string_view text_;
  const std::string& file_;
  Diagnostics& diagnostics_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  std::size_t errors_ = 0;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file,
                                 Diagnostics& diagnostics) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return CsvReader(text, file, diagnostics).records();
}

namespace {

std::string csv_field(std::string value) {
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    value.insert(0, 1, '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

}  // namespace

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_field(fields[i]);
  }
  return line + "\r\n";
}

}  // namespace plancal
