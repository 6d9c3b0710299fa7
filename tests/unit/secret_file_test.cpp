// Reading secrets from files and systemd credentials (base/secret_file.h): the secret comes
// back without its line break, and every refusal says what to fix without showing the secret.

#include "base/secret_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "test_support.h"

namespace plancal {
namespace {

using testing::TempDir;

class SecretFileTest : public ::testing::Test {
 protected:
  std::string write_secret(const std::string& name, const std::string& text, mode_t mode) {
    const auto path = dir_.write(name, text);
    chmod(path.c_str(), mode);
    return path.string();
  }
  TempDir dir_;
};

TEST_F(SecretFileTest, ReadsTheSecretWithoutItsLineBreak) {
  const auto secret = read_secret({write_secret("pass", "hemmelig\n", 0600), ""});
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(secret->reveal(), "hemmelig");
}

TEST_F(SecretFileTest, RefusesAFileOthersCanReadAndSaysHowToFixIt) {
  const auto path = write_secret("pass", "hemmelig\n", 0644);
  const auto secret = read_secret({path, ""});
  ASSERT_FALSE(secret.ok());
  EXPECT_NE(secret.error().message.find("chmod 600"), std::string::npos) << secret.error().message;
  EXPECT_NE(secret.error().message.find(path), std::string::npos) << secret.error().message;
  EXPECT_EQ(secret.error().message.find("hemmelig"), std::string::npos);
}

TEST_F(SecretFileTest, RefusesASymbolicLink) {
  const auto target = write_secret("real", "hemmelig\n", 0600);
  const auto link = (dir_.path() / "link").string();
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  const auto secret = read_secret({link, ""});
  ASSERT_FALSE(secret.ok());
  EXPECT_NE(secret.error().message.find(link), std::string::npos) << secret.error().message;
}

TEST_F(SecretFileTest, AMissingFileIsNamed) {
  const auto path = (dir_.path() / "nowhere").string();
  const auto secret = read_secret({path, ""});
  ASSERT_FALSE(secret.ok());
  EXPECT_NE(secret.error().message.find(path), std::string::npos) << secret.error().message;
}

TEST_F(SecretFileTest, ReadsASystemdCredentialFromTheCredentialsDirectory) {
  write_secret("radicale", "fra-systemd\n", 0400);
  setenv("CREDENTIALS_DIRECTORY", dir_.path().c_str(), 1);
  const auto secret = read_secret({"", "radicale"});
  const auto escape = read_secret({"", "../radicale"});
  unsetenv("CREDENTIALS_DIRECTORY");
  const auto without_directory = read_secret({"", "radicale"});

  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(secret->reveal(), "fra-systemd");
  EXPECT_FALSE(escape.ok()) << "a credential name must not leave the directory";
  ASSERT_FALSE(without_directory.ok());
  EXPECT_NE(without_directory.error().message.find("LoadCredential=radicale"), std::string::npos)
      << without_directory.error().message;
}

}  // namespace
}  // namespace plancal
