#include "base/plural.h"

#include <gtest/gtest.h>

namespace plancal {
namespace {

TEST(PluralTest, CountsAgreeWithTheirNouns) {
  EXPECT_EQ(counted(0, "request", "requests"), "0 requests");
  EXPECT_EQ(counted(1, "request", "requests"), "1 request");
  EXPECT_EQ(counted(2, "conflict", "conflicts"), "2 conflicts");
  EXPECT_EQ(counted(-1, "conflict", "conflicts"), "-1 conflicts");
}

}  // namespace
}  // namespace plancal
