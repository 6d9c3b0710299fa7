#include "caldav/href.h"

#include <gtest/gtest.h>

namespace plancal::caldav {
namespace {

TEST(CaldavHrefTest, SafeUidsAreTheirOwnResourceName) {
  EXPECT_EQ(resource_name_for_uid("meeting-2024-01-15@plancal.example"),
            "meeting-2024-01-15@plancal.example.ics");
  EXPECT_EQ(resource_name_for_uid("A.b_c~d"), "A.b_c~d.ics");
}

TEST(CaldavHrefTest, UnsafeUidsAreHashed) {
  for (const char* uid :
       {"plus+sign@x", "slash/uid@x", "space uid@x", "møte@x", "%41@x", ".hidden@x", ""}) {
    const std::string name = resource_name_for_uid(uid);
    EXPECT_EQ(name.size(), 64U + 4U) << uid;
    EXPECT_TRUE(name.ends_with(".ics")) << uid;
    EXPECT_EQ(name.find_first_not_of("0123456789abcdef"), 64U) << uid;
  }
  EXPECT_EQ(resource_name_for_uid("abc"), "abc.ics");
  EXPECT_EQ(resource_name_for_uid("space uid@x"), resource_name_for_uid("space uid@x"));
  EXPECT_NE(resource_name_for_uid("space uid@x"), resource_name_for_uid("space uid@y"));
  EXPECT_EQ(resource_name_for_uid(std::string(129, 'a')).size(), 68U);
  EXPECT_EQ(resource_name_for_uid(std::string(128, 'a')).size(), 132U);
}

TEST(CaldavHrefTest, KnownSha256) {
  // printf %s 'plus+sign@x' | sha256sum
  EXPECT_EQ(resource_name_for_uid("plus+sign@x"),
            "2517552c872cc89339fd2e593c2e79e13643eddedc14427380b2b7c04fc1e240.ics");
}

TEST(CaldavHrefTest, HrefForUidLivesInTheCollection) {
  EXPECT_EQ(href_for_uid("http://h:1/cal/team/", "a@b"), "/cal/team/a@b.ics");
  EXPECT_EQ(href_for_uid("/cal/team", "a@b"), "/cal/team/a@b.ics");
}

TEST(CaldavHrefTest, PercentEncodingKeepsPcharsAndEncodesTheRest) {
  EXPECT_EQ(percent_encode_segment("a b/c%d"), "a%20b%2Fc%25d");
  EXPECT_EQ(percent_encode_segment("a@b+c:d"), "a@b+c:d");
  EXPECT_EQ(percent_encode_segment("ø"), "%C3%B8");
  EXPECT_EQ(percent_decode("a%20b%2fc%zz%4"), "a b/c%zz%4");
}

TEST(CaldavHrefTest, NormalisesTheSpellingsServersUse) {
  const std::string collection = "https://cal.example/dav/cal/";
  const std::string expected = "/dav/cal/a@b.ics";
  EXPECT_EQ(normalize_href("/dav/cal/a@b.ics", collection), expected);
  EXPECT_EQ(normalize_href("/dav/cal/a%40b.ics", collection), expected);
  EXPECT_EQ(normalize_href("https://cal.example/dav/cal/a%40b.ics", collection), expected);
  EXPECT_EQ(normalize_href("http://other:8443/dav/cal/a@b.ics", collection), expected);
  EXPECT_EQ(normalize_href("a%40b.ics", collection), expected);
  EXPECT_EQ(normalize_href("./a@b.ics", collection), expected);
  EXPECT_EQ(normalize_href("/dav/x/../cal/./a@b.ics", collection), expected);
  EXPECT_EQ(normalize_href("/dav/cal/a@b.ics?x=1#f", collection), expected);
  EXPECT_EQ(normalize_href("/dav/%63al/", collection), "/dav/cal/");
}

TEST(CaldavHrefTest, NormalisationKeepsAnEncodedSlashInsideASegment) {
  EXPECT_EQ(normalize_href("/cal/a%2Fb.ics", "/cal/"), "/cal/a%2Fb.ics");
  EXPECT_NE(normalize_href("/cal/a%2Fb.ics", "/cal/"), normalize_href("/cal/a/b.ics", "/cal/"));
}

TEST(CaldavHrefTest, SpacesAndPlusAreComparedDecoded) {
  EXPECT_EQ(normalize_href("/cal/a%20b+c.ics", "/cal/"),
            normalize_href("/cal/a b%2Bc.ics", "/cal/"));
  EXPECT_EQ(normalize_href("/cal/a b.ics", "/cal/"), "/cal/a%20b.ics");
}

TEST(CaldavHrefTest, ToleratesXandikosQuotedAbsoluteUrls) {
  EXPECT_EQ(normalize_href("http%3A//127.0.0.1%3A8000/user/calendars/x/", "/"),
            "/user/calendars/x/");
}

TEST(CaldavHrefTest, CollectionPathsEndWithASlash) {
  EXPECT_EQ(collection_path("http://h/dav/cal"), "/dav/cal/");
  EXPECT_EQ(collection_path("http://h"), "/");
  EXPECT_EQ(collection_path("/dav/M%C3%B8ter/"), "/dav/M%C3%B8ter/");
}

TEST(CaldavHrefTest, DiscoveryEntriesAreTheRootAndTheWellKnownUrl) {
  EXPECT_TRUE(is_discovery_entry("https://dav.example"));
  EXPECT_TRUE(is_discovery_entry("https://dav.example/"));
  EXPECT_TRUE(is_discovery_entry("https://dav.example/.well-known/caldav"));
  EXPECT_TRUE(is_discovery_entry("https://dav.example/.well-known/caldav/"));
  EXPECT_TRUE(is_discovery_entry("/.well-known/%63aldav"));
  EXPECT_FALSE(is_discovery_entry("https://dav.example/.well-known/carddav"));
  EXPECT_FALSE(is_discovery_entry("https://dav.example/dav/"));
  EXPECT_FALSE(is_discovery_entry("https://dav.example/.well-known/caldav/team/"));
}

TEST(CaldavHrefTest, TheParentCollectionOfAResourceOrCollection) {
  EXPECT_EQ(parent_collection("/cal/team/a.ics"), "/cal/team/");
  EXPECT_EQ(parent_collection("https://dav.example/cal/team/a.ics"), "/cal/team/");
  EXPECT_EQ(parent_collection("/cal/team/"), "/cal/");
  EXPECT_EQ(parent_collection("/a.ics"), "/");
}

}  // namespace
}  // namespace plancal::caldav
