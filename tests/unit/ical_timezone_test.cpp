#include "ical/timezone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "base/civil.h"

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

TEST(TimezoneTest, AnInstantReadsAsOslosWallClockRightAcrossBothChanges) {
  const auto at = [](std::int64_t unix_seconds) {
    const LocalDateTime local = local_time_at("Europe/Oslo", unix_seconds);
    return format_date(local.date) + " " + std::to_string(local.time.hour) + ":" +
           std::to_string(local.time.minute);
  };
  constexpr std::int64_t kAutumnChange = 1729990800;  // 2024-10-27 01:00Z: 03:00 CEST -> 02:00
  EXPECT_EQ(at(kAutumnChange - 1800), "2024-10-27 2:30") << "still summer time";
  EXPECT_EQ(at(kAutumnChange + 1800), "2024-10-27 2:30") << "the hour again, in winter time";
  EXPECT_EQ(at(kAutumnChange + 3 * 3600), "2024-10-27 5:0");  // 04:00Z
  constexpr std::int64_t kSpringChange = 1711846800;  // 2024-03-31 01:00Z: 02:00 CET -> 03:00
  EXPECT_EQ(at(kSpringChange - 60), "2024-03-31 1:59");
  EXPECT_EQ(at(kSpringChange), "2024-03-31 3:0");
  EXPECT_EQ(at(1704067200), "2024-01-01 1:0");  // New Year 00:00Z
  const LocalDateTime unknown = local_time_at("Mars/Olympus", 1704067200);
  EXPECT_EQ(unknown.time.hour, 0) << "an unknown zone reads as UTC";
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
