// Texts of the command line that people read and copy: the subscribe link's label names the
// link's own scheme, and `plancal sync --help` names every kind of push target. (Counts, as in
// "(1 request)", are checked where the CalDAV suites read the sync summary.)

#include <gtest/gtest.h>

#include "test_support.h"

namespace plancal::testing {
namespace {

TEST(CliOutputIntegration, AnHttpSubscribeLinkIsLabelledHttp) {
  TempDir dir;
  dir.write("plans/kollegaveiledning.yaml", read_file(example_plan("kollegaveiledning.yaml")));
  const auto config = dir.write("plancal.yaml",
                                "plans: [plans/kollegaveiledning.yaml]\n"
                                "database: var/plancal.db\n"
                                "feeds:\n  public_url: http://127.0.0.1:8080\n")
                          .string();
  ASSERT_EQ(run_plancal({"publish", "--config", config}).exit_code, 0);
  const auto created = run_plancal({"feed", "token", "create", "--config", config, "--plan",
                                    "kollegaveiledning", "--audience", "all"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("\nhttp:   http://127.0.0.1:8080/feeds/"), std::string::npos)
      << created.out;
  EXPECT_NE(created.out.find("\nwebcal: webcal://127.0.0.1:8080/feeds/"), std::string::npos)
      << created.out;
  EXPECT_EQ(created.out.find("https:"), std::string::npos) << created.out;
}

TEST(CliOutputIntegration, SyncHelpNamesBothKindsOfPushTarget) {
  const auto help = run_plancal({"sync", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("CalDAV calendar"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Microsoft 365 mailbox"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace plancal::testing
