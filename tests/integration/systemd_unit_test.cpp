// systemd/plancal.service as systemd itself reads it: `systemd-analyze verify` accepts it
// (pointed at the built binary, since /usr/bin/plancal exists only once the package is
// installed) and `systemd-analyze security --offline=true` rates its exposure at most 1.5.

#include <regex>

#include <gtest/gtest.h>

#include "test_support.h"

namespace plancal::testing {
namespace {

std::string unit_text() { return read_file(source_dir() / "systemd" / "plancal.service"); }

TEST(SystemdUnitIntegration, VerifyAcceptsTheUnit) {
  const TempDir dir;
  std::string unit = unit_text();
  const std::string installed = "/usr/bin/plancal";
  for (auto at = unit.find(installed); at != std::string::npos; at = unit.find(installed, at)) {
    unit.replace(at, installed.size(), plancal_binary().string());
  }
  const auto path = dir.write("plancal.service", unit);
  // --man=no: the man page is checked by the package test, where it is installed.
  const auto verify = run_process({"systemd-analyze", "verify", "--man=no", path.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(verify.err, "") << "systemd-analyze warned about the unit";
}

TEST(SystemdUnitIntegration, ExposureIsAtMostOnePointFive) {
  const auto path = (source_dir() / "systemd" / "plancal.service").string();
  const auto security =
      run_process({"systemd-analyze", "security", "--offline=true", "--no-pager", path});
  const std::string report = security.out + security.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(report, match,
                                std::regex("Overall exposure level for plancal\\.service: "
                                           "([0-9]+\\.[0-9])")))
      << report;
  EXPECT_LE(std::stod(match[1]), 1.5) << report;
}

TEST(SystemdUnitIntegration, UnitHasTheNotifyContract) {
  const std::string unit = unit_text();
  for (const char* line : {"Type=notify\n", "ExecReload=/bin/kill -HUP $MAINPID\n",
                           "WatchdogSec=", "Restart=on-failure\n", "StateDirectoryMode=0700\n",
                           "UMask=0077\n", "User=plancal\n", "After=network-online.target\n"}) {
    EXPECT_NE(unit.find(line), std::string::npos) << "missing: " << line;
  }
}

}  // namespace
}  // namespace plancal::testing
