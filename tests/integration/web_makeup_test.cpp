// The one-action move to a make-up date against a real `plancal serve` and a real SMTP server
// (aiosmtpd), seen from curl: Tobias was absent from his team's date of a meeting; his leader
// signs in by the mailed link and presses "Flytt hit" next to team C's date still ahead. His
// personal feed then holds that date, team C's feed stays byte for byte as it was, a calendar
// of everyone never shows the copy, his leader's register of that date expects him, `attendance
// export --person` lists the move, and undoing it takes the date out of his calendar again.
// Nothing about the absence reaches the log.
//
// The plan is written for the test: one meeting, team A's date a week ago, team C's two weeks
// ahead, so "still ahead" holds whenever the test runs.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <regex>
#include <thread>

#include "base/civil.h"
#include "base/norwegian_text.h"
#include "caldav_servers.h"
#include "smtp_sink_process.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

std::string found(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string{};
}

/// Today's date here (the test only needs it within a day: the dates are weeks apart).
Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

/// The Monday on or before `date`.
Date monday_of(Date date) {
  while (weekday_of(date) != Weekday::Monday) date = add_days(date, -1);
  return date;
}

std::string plan_text(Date team_a, Date team_b, Date team_c) {
  return "plan: oppfolging\n"
         "title: \"Oppfølgingsmøter\"\n"
         "calendar_name: \"Oppfølging\"\n"
         "timezone: Europe/Oslo\n"
         "language: nb\n"
         "organizer: \"Stiftelsen Milepælen ungdomshjem\"\n"
         "teams:\n"
         "  - { key: A, name: Team A }\n"
         "  - { key: B, name: Team B }\n"
         "  - { key: C, name: Team C }\n"
         "roster: roster-milepaelen.csv\n"
         "rotations:\n"
         "  - key: oppfolging\n"
         "    title: Oppfølging\n"
         "    weekday: MO\n"
         "    teams: [A, B, C]\n"
         "    time: { start: \"09:00\", end: \"12:00\" }\n"
         "    location: Undervisningsbrakka\n"
         "    attendance: { programme_hours: 3 }\n"
         "    meetings:\n"
         "      - number: 1\n"
         "        topic: \"Oppfølging av nye rutiner\"\n"
         "        dates: { A: " +
         format_date(team_a) + ", B: " + format_date(team_b) + ", C: " + format_date(team_c) +
         " }\n";
}

class WebMakeupIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    team_a = add_days(monday_of(today()), -7);
    team_c = add_days(monday_of(today()), 14);
    dir.write("plans/oppfolging.yaml", plan_text(team_a, add_days(team_a, -7), team_c));
    fs::copy_file(example_plan("roster-milepaelen.csv"),
                  dir.path() / "plans/roster-milepaelen.csv");
    config =
        dir.write("plancal.yaml",
                  "plans: [plans/oppfolging.yaml]\n"
                  "database: var/plancal.db\n"
                  "feeds:\n  listen: 127.0.0.1:8080\n"
                  "  public_url: https://kalender.example.no\n"
                  "smtp:\n  url: " +
                      sink.url() + "\n  from: kalender@milepaelen.example.no\n  starttls: never\n");
    const auto published = run_plancal({"publish", "--config", config.string()});
    ASSERT_EQ(published.exit_code, 0) << published.out << published.err;
    tobias_feed = "/feeds/" + create_personal_token(config, "person:tobias.aas") + ".ics";
    team_c_feed = "/feeds/" + create_plan_token(config, "oppfolging", "team:C") + ".ics";
    everyone_feed = "/feeds/" + create_plan_token(config, "oppfolging", "all") + ".ics";
    const auto marked = run_plancal({"attendance", "mark", "--config", config.string(), "--plan",
                                     "oppfolging", "--date", format_date(team_a), "--person",
                                     "tobias.aas", "--status", "fravaer", "--by", "ingrid.haug"});
    ASSERT_EQ(marked.exit_code, 0) << marked.err;
    EXPECT_NE(marked.out.find("Du kan ta igjen møte 1 med Team C"), std::string::npos)
        << marked.out;
    server = std::make_unique<ServeProcess>(config, dir.path() / "serve.err");
  }

  HttpFetch get(const std::string& path, const std::string& session = {}) {
    std::vector<std::string> options;
    if (!session.empty()) options = {"-b", "plancal_okt=" + session};
    return fetch(dir, server->url(path), options);
  }

  HttpFetch post(const std::string& path, const std::string& body, const std::string& session) {
    return fetch(dir, server->url(path),
                 {"-X", "POST", "--data-raw", body, "-b", "plancal_okt=" + session});
  }

  /// Signs in by the link mailed to `email`; returns the session id.
  std::string sign_in(const std::string& email) {
    const std::size_t before = sink.count();
    EXPECT_EQ(
        fetch(dir, server->url("/logg-inn"), {"-X", "POST", "--data-raw", "epost=" + email}).status,
        200);
    for (int i = 0; i < 100 && sink.count() <= before; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::string link;
    for (const auto& m : sink.messages()) {
      for (const auto& part : m["parts"]) {
        const std::string text = part["text"];
        if (auto secret = found(text, "/logg-inn/([A-Za-z0-9_-]{43})"); !secret.empty()) {
          link = secret;
        }
      }
    }
    EXPECT_FALSE(link.empty()) << "no sign-in link arrived";
    const auto signed_in = fetch(dir, server->url("/logg-inn/" + link), {"-X", "POST"});
    return found(signed_in.header("set-cookie"), "plancal_okt=([A-Za-z0-9_-]{43});");
  }

  /// Polls the page at `path` (bounded, 15 s) until `wanted` says yes about its body; the body.
  std::string wait_for_page(const std::string& path,
                            const std::function<bool(const std::string&)>& wanted) {
    std::string body;
    for (int i = 0; i < 150; ++i) {
      body = get(path).body;
      if (wanted(body)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return body;
  }

  /// Polls `feed` (bounded, 15 s) until `wanted` says yes about its unfolded body; the body.
  std::string wait_for_feed(const std::string& feed,
                            const std::function<bool(const std::string&)>& wanted) {
    std::string body;
    for (int i = 0; i < 150; ++i) {
      body = unfold(get(feed).body);
      if (wanted(body)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return body;
  }

  SmtpSink sink;
  TempDir dir;
  fs::path config;
  Date team_a;
  Date team_c;
  std::string tobias_feed;
  std::string team_c_feed;
  std::string everyone_feed;
  std::unique_ptr<ServeProcess> server;
};

/// The event of `ics` whose UID contains `uid_part`, or empty.
std::string event_with(const std::string& ics, const std::string& uid_part) {
  std::size_t at = 0;
  while ((at = ics.find("BEGIN:VEVENT", at)) != std::string::npos) {
    const std::size_t end = ics.find("END:VEVENT", at);
    const std::string event = ics.substr(at, end - at);
    if (event.find(uid_part) != std::string::npos) return event;
    at = end;
  }
  return {};
}

TEST_F(WebMakeupIntegration, ALeaderMovesAnAbsentPersonToAnotherTeamsDateAndHisCalendarFollows) {
  std::string compact = format_date(team_c);  // 2026-12-21 -> 20261221
  std::erase(compact, '-');
  const std::string team_c_start = "DTSTART;TZID=Europe/Oslo:" + compact + "T090000";
  const std::string before = unfold(get(tobias_feed).body);
  ASSERT_NE(before.find("BEGIN:VCALENDAR"), std::string::npos) << before;
  EXPECT_EQ(before.find(team_c_start), std::string::npos) << "team C's date is not his yet";
  const HttpFetch team_c_before = get(team_c_feed);
  ASSERT_EQ(team_c_before.status, 200);
  ASSERT_NE(team_c_before.body.find(team_c_start), std::string::npos);

  const std::string ingrid = sign_in("ingrid.haug@example.no");
  ASSERT_FALSE(ingrid.empty());
  const std::string path = "/oppmote/oppfolging/" + format_date(team_a);
  const auto page = get(path, ingrid);
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string to_uid =
      found(page.body, "name=\"flytt\" value=\"tobias\\.aas\\|([^\"]+)\"[^>]*>Flytt hit<");
  ASSERT_FALSE(to_uid.empty()) << page.body;
  const std::string token =
      found(page.body, "<form id=\"ta-igjen\" method=\"post\" action=\"" + path +
                           "\"><input type=\"hidden\" name=\"csrf\" value=\"([0-9a-f]{64})\"");
  ASSERT_FALSE(token.empty());

  // A forged post without the token changes nothing.
  EXPECT_EQ(post(path, "flytt=tobias.aas%7C" + to_uid, ingrid).status, 403);

  const auto moved = post(path, "csrf=" + token + "&flytt=tobias.aas%7C" + to_uid, ingrid);
  ASSERT_EQ(moved.status, 303) << moved.body;
  const std::string after = wait_for_feed(tobias_feed, [&](const std::string& ics) {
    return ics.find(team_c_start) != std::string::npos;
  });
  const std::string copy = event_with(after, ".makeup-tobias.aas@");
  ASSERT_FALSE(copy.empty()) << "Tobias's feed did not gain team C's date:\n" << after;
  EXPECT_NE(copy.find(team_c_start), std::string::npos) << copy;
  EXPECT_NE(copy.find("SUMMARY:"), std::string::npos);
  EXPECT_EQ(copy.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(event_with(after, "team-A"), std::string()) << "his own (missed) date stays";

  // Team C's feed is as it was, to the byte; a calendar of everyone has no copy.
  const HttpFetch team_c_after = get(team_c_feed);
  EXPECT_EQ(team_c_after.body, team_c_before.body);
  EXPECT_EQ(team_c_after.header("etag"), team_c_before.header("etag"));
  const std::string everyone = unfold(get(everyone_feed).body);
  ASSERT_NE(everyone.find(team_c_start), std::string::npos);
  EXPECT_EQ(everyone.find("makeup"), std::string::npos) << everyone;

  // The page says so, and Ingrid's register of team C's date expects him.
  EXPECT_NE(get(path, ingrid).body.find("Flyttet til møte 1 med Team C"), std::string::npos);
  const auto there = get("/oppmote/oppfolging/" + format_date(team_c), ingrid);
  ASSERT_EQ(there.status, 200);
  EXPECT_NE(there.body.find("Tobias Aas <span class=\"att-where\">(flyttet hit"), std::string::npos)
      << there.body;

  // Everything stored about Tobias includes the move.
  const auto exported =
      run_plancal({"attendance", "export", "--config", config.string(), "--person", "tobias.aas"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("moved_at,moved_by,plan,from_date"), std::string::npos);
  EXPECT_NE(exported.out.find(to_uid), std::string::npos) << exported.out;

  // Undone: the date leaves his calendar (gone, or kept a while as cancelled).
  const std::string undo_value =
      found(get(path, ingrid).body, "name=\"angre-flytt\" value=\"([^\"]+)\"");
  ASSERT_FALSE(undo_value.empty());
  const auto undone = post(
      path,
      "csrf=" + token + "&angre-flytt=" + std::regex_replace(undo_value, std::regex("\\|"), "%7C"),
      ingrid);
  ASSERT_EQ(undone.status, 303) << undone.body;
  const std::string later = wait_for_feed(tobias_feed, [](const std::string& ics) {
    const std::string event = event_with(ics, ".makeup-tobias.aas@");
    return event.empty() || event.find("STATUS:CANCELLED") != std::string::npos;
  });
  const std::string gone = event_with(later, ".makeup-tobias.aas@");
  EXPECT_TRUE(gone.empty() || gone.find("STATUS:CANCELLED") != std::string::npos) << later;

  ASSERT_EQ(server->stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  EXPECT_NE(log.find("a make-up move was made on the attendance pages: publishing"),
            std::string::npos)
      << log;
  for (const char* personal : {"tobias", "Tobias", "fravær"}) {
    EXPECT_EQ(log.find(personal), std::string::npos) << personal << " in the log:\n" << log;
  }
}

// Tobias's own page (the link behind his personal feed) shows where he can take the meeting he
// missed, follows his leader's registers while the server runs (saved on the web or from the
// command line; no publish needed), and says so once he is moved; nobody else's page mentions
// it.
TEST_F(WebMakeupIntegration, TheAbsentPersonsOwnPageOffersTheOtherTeamsDateUntilMoved) {
  std::string tobias_page = tobias_feed;
  tobias_page.replace(0, std::string("/feeds/").size(), "/p/");
  tobias_page.erase(tobias_page.size() - std::string(".ics").size());
  const std::string offer =
      "Du kan ta igjen møte 1 med Team C " + date_text_without_year_nb(team_c);
  const auto has = [](const std::string& text) {
    return [text](const std::string& body) { return body.find(text) != std::string::npos; };
  };
  const auto lacks = [](const std::string& text) {
    return [text](const std::string& body) { return body.find(text) == std::string::npos; };
  };

  const auto first = get(tobias_page);
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("Møter du kan ta igjen"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find(offer), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("si fra til lederen din"), std::string::npos);

  // His leader registers him present after all, on the register page: the offer leaves his
  // page without a publish. Registered absent again from the command line, it is back.
  const std::string ingrid = sign_in("ingrid.haug@example.no");
  ASSERT_FALSE(ingrid.empty());
  const std::string path = "/oppmote/oppfolging/" + format_date(team_a);
  const std::string form = get(path, ingrid).body;
  const std::string csrf =
      found(form, "action=\"" + path +
                      "\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" value=\"([0-9a-f]{64})\"");
  const std::string version = found(form, "name=\"versjon:tobias\\.aas\" value=\"([0-9]+)\"");
  ASSERT_FALSE(csrf.empty() || version.empty()) << form;
  const auto saved = post(path,
                          "csrf=" + csrf + "&status:tobias.aas=attended&notat:tobias.aas=&" +
                              "versjon:tobias.aas=" + version,
                          ingrid);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(wait_for_page(tobias_page, lacks(offer)).find(offer), std::string::npos);
  const auto marked = run_plancal({"attendance", "mark", "--config", config.string(), "--plan",
                                   "oppfolging", "--date", format_date(team_a), "--person",
                                   "tobias.aas", "--status", "gyldig", "--by", "ingrid.haug"});
  ASSERT_EQ(marked.exit_code, 0) << marked.err;
  EXPECT_NE(wait_for_page(tobias_page, has(offer)).find(offer), std::string::npos);

  // Moved there: the page says it is in his calendar, and asks nothing more of him.
  const auto moved =
      run_plancal({"attendance", "makeup", "--config", config.string(), "--plan", "oppfolging",
                   "--person", "tobias.aas", "--to", format_date(team_c), "--by", "ingrid.haug"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  const std::string done = "Flyttet til møte 1 med Team C " + date_text_without_year_nb(team_c);
  const std::string after = wait_for_page(tobias_page, has(done));
  EXPECT_NE(after.find(done), std::string::npos) << after;
  EXPECT_NE(after.find("Møtet er i kalenderen din."), std::string::npos);
  EXPECT_EQ(after.find("si fra til lederen din"), std::string::npos);

  // Team C's members' pages and a page of everyone say nothing of it.
  const std::string jonas = create_personal_token(config, "person:jonas.bakke");
  for (const std::string& secret : {jonas, create_plan_token(config, "oppfolging", "all")}) {
    const auto other = get("/p/" + secret);
    EXPECT_EQ(other.status, 200) << secret;
    EXPECT_EQ(other.body.find("ta igjen"), std::string::npos) << other.body;
    EXPECT_EQ(other.body.find("Flyttet til"), std::string::npos) << other.body;
  }
  ASSERT_EQ(server->stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  for (const char* personal : {"tobias", "Tobias", "fravær"}) {
    EXPECT_EQ(log.find(personal), std::string::npos) << personal << " in the log:\n" << log;
  }
}

// The same in Chromium (tests/browser/check_makeup.py): one click on "Flytt hit", the page and
// the feed follow, and Enter in a note saves the register without undoing the move; axe-core
// and screenshots at 390 and 1280 px.
TEST_F(WebMakeupIntegration, ALeaderMovesSomeoneWithOneClickInChromium) {
  const fs::path work = dir.path() / "browser";
  fs::create_directories(work);
  const fs::path build = fs::path(plancal_binary()).parent_path();
  const auto result = run_process(
      {kDebianPython, (source_dir() / "tests/browser/check_makeup.py").string(), work.string(),
       (build / "web-screenshots").string(), (build / "browser-tools").string(), server->url(""),
       sink.mailbox().string(), "ingrid.haug@example.no",
       "/oppmote/oppfolging/" + format_date(team_a), "tobias.aas", tobias_feed},
      {}, 600);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(" passed, 0 failed"), std::string::npos) << result.out;
  std::cout << result.out.substr(result.out.rfind('\n', result.out.size() - 2) + 1);
  EXPECT_EQ(server->stop(), 0);
}

// The pushed calendar follows too: a CalDAV target holding Tobias's own calendar (Radicale,
// read back with python3-caldav, a client plancal did not write) gains the make-up date at
// the next sync after `attendance makeup`, and loses it after the undo.
TEST(WebMakeupPushIntegration, APersonalCaldavCalendarGainsTheMakeUpDateAndLosesItOnUndo) {
  const auto server = start_radicale();
  TempDir dir;
  const Date team_a = add_days(monday_of(today()), -7);
  const Date team_c = add_days(monday_of(today()), 14);
  dir.write("plans/oppfolging.yaml", plan_text(team_a, add_days(team_a, -7), team_c));
  fs::copy_file(example_plan("roster-milepaelen.csv"), dir.path() / "plans/roster-milepaelen.csv");
  const fs::path password = dir.write("caldav.pass", server->password + "\n");
  fs::permissions(password, fs::perms::owner_read | fs::perms::owner_write);
  const std::string config =
      dir.write("plancal.yaml",
                "plans: [plans/oppfolging.yaml]\ndatabase: var/plancal.db\ntargets:\n"
                "  - name: tobias\n    plan: oppfolging\n    audience: person:tobias.aas\n"
                "    caldav:\n      url: " +
                    server->calendar_url + "\n      username: " + server->user +
                    "\n      password: {file: caldav.pass}\n      max_in_flight: 1\n")
          .string();
  const auto plancal = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--config", config});
    return run_plancal(args);
  };
  const auto calendar = [&] {
    const auto listed =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     server->calendar_url, server->user, server->password, "--resources"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return listed.out;
  };
  const std::string copy_uid = ".makeup-tobias.aas@plancal";
  const std::string team_c_start = format_date(team_c) + "T09:00:00";  // +01:00 or +02:00

  ASSERT_EQ(plancal({"sync"}).exit_code, 0);
  const std::string before = calendar();
  EXPECT_NE(before.find("team-A"), std::string::npos) << before;
  EXPECT_EQ(before.find(copy_uid), std::string::npos) << before;

  const std::string date = format_date(team_a);
  ASSERT_EQ(plancal({"attendance", "mark", "--plan", "oppfolging", "--date", date, "--person",
                     "tobias.aas", "--status", "fravaer"})
                .exit_code,
            0);
  const auto moved = plancal({"attendance", "makeup", "--plan", "oppfolging", "--person",
                              "tobias.aas", "--to", format_date(team_c)});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_NE(moved.out.find("Tobias Aas: Flyttet til møte 1 med Team C"), std::string::npos)
      << moved.out;
  const auto synced = plancal({"sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.out << synced.err;
  EXPECT_NE(synced.out.find("1 created"), std::string::npos) << synced.out;
  const std::string after = calendar();
  const auto line_at = after.find(copy_uid);
  ASSERT_NE(line_at, std::string::npos) << after;
  const std::string line = after.substr(after.rfind('\n', line_at) + 1,
                                        after.find('\n', line_at) - after.rfind('\n', line_at));
  EXPECT_NE(line.find(team_c_start), std::string::npos) << line;

  ASSERT_EQ(plancal({"attendance", "makeup", "--plan", "oppfolging", "--person", "tobias.aas",
                     "--to", format_date(team_c), "--undo"})
                .exit_code,
            0);
  ASSERT_EQ(plancal({"sync"}).exit_code, 0);
  EXPECT_EQ(calendar().find(copy_uid), std::string::npos) << "the undo took the date out";
}

}  // namespace
}  // namespace plancal::testing
