// The layer check of .ci/check-layers: it passes on the repository as it is, and it fails,
// naming the file and line, when an include against daemon/layers.txt is planted.

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"

namespace plancal::testing {
namespace {

ProcessResult check_layers(const std::filesystem::path& root) {
  return run_process({kDebianPython, (source_dir() / ".ci/check-layers").string(), root.string()});
}

/// A copy of daemon/layers.txt and one source file per folder, so a planted include has
/// somewhere to point.
void plant_tree(const TempDir& tree, const std::string& base_source) {
  tree.write("daemon/layers.txt", read_file(source_dir() / "daemon/layers.txt"));
  tree.write("daemon/cli/main.cpp", "#include \"service/loop.h\"\n#include \"base/civil.h\"\n");
  tree.write("daemon/service/loop.h", "#include \"store/store.h\"\n");
  tree.write("daemon/store/store.h", "#include \"plan/model.h\"\n");
  tree.write("daemon/plan/model.h", "#include \"base/civil.h\"\n");
  tree.write("daemon/base/civil.h", base_source);
}

TEST(LayersTest, TheRepositoryIncludesOnlyDownwards) {
  const ProcessResult result = check_layers(source_dir());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(LayersTest, AnIncludeFromALowerLayerUpIsAnErrorWithItsLine) {
  const TempDir clean;
  plant_tree(clean, "#pragma once\n");
  ASSERT_EQ(check_layers(clean.path()).exit_code, 0);

  const TempDir planted;
  plant_tree(planted, "#pragma once\n#include <string>\n#include \"store/store.h\"\n");
  const ProcessResult result = check_layers(planted.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("base/civil.h:3: error: daemon/base/ includes daemon/store/"),
            std::string::npos)
      << result.out;
}

TEST(LayersTest, SiblingsOnOneLayerMayNotIncludeEachOther) {
  const TempDir tree;
  plant_tree(tree, "#pragma once\n");
  tree.write("daemon/caldav/client.h", "#include \"store/store.h\"\n");
  const ProcessResult result = check_layers(tree.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("a sibling on the same layer"), std::string::npos) << result.out;
}

TEST(LayersTest, AFolderMissingFromTheListIsAnError) {
  const TempDir tree;
  plant_tree(tree, "#pragma once\n");
  tree.write("daemon/newthing/a.h", "#pragma once\n");
  const ProcessResult result = check_layers(tree.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("daemon/newthing/ is not in the layer list"), std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace plancal::testing
