// The signed-in attendance pages against a real `plancal serve` and a real SMTP server
// (aiosmtpd), seen from curl: a leader signs in by the link that arrived by mail, registers
// three people, finds them kept and the change in the audit trail; a form without its CSRF
// token is refused and changes nothing; another leader sees 404; an address that is no leader
// gets the same page and no mail; a link works once; sign-out ends the session; and no link,
// session id or cookie value reaches the log or the database file.

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "smtp_sink_process.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

std::string part_text(const nlohmann::json& message, const std::string& type) {
  for (const auto& part : message["parts"]) {
    if (part["type"] == type) return part["text"];
  }
  return {};
}

std::string first_match(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return {};
  return m[1];
}

class WebAttendanceIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    config = write_published_seeds(dir);
    std::ofstream(config, std::ios::app)
        << "smtp:\n  url: " << sink.url()
        << "\n  from: kalender@milepaelen.example.no\n  starttls: never\n"
           "attendance:\n  admins: [kontor@milepaelen.example.no]\n";
    server = std::make_unique<ServeProcess>(config, dir.path() / "serve.err");
  }

  HttpFetch get(const std::string& path, const std::string& session = {}) {
    std::vector<std::string> options;
    if (!session.empty()) options = {"-b", "plancal_okt=" + session};
    return fetch(dir, server->url(path), options);
  }

  HttpFetch post(const std::string& path, const std::string& body,
                 const std::string& session = {}) {
    std::vector<std::string> options = {"-X", "POST", "--data-raw", body};
    if (!session.empty()) options.insert(options.end(), {"-b", "plancal_okt=" + session});
    return fetch(dir, server->url(path), options);
  }

  /// The link secret in the newest mail to `email`, or empty.
  std::string link_in_mail(const std::string& email) {
    std::string secret;
    for (const auto& m : sink.messages()) {
      if (m["rcpt_tos"] != nlohmann::json::array({email})) continue;
      secret = first_match(part_text(m, "text/plain"),
                           "https://kalender\\.example\\.no/logg-inn/([A-Za-z0-9_-]{43})");
    }
    return secret;
  }

  /// Waits (bounded) for mail number `count` to arrive: the server sends off the request.
  std::string link_for(const std::string& email, std::size_t count) {
    for (int i = 0; i < 100 && sink.count() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return link_in_mail(email);
  }

  /// Signs in by mail as `email`; returns the session id and keeps the cookie line seen.
  std::string sign_in(const std::string& email) {
    const std::size_t before = sink.count();
    const auto asked = post("/logg-inn", "epost=" + email);
    EXPECT_EQ(asked.status, 200) << asked.body;
    const std::string secret = link_for(email, before + 1);
    EXPECT_FALSE(secret.empty()) << "no link mailed to " << email;
    secrets.push_back(secret);
    const auto page = get("/logg-inn/" + secret);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<form method=\"post\" action=\"/logg-inn/" + secret + "\""),
              std::string::npos);
    const auto signed_in = post("/logg-inn/" + secret, "");
    EXPECT_EQ(signed_in.status, 303) << signed_in.body;
    EXPECT_EQ(signed_in.header("location"), "/oppmote");
    cookie_line = signed_in.header("set-cookie");
    const std::string id = first_match(cookie_line, "plancal_okt=([A-Za-z0-9_-]{43});");
    secrets.push_back(id);
    return id;
  }

  /// The CSRF token of the form posting to `action` in `html`.
  static std::string csrf_of(const std::string& html, const std::string& action) {
    return first_match(html, "action=\"" + action +
                                 "\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" "
                                 "value=\"([0-9a-f]{64})\"");
  }

  SmtpSink sink;
  TempDir dir;
  fs::path config;
  std::unique_ptr<ServeProcess> server;
  std::vector<std::string> secrets;  ///< every link and session id handed out
  std::string cookie_line;
};

TEST_F(WebAttendanceIntegration, ALeaderSignsInByMailRegistersAndOnlyTheirOwnPeopleAreReachable) {
  // Someone who leads nobody gets the same page, and no mail.
  const auto stranger = post("/logg-inn", "epost=sindre.lunde%40example.no");
  ASSERT_EQ(stranger.status, 200);
  const auto unknown = post("/logg-inn", "epost=ukjent%40example.no");
  EXPECT_EQ(unknown.body, stranger.body);
  EXPECT_EQ(get("/oppmote").status, 303) << "no session: off to the sign-in page";

  const std::string ingrid = sign_in("ingrid.haug@example.no");
  ASSERT_FALSE(ingrid.empty());
  // Mails leave in order: had the two above been sent, they would have arrived first.
  EXPECT_EQ(sink.count(), 1U);
  EXPECT_NE(cookie_line.find("HttpOnly"), std::string::npos) << cookie_line;
  EXPECT_NE(cookie_line.find("SameSite=Lax"), std::string::npos) << cookie_line;
  EXPECT_NE(cookie_line.find("Path=/"), std::string::npos) << cookie_line;
  EXPECT_NE(cookie_line.find("Secure"), std::string::npos) << "public_url is https";
  EXPECT_EQ(post("/logg-inn/" + secrets.front(), "").status, 404) << "a link works once";

  const auto overview = get("/oppmote", ingrid);
  ASSERT_EQ(overview.status, 200) << overview.body;
  EXPECT_NE(overview.header("content-security-policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(overview.header("cache-control"), "no-store");
  EXPECT_NE(overview.body.find("Sindre Lunde"), std::string::npos);
  EXPECT_EQ(overview.body.find("Nora Vik"), std::string::npos) << "team B is not Ingrid's";
  EXPECT_NE(overview.body.find("<svg class=\"hours-bar\""), std::string::npos);
  const std::string path = first_match(overview.body, "href=\"(/oppmote/[^\"]+)\"");
  ASSERT_FALSE(path.empty()) << overview.body;

  const auto page = get(path, ingrid);
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string token = csrf_of(page.body, path);
  ASSERT_FALSE(token.empty());
  const std::string form =
      "status:sindre.lunde=attended&notat:sindre.lunde=&"
      "status:maja.berntsen=late&notat:maja.berntsen=Buss+forsinket&"
      "status:tobias.aas=absent&notat:tobias.aas=";
  const auto saved = post(path, "csrf=" + token + "&" + form, ingrid);
  ASSERT_EQ(saved.status, 303) << saved.body;

  const auto kept = get(path, ingrid);
  ASSERT_EQ(kept.status, 200);
  EXPECT_NE(kept.body.find("name=\"status:sindre.lunde\" value=\"attended\" checked"),
            std::string::npos);
  EXPECT_NE(kept.body.find("name=\"status:maja.berntsen\" value=\"late\" checked"),
            std::string::npos);
  EXPECT_NE(kept.body.find("name=\"status:tobias.aas\" value=\"absent\" checked"),
            std::string::npos);
  EXPECT_NE(kept.body.find("value=\"Buss forsinket\""), std::string::npos);

  // Tobias had a valid reason after all: the change shows in the audit trail.
  const auto changed = post(path,
                            "csrf=" + csrf_of(kept.body, path) +
                                "&status:tobias.aas=excused&notat:tobias.aas=Syk&"
                                "versjon:tobias.aas=1",
                            ingrid);
  ASSERT_EQ(changed.status, 303) << changed.body;
  const auto audit = get(path, ingrid);
  EXPECT_NE(audit.body.find("Tobias Aas fra fravær til gyldig fravær"), std::string::npos)
      << audit.body;
  EXPECT_NE(audit.body.find("Ingrid Haug endret Sindre Lunde fra ikke registrert til møtt"),
            std::string::npos);

  // Without the CSRF token: 403, and nothing changes.
  const auto forged = post(path, "status:tobias.aas=attended", ingrid);
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(get(path, ingrid).body.find("name=\"status:tobias.aas\" value=\"excused\" checked"),
            std::string::npos);

  // Another leader: 404 for Ingrid's date, whatever the form says.
  const std::string henrik = sign_in("henrik.solberg@example.no");
  ASSERT_FALSE(henrik.empty());
  EXPECT_EQ(get(path, henrik).status, 404);
  const auto henrik_page = get("/oppmote", henrik);
  EXPECT_EQ(henrik_page.body.find(path), std::string::npos) << "not among Henrik's dates";
  EXPECT_EQ(
      post(path, "csrf=" + csrf_of(henrik_page.body, "/logg-ut") + "&status:tobias.aas=absent",
           henrik)
          .status,
      404);
  EXPECT_NE(get(path, ingrid).body.find("name=\"status:tobias.aas\" value=\"excused\" checked"),
            std::string::npos)
      << "Henrik's post changed nothing";
  EXPECT_EQ(get("/oppmote/mandagsseminar-2024/2024-13-01", henrik).status, 404);

  // An admin sees everyone.
  const std::string admin = sign_in("kontor@milepaelen.example.no");
  const auto all = get("/oppmote", admin);
  EXPECT_NE(all.body.find("Nora Vik"), std::string::npos);
  EXPECT_NE(all.body.find("Sindre Lunde"), std::string::npos);

  // Sign-out ends the session on the server: the same cookie opens nothing afterwards.
  const auto out = post("/logg-ut", "csrf=" + csrf_of(overview.body, "/logg-ut"), ingrid);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(get("/oppmote", ingrid).status, 303);
  EXPECT_EQ(get(path, ingrid).status, 303);

  ASSERT_EQ(server->stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  std::string database;
  for (const char* suffix : {"", "-wal"}) {
    const fs::path file = dir.path() / (std::string("var/plancal.db") + suffix);
    if (fs::exists(file)) database += read_file(file);
  }
  ASSERT_FALSE(database.empty());
  for (const auto& secret : secrets) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret in the log";
    EXPECT_EQ(database.find(secret), std::string::npos) << "a secret in the database file";
  }
  for (const char* personal : {"Buss forsinket", "gyldig", "tobias.aas", "ukjent@example.no"}) {
    EXPECT_EQ(log.find(personal), std::string::npos) << personal << " in the log:\n" << log;
  }
}

TEST_F(WebAttendanceIntegration, AnAdminAddedToTheConfigSignsInAfterSighup) {
  const std::string newcomer = "leder@milepaelen.example.no";
  ASSERT_EQ(post("/logg-inn", "epost=" + newcomer).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(sink.count(), 0U) << "not an admin yet: no link";

  std::string text = read_file(config);
  const std::string admins = "admins: [kontor@milepaelen.example.no]";
  ASSERT_NE(text.find(admins), std::string::npos);
  text.replace(text.find(admins), admins.size(),
               "admins: [kontor@milepaelen.example.no, " + newcomer + "]");
  std::ofstream(config, std::ios::trunc) << text;
  server->signal(SIGHUP);
  // The reload is done when the feeds are rebuilt after it (bounded wait).
  const fs::path log = dir.path() / "serve.err";
  const auto reloaded = [&] {
    const std::string lines = read_file(log);
    const auto hup = lines.find("SIGHUP: reloading");
    return hup != std::string::npos && lines.find("feed catalog:", hup) != std::string::npos;
  };
  for (int i = 0; i < 100 && !reloaded(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(reloaded()) << read_file(log);

  const std::string session = sign_in(newcomer);
  ASSERT_FALSE(session.empty());
  const auto everyone = get("/oppmote", session);
  EXPECT_EQ(everyone.status, 200);
  EXPECT_NE(everyone.body.find("Nora Vik"), std::string::npos) << "an admin sees everyone";
  EXPECT_EQ(server->stop(), 0);
}

}  // namespace
}  // namespace plancal::testing
