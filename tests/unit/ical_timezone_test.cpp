#include "ical/timezone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace plancal {
namespace {

/// Sets TZ for one test and restores the previous value afterwards.
class ScopedTz {
 public:
  explicit ScopedTz(const char* zone) {
    if (const char* old = std::getenv("TZ")) previous_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTz() {
    if (previous_) {
      setenv("TZ", previous_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> previous_;
};

const LocalDateTime kBeforeDst{{2024, 3, 25}, {9, 0}};
const LocalDateTime kAfterDst{{2024, 4, 8}, {9, 0}};

/// Process zones the results must not depend on (tests also run with TZ set to these).
constexpr const char* kProcessZones[] = {"America/New_York", "UTC", "Europe/Oslo", "Asia/Kolkata"};

TEST(TimezoneTest, OsloOffsetsAcrossDaylightSaving) {
  for (const char* zone : kProcessZones) {
    SCOPED_TRACE(zone);
    const ScopedTz tz(zone);
    EXPECT_EQ(*utc_offset_seconds("Europe/Oslo", kBeforeDst), 3600);
    EXPECT_EQ(*utc_offset_seconds("Europe/Oslo", kAfterDst), 7200);
    EXPECT_EQ(*iso8601_with_offset("Europe/Oslo", kBeforeDst), "2024-03-25T09:00:00+01:00");
    EXPECT_EQ(*iso8601_with_offset("Europe/Oslo", kAfterDst), "2024-04-08T09:00:00+02:00");
  }
}

TEST(TimezoneTest, UnixSecondsIgnoreTheProcessZone) {
  for (const char* zone : kProcessZones) {
    SCOPED_TRACE(zone);
    const ScopedTz tz(zone);
    EXPECT_EQ(*to_unix_seconds("Europe/Oslo", kBeforeDst), 1711353600);  // 08:00Z
    EXPECT_EQ(*to_unix_seconds("Europe/Oslo", kAfterDst), 1712559600);   // 07:00Z
    EXPECT_EQ(*to_unix_seconds("UTC", kAfterDst), 1712566800);
    EXPECT_EQ(*iso8601_with_offset("America/New_York", LocalDateTime{{2024, 1, 15}, {9, 0}}),
              "2024-01-15T09:00:00-05:00");
  }
}

TEST(TimezoneTest, WinterAndSummerAcrossYears) {
  EXPECT_EQ(*iso8601_with_offset("Europe/Oslo", LocalDateTime{{2025, 10, 26}, {12, 0}}),
            "2025-10-26T12:00:00+01:00");
  EXPECT_EQ(*iso8601_with_offset("Europe/Oslo", LocalDateTime{{2025, 10, 25}, {12, 0}}),
            "2025-10-25T12:00:00+02:00");
  EXPECT_EQ(*iso8601_with_offset("Asia/Kolkata", LocalDateTime{{2024, 6, 1}, {9, 30}}),
            "2024-06-01T09:30:00+05:30");
}

TEST(TimezoneTest, KnowsIanaNamesOnly) {
  EXPECT_TRUE(is_known_timezone("Europe/Oslo"));
  EXPECT_TRUE(is_known_timezone("UTC"));
  EXPECT_FALSE(is_known_timezone("Europe/Atlantis"));
  EXPECT_FALSE(is_known_timezone(""));
  const auto unknown = to_unix_seconds("Mars/Olympus", kBeforeDst);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("Mars/Olympus"), std::string::npos);
}

}  // namespace
}  // namespace plancal
