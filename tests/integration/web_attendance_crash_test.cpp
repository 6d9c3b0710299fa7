// Crash safety of the register page: a leader signed in by the link that arrived at a real
// SMTP server (aiosmtpd) saves registrations for their people, notes and an added extra
// staff member to a real `plancal serve`, which is killed with SIGKILL while POSTs are in
// flight and restarted on the same database, over and over. At the end, read through the
// store itself: every save that was answered is there as answered, a killed save is there
// whole or not at all, the audit trail holds each saved change once and nothing never posted,
// and the database passes PRAGMA integrity_check.

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "raw_http.h"
#include "smtp_sink_process.h"
#include "store/attendance_registers.h"
#include "store/sqlite.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::microseconds;
using std::chrono::steady_clock;

constexpr const char* kCrashPlan = "mandagsseminar-2024";
/// Team A's meeting 1 in seed 000: Ingrid Haug's register.
constexpr const char* kCrashRegister = "/oppmote/mandagsseminar-2024/2024-01-15";
/// An extra staff member ("ekstravakt") reporting to Ingrid, on Team C: not scheduled on
/// Team A's date, so she is added to the register through the form's "legg til" part.
constexpr const char* kExtraId = "vilde.ekstra";
const std::array<std::string, 4> kCrashStatuses = {"attended", "late", "excused", "absent"};

std::string crash_first_match(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return {};
  return m[1];
}

/// application/x-www-form-urlencoded, as a browser sends it.
std::string form_encoded(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '*') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// What one save asked for a person: the round it belongs to names it in the note, so every
/// note is unique and a note in the store tells which POST wrote it.
struct PostedValue {
  int round = 0;
  std::string status;
  std::string note;
};

PostedValue value_for(int round, std::size_t person_index) {
  return {round, kCrashStatuses[(static_cast<std::size_t>(round) + person_index) % 4],
          "Runde " + std::to_string(round) + ": kom med «bussen» & \"toget\" æøå"};
}

/// A socket closed when it goes out of scope.
class SocketHandle {
 public:
  explicit SocketHandle(int fd) : fd_(fd) {}
  ~SocketHandle() {
    if (fd_ >= 0) close(fd_);
  }
  SocketHandle(const SocketHandle&) = delete;
  SocketHandle& operator=(const SocketHandle&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

/// How a raw POST went: whether it left whole, the status of a complete answer (0: none
/// came) and how long the answer took.
struct PostOutcome {
  bool sent = false;
  int status = 0;
  std::string location;
  microseconds took{0};
};

/// Everything that arrives on `fd` until the server closes it (at most 10 s).
std::string read_all_until_closed(int fd) {
  std::string text;
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

/// Sends `request` on a new connection to `port` and reads the answer until the server
/// closes the connection (a SIGKILL closes it too).
PostOutcome post_raw(int port, const std::string& request) {
  PostOutcome outcome;
  const SocketHandle socket(open_idle_connection(port));
  if (socket.get() < 0) return outcome;
  const auto sent_at = steady_clock::now();
  outcome.sent = send(socket.get(), request.data(), request.size(), MSG_NOSIGNAL) ==
                 static_cast<ssize_t>(request.size());
  if (!outcome.sent) return outcome;
  const std::string answer = read_all_until_closed(socket.get());
  outcome.took = std::chrono::duration_cast<microseconds>(steady_clock::now() - sent_at);
  if (answer.find("\r\n\r\n") == std::string::npos) return outcome;  // no complete head
  outcome.status = std::atoi(crash_first_match(answer, "^HTTP/1\\.1 ([0-9]{3}) ").c_str());
  outcome.location = crash_first_match(answer, "\r\n[Ll]ocation: ([^\r]*)\r\n");
  return outcome;
}

/// Seed 000 published with the extra staff member in its roster, and an smtp: section.
fs::path crash_world(const TempDir& dir, const SmtpSink& sink) {
  const fs::path config = write_published_seeds(dir);
  std::ofstream(dir.path() / "plans/roster-milepaelen.csv", std::ios::app)
      << kExtraId << ",Vilde Ekstra,vilde.ekstra@example.no,C,no,ingrid.haug,\n";
  std::ofstream(config, std::ios::app) << "smtp:\n  url: " << sink.url()
                                       << "\n  from: kalender@milepaelen.example.no\n"
                                          "  starttls: never\n";
  return config;
}

/// Signs Ingrid Haug in by the link mailed to her; returns the session id from the cookie.
std::string sign_in_ingrid(const TempDir& dir, const ServeProcess& server, const SmtpSink& sink) {
  const auto asked = fetch(dir, server.url("/logg-inn"),
                           {"-X", "POST", "--data-raw", "epost=ingrid.haug%40example.no"});
  EXPECT_EQ(asked.status, 200) << asked.body;
  for (int i = 0; i < 100 && sink.count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string link;
  for (const auto& m : sink.messages()) {
    for (const auto& part : m["parts"]) {
      if (part["type"] != "text/plain") continue;
      link = crash_first_match(part["text"],
                               "https://kalender\\.example\\.no/logg-inn/([A-Za-z0-9_-]{43})");
    }
  }
  if (link.empty()) return {};
  const auto signed_in =
      fetch(dir, server.url("/logg-inn/" + link), {"-X", "POST", "--data-raw", ""});
  EXPECT_EQ(signed_in.status, 303) << signed_in.body;
  return crash_first_match(signed_in.header("set-cookie"), "plancal_okt=([A-Za-z0-9_-]{43});");
}

/// The register page as the leader's browser would read it before a save.
struct RegisterForm {
  int status = 0;
  std::string csrf;
  std::map<std::string, int> versions;  ///< person id -> version, one per row
  bool extra_addable = false;
};

RegisterForm read_register(const TempDir& dir, const ServeProcess& server,
                           const std::string& session) {
  const auto page =
      fetch(dir, server.url(kCrashRegister), {"-b", std::string("plancal_okt=") + session});
  RegisterForm form;
  form.status = page.status;
  form.csrf = crash_first_match(page.body, std::string("action=\"") + kCrashRegister +
                                               "\"[^>]*>\\s*<input type=\"hidden\" "
                                               "name=\"csrf\" value=\"([0-9a-f]{64})\"");
  const std::regex version("name=\"versjon:([a-z.]+)\" value=\"([0-9]+)\"");
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), version);
       it != std::sregex_iterator(); ++it) {
    form.versions[(*it)[1]] = std::stoi((*it)[2]);
  }
  form.extra_addable =
      page.body.find(std::string("<option value=\"") + kExtraId + "\"") != std::string::npos;
  return form;
}

/// Ingrid's people on the date, in the order the round's values are given out.
const std::vector<std::string>& crash_people() {
  static const std::vector<std::string> people = {"ingrid.haug", "sindre.lunde", "maja.berntsen",
                                                  "tobias.aas", kExtraId};
  return people;
}

/// The form a browser posts for round `round`: every row with the version the page showed
/// (`versions`), and the extra staff member added while she is not a row yet.
std::string register_body(const std::string& csrf, const std::map<std::string, int>& versions,
                          int round) {
  std::string body = "csrf=" + csrf;
  for (std::size_t i = 0; i < crash_people().size(); ++i) {
    const std::string& id = crash_people()[i];
    const PostedValue value = value_for(round, i);
    if (versions.count(id) != 0) {
      body += "&status%3A" + id + "=" + value.status + "&notat%3A" + id + "=" +
              form_encoded(value.note) + "&versjon%3A" + id + "=" + std::to_string(versions.at(id));
    } else if (id == kExtraId) {
      body += "&legg-til=" + id + "&legg-til-status=" + value.status +
              "&legg-til-notat=" + form_encoded(value.note);
    }
  }
  return body;
}

std::string post_request(int port, const std::string& session, const std::string& body) {
  return std::string("POST ") + kCrashRegister +
         " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nCookie: plancal_okt=" + session +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

/// The round a stored note was written by, or -1 when no round wrote it.
int round_of(const std::string& note) {
  const std::string digits = crash_first_match(note, "^Runde ([0-9]+): ");
  if (digits.empty()) return -1;
  const int round = std::stoi(digits);
  return note == value_for(round, 0).note ? round : -1;
}

bool crash_database_intact(const fs::path& path) {
  auto db = sqlite::Database::open(path.string());
  if (!db) return false;
  auto check = sqlite::Statement::prepare(*db, "PRAGMA integrity_check");
  if (!check) return false;
  auto row = check->step();
  return row.ok() && *row && check->text(0) == "ok";
}

TEST(WebAttendanceCrashIntegration, RegistrationsSavedWhileTheServerIsKilledLoseAndDoubleNothing) {
  SmtpSink sink;
  TempDir dir;
  const fs::path config = crash_world(dir, sink);
  auto server = std::make_unique<ServeProcess>(config, dir.path() / "serve.err");
  const std::string session = sign_in_ingrid(dir, *server, sink);
  ASSERT_FALSE(session.empty()) << "no session for Ingrid";

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::mt19937 random(seed);
  constexpr int kKills = 14;
  constexpr int kMostSavesPerLife = 40;  // bounds a life whose kill never comes
  int round = 0;
  int landed = 0;
  std::set<int> answered;  ///< rounds whose save was answered 303 to the register
  std::set<int> posted;    ///< every round sent
  std::vector<microseconds> answer_times;
  for (int kill = 0; kill < kKills; ++kill) {
    SCOPED_TRACE("server life " + std::to_string(kill));
    // The page once, as a browser opens it; then saves back to back, each with the versions
    // the page after the previous save would show, until the kill: it comes at a random
    // moment within about six saves' time, from another thread.
    const RegisterForm form = read_register(dir, *server, session);
    ASSERT_EQ(form.status, 200) << "the session must survive a restart: it is in the database";
    ASSERT_FALSE(form.csrf.empty());
    std::map<std::string, int> versions = form.versions;
    std::vector<microseconds> sorted = answer_times;
    std::sort(sorted.begin(), sorted.end());
    const long typical = sorted.empty() ? 5000 : sorted[sorted.size() / 2].count();
    const microseconds delay(std::uniform_int_distribution<long>(0, 6 * typical)(random));
    std::thread killer([&server, delay] {
      std::this_thread::sleep_for(delay);
      server->signal(SIGKILL);
    });
    for (int save = 0; save < kMostSavesPerLife; ++save) {
      ++round;
      posted.insert(round);
      const std::string body = register_body(form.csrf, versions, round);
      const PostOutcome outcome =
          post_raw(server->port(), post_request(server->port(), session, body));
      if (outcome.status == 303 && outcome.location == kCrashRegister) {
        answered.insert(round);
        answer_times.push_back(outcome.took);
        for (const auto& id : crash_people()) ++versions[id];  // the extra: added at 1
        continue;
      }
      if (outcome.sent && outcome.status == 0) ++landed;  // killed before it was answered
      EXPECT_TRUE(outcome.status == 0)
          << "round " << round << ": answered " << outcome.status << " " << outcome.location;
      break;
    }
    killer.join();
    server.reset();  // reaps the killed server
    server = std::make_unique<ServeProcess>(config, dir.path() / "serve.err");
  }
  // What the leader sees after the last restart: the page, with the session still valid.
  const RegisterForm last_page = read_register(dir, *server, session);
  EXPECT_EQ(last_page.status, 200);
  EXPECT_EQ(last_page.versions.size(), crash_people().size()) << "the extra staff member added";
  ASSERT_EQ(server->stop(), 0);
  EXPECT_GE(landed, kKills / 2) << "too few kills landed while a save was in flight";

  const fs::path database = dir.path() / "var/plancal.db";
  EXPECT_TRUE(crash_database_intact(database)) << "PRAGMA integrity_check";
  auto opened = StateDatabase::open(database.string());
  ASSERT_TRUE(opened) << opened.error().message;
  AttendanceRegisters registers(*opened);
  const auto records = registers.records({kCrashPlan, "", 2024});
  const auto audit = registers.audit({kCrashPlan, "", 2024});
  ASSERT_TRUE(records && audit);

  // Per person, the rounds the audit trail holds, in order, each with what that round posted.
  std::map<std::string, std::vector<int>> rounds_of;
  for (const auto& change : *audit) {
    const auto person = std::find(crash_people().begin(), crash_people().end(), change.person_id);
    ASSERT_NE(person, crash_people().end()) << "a change for " << change.person_id;
    const auto index = static_cast<std::size_t>(person - crash_people().begin());
    const int written_by = round_of(change.new_note);
    ASSERT_TRUE(posted.count(written_by) == 1) << "never posted: " << change.new_note;
    ASSERT_TRUE(change.new_status.has_value());
    EXPECT_EQ(status_code(*change.new_status), value_for(written_by, index).status)
        << "round " << written_by << ", " << change.person_id;
    EXPECT_EQ(change.changed_by, "ingrid.haug");
    EXPECT_EQ(change.source, "web");
    auto& rounds = rounds_of[change.person_id];
    EXPECT_TRUE(rounds.empty() || rounds.back() < written_by)
        << change.person_id << ": round " << written_by << " twice or out of order";
    // The trail is a chain: each change starts where the one before it ended.
    const std::string before = rounds.empty() ? "" : value_for(rounds.back(), index).note;
    EXPECT_EQ(change.old_note, before) << change.person_id << ", round " << written_by;
    rounds.push_back(written_by);
  }

  // A save is kept whole or not at all: every person has the same rounds (the extra staff
  // member from the round that added her). Every answered one is among them.
  const std::vector<int>& kept = rounds_of["ingrid.haug"];
  ASSERT_FALSE(kept.empty());
  ASSERT_FALSE(rounds_of[kExtraId].empty()) << "the extra staff member was never added";
  for (const auto& id : crash_people()) {
    std::vector<int> expected = kept;
    if (id == kExtraId) std::erase_if(expected, [&](int r) { return r < rounds_of[id].front(); });
    EXPECT_EQ(rounds_of[id], expected) << id << ": a save was kept in part";
  }
  for (const int r : answered) {
    EXPECT_TRUE(std::find(kept.begin(), kept.end(), r) != kept.end())
        << "round " << r << " was answered but is not kept";
  }
  // The unanswered rounds that were kept all the same: the kill came after the commit.
  int kept_unanswered = 0;
  for (const int r : kept) kept_unanswered += answered.count(r) == 0 ? 1 : 0;

  // The register holds the last kept round for each person, once.
  ASSERT_EQ(records->size(), crash_people().size());
  for (std::size_t i = 0; i < crash_people().size(); ++i) {
    const auto& id = crash_people()[i];
    const auto record = std::find_if(records->begin(), records->end(),
                                     [&](const AttendanceRecord& r) { return r.person_id == id; });
    ASSERT_NE(record, records->end()) << id;
    const PostedValue last = value_for(rounds_of[id].back(), i);
    EXPECT_EQ(record->note, last.note) << id;
    EXPECT_EQ(status_code(record->status), last.status) << id;
    EXPECT_EQ(record->added, id == kExtraId) << id;
    EXPECT_EQ(record->version, static_cast<std::int64_t>(rounds_of[id].size())) << id;
  }
  EXPECT_FALSE(answered.empty());
  std::printf(
      "[ registrations ] %d saves in %d server lives, %zu answered, %d kill(s) of %d landed "
      "while a save was in flight, %d unanswered save(s) kept (killed after the commit), "
      "%zu audit rows\n",
      round, kKills, answered.size(), landed, kKills, kept_unanswered, audit->size());
}

}  // namespace
}  // namespace plancal::testing
