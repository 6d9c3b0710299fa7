// `plancal sync --dry-run` changes nothing anywhere, the state database included: before the
// first publish it creates no database (nor its folder) and says what a real run would do;
// after a publish it records no sync. Against a real Radicale.

#include <filesystem>

#include <gtest/gtest.h>

#include "caldav_sync_workspace.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

class SyncDryRunIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = start_radicale();
    ws_ = std::make_unique<CaldavSyncWorkspace>(*server_, kRadicale.max_in_flight);
  }

  [[nodiscard]] fs::path database() const { return ws_->folder() / "var" / "plancal.db"; }

  std::unique_ptr<CaldavServer> server_;
  std::unique_ptr<CaldavSyncWorkspace> ws_;
};

TEST_F(SyncDryRunIntegration, BeforeTheFirstPublishItCreatesNothingAndSaysWhatARealRunDoes) {
  const ProcessResult dry = ws_->sync({"--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.out << dry.err << server_->log();
  EXPECT_FALSE(fs::exists(database().parent_path())) << "the dry run created " << database();
  EXPECT_NE(dry.out.find("plancal.db does not exist yet: a real run would create it and publish "
                         "the plans, then:"),
            std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("team: would create 22, update 0, delete 0; 0 unchanged"),
            std::string::npos)
      << dry.out;
  EXPECT_TRUE(ws_->contents().empty());
}

TEST_F(SyncDryRunIntegration, AfterAPublishItRecordsNoSync) {
  const auto published = run_plancal({"publish", "--config", ws_->config().string()});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  const ProcessResult dry = ws_->sync({"--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.out << dry.err << server_->log();
  EXPECT_EQ(dry.out.find("a real run would"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("team: would create 22, update 0, delete 0; 0 unchanged"),
            std::string::npos)
      << dry.out;
  const auto status = run_plancal({"status", "--config", ws_->config().string()});
  EXPECT_NE(status.out.find("team: never synced"), std::string::npos) << status.out;
  EXPECT_TRUE(ws_->contents().empty());
}

}  // namespace
}  // namespace plancal::testing
