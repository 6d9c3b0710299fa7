// User text in messages: quoted on one line, shortened, with control and separator
// characters escaped, so a stray quote or a multi-line key cannot pour a file into a log.
#include <gtest/gtest.h>

#include <string>

#include "base/text.h"
#include "plan/loader.h"
#include "plan/roster.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;

TEST(PlanMessageTextTest, PlainTextIsQuotedAsWritten) {
  EXPECT_EQ(quoted_text("Team B"), "\"Team B\"");
  EXPECT_EQ(quoted_text("Møterom Ålesund"), "\"Møterom Ålesund\"");
  EXPECT_EQ(shown_text("kari"), "kari");
  EXPECT_EQ(quoted_text(""), "\"\"");
}

TEST(PlanMessageTextTest, LineBreaksControlsAndSeparatorsAreEscaped) {
  EXPECT_EQ(quoted_text("a\nb\r\tc"), "\"a\\nb\\r\\tc\"");
  EXPECT_EQ(quoted_text("a\u2028b\u2029c"), "\"a\\u{2028}b\\u{2029}c\"");
  EXPECT_EQ(quoted_text("a\u0085b"), "\"a\\u{85}b\"");  // NEL, a line break to some readers
  EXPECT_EQ(quoted_text(std::string("nul\0bell\a", 9)), "\"nul\\u{0}bell\\u{7}\"");
  EXPECT_EQ(quoted_text("esc\x1b[31mred"), "\"esc\\u{1B}[31mred\"");
  EXPECT_EQ(quoted_text("no\u00a0break"), "\"no\\u{A0}break\"");
  // Direction overrides and zero-width characters make text read differently than it is.
  EXPECT_EQ(quoted_text("abc\u202edcba"), "\"abc\\u{202E}dcba\"");
  EXPECT_EQ(quoted_text("zero\u200bwidth\ufeff"), "\"zero\\u{200B}width\\u{FEFF}\"");
}

TEST(PlanMessageTextTest, QuotesBackslashesAndBrokenUtf8CannotEndTheQuote) {
  EXPECT_EQ(quoted_text("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(shown_text("say \"hi\""), "say \"hi\"");
  EXPECT_EQ(quoted_text("C:\\plans"), "\"C:\\\\plans\"");
  EXPECT_EQ(quoted_text("bad\xff\xc3"), "\"bad\\xFF\\xC3\"");
}

TEST(PlanMessageTextTest, LongTextIsCutAfterFortyCharactersNotBytes) {
  const std::string long_text(40'000, 'a');
  EXPECT_EQ(quoted_text(long_text), "\"" + std::string(40, 'a') + "…\"");
  std::string norwegian;
  for (int i = 0; i < 30; ++i) norwegian += "æøå";  // 90 characters, 180 bytes
  const std::string shown = shown_text(norwegian);
  EXPECT_EQ(character_count(shown), 41u);  // 40 and the ellipsis
  EXPECT_EQ(shown.substr(0, 6), "æøå");
  EXPECT_EQ(shown_text(std::string(40, 'x')), std::string(40, 'x'));  // exactly 40: whole
  EXPECT_EQ(shown_text("abcdef", 3), "abc…");
}

TEST(PlanMessageTextTest, CharacterCountCountsCodePoints) {
  EXPECT_EQ(character_count(""), 0u);
  EXPECT_EQ(character_count("Ålesund"), 7u);
  EXPECT_EQ(character_count("\u2028"), 1u);
  EXPECT_EQ(character_count("a\xff"), 2u);
}

TEST(PlanMessageTextTest, AMultiLineKeyIsEchoedOnOneLine) {
  // A quoted key may hold a line break and U+2028 (written as escapes in YAML).
  const PlanLoad load =
      load_plan_text("plan: p\ntitle: T\n\"frob\\nnicate\\Lnow\": 1\n", "plan.yaml", "");
  ASSERT_TRUE(load.diagnostics.has_errors());
  const std::string text = diagnostics_text(load.diagnostics);
  EXPECT_NE(text.find("plan.yaml:3:1: error: unknown key \"frob\\nnicate\\u{2028}now\""),
            std::string::npos)
      << text;
}

TEST(PlanMessageTextTest, ControlCharactersInAValueAreRefusedAndNamedNotEchoed) {
  // U+0085 (NEL) written raw, and U+0007 (bell) written as an escape.
  const PlanLoad load = load_plan_text(
      "plan: p\ntitle: \"Plan\u0085one\"\norganizer: \"Ring \\a\"\n", "plan.yaml", "");
  ASSERT_TRUE(load.diagnostics.has_errors());
  const std::string text = diagnostics_text(load.diagnostics);
  EXPECT_NE(text.find("plan.yaml:2:8: error: the value of \"title\" contains the control "
                      "character U+0085"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("plan.yaml:3:12: error: the value of \"organizer\" contains the control "
                      "character U+0007"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("\u0085"), std::string::npos);
}

TEST(PlanMessageTextTest, AStrayQuoteInACsvRosterDoesNotEchoTheRestOfTheFile) {
  std::string csv =
      "id,name,email,team,leader,reports_to,roles\n"
      "\"kari,Kari Nordmann,kari@example.no,A,nei,,\n";
  for (int i = 0; i < 500; ++i) csv += "ola" + std::to_string(i) + ",Ola,ola@example.no,A,nei,,\n";
  const RosterLoad load = parse_roster_csv(csv, "roster.csv");
  ASSERT_TRUE(load.diagnostics.has_errors());
  EXPECT_NE(diagnostics_text(load.diagnostics)
                .find("roster.csv:2:1: error: this quoted field has no closing quote"),
            std::string::npos)
      << diagnostics_text(load.diagnostics);
  for (const auto& d : load.diagnostics.all()) {
    EXPECT_LT(d.message.size(), 300u) << d.message;
    EXPECT_EQ(d.message.find('\n'), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find("ola499"), std::string::npos) << d.message;
  }
}

TEST(PlanMessageTextTest, TheStrayQuoteRegressionFileGivesShortMessagesInTheRosterFile) {
  const auto plan = testing::test_data_dir() / "bad" / "roster-stray-quote.yaml";
  const auto csv = (testing::test_data_dir() / "bad" / "roster-stray-quote.csv").string();
  const PlanLoad load = load_plan_file(plan.string());
  EXPECT_FALSE(load.plan);
  const std::string text = diagnostics_text(load.diagnostics);
  EXPECT_NE(text.find(csv + ":3:1: error: this quoted field has no closing quote"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("person39"), std::string::npos) << text;  // the file's last row
  for (const auto& d : load.diagnostics.all()) EXPECT_LT(d.message.size(), 300u) << d.message;
}

}  // namespace
}  // namespace plancal
