#include "ical/content_line.h"

#include <gtest/gtest.h>

namespace plancal::ical {
namespace {

std::vector<std::string> split_crlf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

bool valid_utf8_start(const std::string& line) {
  return line.empty() || (static_cast<unsigned char>(line[0]) & 0xC0) != 0x80;
}

TEST(IcalContentLineTest, ShortLinesAreUnchanged) {
  EXPECT_EQ(fold_lines("A:b\r\nC:d\n"), "A:b\r\nC:d\r\n");
}

TEST(IcalContentLineTest, FoldsAtSeventyFiveOctets) {
  const std::string line = "DESCRIPTION:" + std::string(200, 'x');
  const auto lines = split_crlf(fold_lines(line));
  ASSERT_GE(lines.size(), 3U);
  EXPECT_EQ(lines[0].size(), 75U);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 75U);
    EXPECT_EQ(lines[i][0], ' ');
  }
  EXPECT_EQ(unfold_lines(fold_lines(line)), line + "\r\n");
}

TEST(IcalContentLineTest, NeverSplitsAUtf8Character) {
  for (std::size_t prefix = 0; prefix < 4; ++prefix) {
    const std::string line = "SUMMARY:" + std::string(prefix, 'a') + [] {
      std::string text;
      for (int i = 0; i < 60; ++i) text += "æøå€";
      return text;
    }();
    const std::string folded = fold_lines(line);
    for (const auto& l : split_crlf(folded)) {
      EXPECT_LE(l.size(), 75U);
      const std::string content = l.starts_with(" ") ? l.substr(1) : l;
      EXPECT_TRUE(valid_utf8_start(content)) << prefix;
    }
    EXPECT_EQ(unfold_lines(folded), line + "\r\n");
  }
}

TEST(IcalContentLineTest, KeepsEscapePairsTogether) {
  for (std::size_t prefix = 0; prefix < 3; ++prefix) {
    std::string line = "DESCRIPTION:" + std::string(prefix, 'a');
    for (int i = 0; i < 40; ++i) line += "\\n\\;";
    const std::string folded = fold_lines(line);
    for (const auto& l : split_crlf(folded)) {
      std::size_t trailing = 0;
      while (trailing < l.size() && l[l.size() - 1 - trailing] == '\\') ++trailing;
      EXPECT_EQ(trailing % 2, 0U) << l;
    }
    EXPECT_EQ(unfold_lines(folded), line + "\r\n");
  }
}

TEST(IcalContentLineTest, UnfoldHandlesTabsAndSpaces) {
  EXPECT_EQ(unfold_lines("A:bc\r\n d\r\n\te\r\nF:g\r\n"), "A:bcde\r\nF:g\r\n");
}

TEST(IcalContentLineTest, EscapesText) {
  EXPECT_EQ(escape_text("a;b,c\\d\ne\r\nf"), "a\\;b\\,c\\\\d\\ne\\nf");
  EXPECT_EQ(text_property_line("X-WR-CALNAME", "Team A, B"), "X-WR-CALNAME:Team A\\, B");
}

}  // namespace
}  // namespace plancal::ical
