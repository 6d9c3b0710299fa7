#include "caldav/multistatus.h"
#include "caldav/xml.h"

#include <gtest/gtest.h>

namespace plancal::caldav {
namespace {

using xml::kCalDav;
using xml::kDav;

// Radicale style: fixed prefixes.
constexpr const char* kPrefixed = R"(<?xml version="1.0"?>
<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"
               xmlns:CS="http://calendarserver.org/ns/">
  <D:response>
    <D:href>/alice/calendar/</D:href>
    <D:propstat>
      <D:prop>
        <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
        <D:displayname>Team plan</D:displayname>
        <CS:getctag>"ctag-1"</CS:getctag>
        <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
      </D:prop>
      <D:status>HTTP/1.1 200 OK</D:status>
    </D:propstat>
    <D:propstat>
      <D:prop><D:sync-token/></D:prop>
      <D:status>HTTP/1.1 404 Not Found</D:status>
    </D:propstat>
  </D:response>
</D:multistatus>)";

// Default namespace: no prefix at all on DAV: elements.
constexpr const char* kDefaultNamespace = R"(<multistatus xmlns="DAV:">
  <response>
    <href>/cal/a.ics</href>
    <propstat><prop><getetag>"e1"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat>
  </response>
</multistatus>)";

// Xandikos style: generated prefixes, and the DAV: prefix is not "D".
constexpr const char* kGenerated =
    R"(<ns0:multistatus xmlns:ns0="DAV:" xmlns:ns3="urn:ietf:params:xml:ns:caldav"><ns0:response><ns0:href>/user/calendars/calendar/a%40b.ics</ns0:href><ns0:propstat><ns0:status>HTTP/1.1 200 OK</ns0:status><ns0:prop><ns0:getetag>"e2"</ns0:getetag><ns3:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR
]]></ns3:calendar-data></ns0:prop></ns0:propstat></ns0:response></ns0:multistatus>)";

// A misleading document: the prefix "D" bound to a namespace that is not DAV:.
constexpr const char* kWrongNamespace = R"(<D:multistatus xmlns:D="urn:not-dav"><D:response>
<D:href>/x</D:href></D:response></D:multistatus>)";

// sync-collection: a change, a removal (404) and the 507 truncation marker on the collection.
constexpr const char* kSyncTruncated = R"(<d:multistatus xmlns:d="DAV:">
  <d:response><d:href>/cal/changed.ics</d:href>
    <d:propstat><d:prop><d:getetag>"e3"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  </d:response>
  <d:response><d:href>/cal/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
  <d:response><d:href>/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status>
    <d:error><d:number-of-matches-within-limits/></d:error></d:response>
  <d:sync-token>http://example.org/sync/2</d:sync-token>
</d:multistatus>)";

TEST(CaldavXmlTest, MatchesElementsByNamespaceNotPrefix) {
  auto root = xml::parse(kGenerated);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_TRUE(root->is(kDav, "multistatus"));
  EXPECT_FALSE(root->is(kCalDav, "multistatus"));
  ASSERT_NE(root->child(kDav, "response"), nullptr);
  EXPECT_EQ(root->child("ns0", "response"), nullptr);
}

TEST(CaldavXmlTest, ParsesPrefixedMultistatusWithPropstatGroups) {
  auto parsed = parse_multistatus(kPrefixed);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->responses.size(), 1U);
  const auto& response = parsed->responses[0];
  EXPECT_EQ(response.href, "/alice/calendar/");
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.prop_text(kDav, "displayname"), "Team plan");
  EXPECT_EQ(response.prop_text(xml::kCalendarServer, "getctag"), "\"ctag-1\"");
  EXPECT_EQ(response.found_prop(kDav, "sync-token"), nullptr) << "404 propstat is not found";
  const xml::Node* type = response.found_prop(kDav, "resourcetype");
  ASSERT_NE(type, nullptr);
  EXPECT_NE(type->child(kCalDav, "calendar"), nullptr);
  const xml::Node* comps = response.found_prop(kCalDav, "supported-calendar-component-set");
  ASSERT_NE(comps, nullptr);
  ASSERT_EQ(comps->children_named(kCalDav, "comp").size(), 1U);
  EXPECT_EQ(comps->children_named(kCalDav, "comp")[0]->attribute("name"), "VEVENT");
}

TEST(CaldavXmlTest, ParsesDefaultNamespaceMultistatus) {
  auto parsed = parse_multistatus(kDefaultNamespace);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->responses.size(), 1U);
  EXPECT_EQ(parsed->responses[0].href, "/cal/a.ics");
  EXPECT_EQ(parsed->responses[0].prop_text(kDav, "getetag"), "\"e1\"");
}

TEST(CaldavXmlTest, ParsesGeneratedPrefixesAndCdataCalendarData) {
  auto parsed = parse_multistatus(kGenerated);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->responses.size(), 1U);
  const auto& response = parsed->responses[0];
  EXPECT_EQ(response.href, "/user/calendars/calendar/a%40b.ics");
  EXPECT_EQ(response.prop_text(kDav, "getetag"), "\"e2\"");
  const xml::Node* data = response.found_prop(kCalDav, "calendar-data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->text, "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
}

TEST(CaldavXmlTest, RejectsAMultistatusInAnotherNamespace) {
  auto parsed = parse_multistatus(kWrongNamespace);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("urn:not-dav"), std::string::npos);
}

TEST(CaldavXmlTest, SyncCollectionWithRemovedItemsAndTruncation) {
  auto parsed = parse_multistatus(kSyncTruncated);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->responses.size(), 3U);
  EXPECT_EQ(parsed->responses[0].prop_text(kDav, "getetag"), "\"e3\"");
  EXPECT_EQ(parsed->responses[1].href, "/cal/gone.ics");
  EXPECT_EQ(parsed->responses[1].status, 404);
  EXPECT_EQ(parsed->responses[2].status, 507);
  ASSERT_TRUE(parsed->responses[2].error.has_value());
  EXPECT_TRUE(
      conditions_of(*parsed->responses[2].error)[0].is(kDav, "number-of-matches-within-limits"));
  EXPECT_EQ(parsed->sync_token, "http://example.org/sync/2");
}

TEST(CaldavXmlTest, OneResponseWithSeveralHrefsGivesOneEntryEach) {
  auto parsed = parse_multistatus(R"(<multistatus xmlns="DAV:"><response><href>/a</href>
    <href>/b</href><status>HTTP/1.1 404 Not Found</status></response></multistatus>)");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->responses.size(), 2U);
  EXPECT_EQ(parsed->responses[1].href, "/b");
  EXPECT_EQ(parsed->responses[1].status, 404);
}

TEST(CaldavXmlTest, StatusLines) {
  EXPECT_EQ(parse_status_line("HTTP/1.1 200 OK"), 200);
  EXPECT_EQ(parse_status_line("  HTTP/1.1 404 Not Found\n"), 404);
  EXPECT_EQ(parse_status_line("HTTP/2 507"), 507);
  EXPECT_EQ(parse_status_line("200 OK"), 0);
  EXPECT_EQ(parse_status_line("HTTP/1.1 abc"), 0);
}

TEST(CaldavXmlTest, ErrorBodyNamesTheConflictingHref) {
  const auto conditions = parse_error_body(R"(<?xml version="1.0"?>
    <x:error xmlns:x="DAV:" xmlns:y="urn:ietf:params:xml:ns:caldav">
      <y:no-uid-conflict><x:href>/cal/existing.ics</x:href></y:no-uid-conflict>
    </x:error>)");
  ASSERT_EQ(conditions.size(), 1U);
  EXPECT_TRUE(conditions[0].is(kCalDav, "no-uid-conflict"));
  EXPECT_EQ(conditions[0].href, "/cal/existing.ics");
}

TEST(CaldavXmlTest, NonXmlErrorBodiesGiveNoConditions) {
  EXPECT_TRUE(parse_error_body("<html><body>Forbidden</body></html>").empty());
  EXPECT_TRUE(parse_error_body("Precondition failed").empty());
  EXPECT_TRUE(parse_error_body("").empty());
}

TEST(CaldavXmlTest, MalformedXmlIsAnError) {
  EXPECT_FALSE(xml::parse("<d:multistatus xmlns:d=\"DAV:\">").ok());
  EXPECT_FALSE(parse_multistatus("not xml").ok());
}

TEST(CaldavXmlTest, EntitiesAreNotExpandedAndNothingIsFetched) {
  auto parsed = xml::parse(R"(<?xml version="1.0"?>
    <!DOCTYPE d [<!ENTITY big "expanded"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
    <d xmlns="DAV:">&big;&ext;</d>)");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->text.find("root:"), std::string::npos);
  EXPECT_EQ(parsed->text.find("expanded"), std::string::npos);
}

TEST(CaldavXmlTest, EscapesText) {
  EXPECT_EQ(xml::escape(R"(a&b<c>"d"'e')"), "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;");
}

}  // namespace
}  // namespace plancal::caldav
