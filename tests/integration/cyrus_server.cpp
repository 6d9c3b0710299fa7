// Cyrus IMAP 3.6 (Debian's cyrus-imapd with cyrus-caldav) as a CalDAV server for the tests:
// its master process runs an IMAP service (for cyradm) and the http service with the CalDAV
// module, from a configuration of its own in a scratch directory, with users in a SASL
// database of their own. Every DAV request answers 500 until the user's mailbox exists, so
// the start creates it with cyradm and makes one request that provisions the calendar home.
// Cyrus logs only through syslog: its messages reach the server's log through SyslogRoute.

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "caldav_servers.h"

namespace plancal::testing {

namespace {

using namespace std::chrono_literals;

const std::filesystem::path kCyrusPrograms = "/usr/lib/cyrus/bin";
constexpr const char* kAdmin = "cyrus";  ///< the IMAP administrator that creates mailboxes
constexpr const char* kUser = "alice";
constexpr const char* kPassword = "alice-secret-on-cyrus";

/// imapd.conf: every path inside `root`, CalDAV only, plain passwords from our sasldb.
std::string imapd_conf(const std::filesystem::path& root, const std::string& tag) {
  std::string text;
  auto set = [&](const std::string& key, const std::string& value) {
    text += key + ": " + value + "\n";
  };
  set("configdirectory", (root / "conf").string());
  set("partition-default", (root / "spool").string());
  set("defaultpartition", "default");
  set("sievedir", (root / "sieve").string());
  set("proc_path", (root / "run/proc").string());
  set("mboxname_lockpath", (root / "run/lock").string());
  set("lmtpsocket", (root / "run/lmtp").string());
  set("idlesocket", (root / "run/idle").string());
  set("notifysocket", (root / "run/notify").string());
  set("servername", "localhost");  // also the SASL realm of the users
  set("unixhierarchysep", "no");   // mailboxes are named user.NAME
  set("admins", kAdmin);
  set("allowplaintext", "yes");
  set("sasl_pwcheck_method", "auxprop");
  set("sasl_auxprop_plugin", "sasldb");
  set("sasl_sasldb_path", (root / "sasldb2").string());
  set("sasl_mech_list", "PLAIN LOGIN");
  set("httpmodules", "caldav");
  set("syslog_prefix", tag);
  if (geteuid() != 0) {  // run as ourselves; as root, master changes to the cyrus user
    if (const passwd* me = getpwuid(geteuid())) set("cyrus_user", me->pw_name);
  }
  return text;
}

/// cyrus.conf: the database recovery at start, IMAP and HTTP on loopback, nothing else.
std::string cyrus_conf(const std::filesystem::path& imapd_conf, int imap_port, int http_port) {
  const std::string config = " -C " + imapd_conf.string();
  auto listen = [](int port) { return "\"127.0.0.1:" + std::to_string(port) + "\""; };
  return "START {\n  recover cmd=\"ctl_cyrusdb" + config +
         " -r\"\n}\nSERVICES {\n"
         "  imap cmd=\"imapd" +
         config + " -U 30\" listen=" + listen(imap_port) +
         " prefork=0\n"
         "  http cmd=\"httpd" +
         config + " -U 30\" listen=" + listen(http_port) + " prefork=0\n}\nEVENTS {\n}\n";
}

/// The directories Debian's makedirs would make (it reads only /etc/imapd.conf).
void make_tree(const std::filesystem::path& root) {
  for (const char* dir : {"conf/db", "conf/socket", "conf/proc", "conf/lock", "conf/log",
                          "conf/msg", "conf/quota", "conf/user", "spool", "sieve", "run"}) {
    std::filesystem::create_directories(root / dir);
  }
}

void add_sasl_user(const std::filesystem::path& root, const std::string& user,
                   const std::string& password) {
  const ProcessResult run = run_process(
      {"sh", "-c", "printf '%s' \"$1\" | saslpasswd2 -p -c -f \"$2\" -u localhost \"$3\"", "sh",
       password, (root / "sasldb2").string(), user});
  if (run.exit_code != 0) throw std::runtime_error("saslpasswd2 " + user + ": " + run.err);
}

/// As root, Cyrus runs as the cyrus user: it must own its files.
void hand_to_cyrus(const std::filesystem::path& root) {
  if (geteuid() != 0) return;
  const passwd* cyrus = getpwnam("cyrus");
  const group* mail = getgrnam("mail");
  if (cyrus == nullptr || mail == nullptr) {
    throw std::runtime_error("no cyrus user or mail group: install cyrus-imapd");
  }
  auto give = [&](const std::filesystem::path& path) {
    if (chown(path.c_str(), cyrus->pw_uid, mail->gr_gid) != 0) {
      throw std::runtime_error("cannot chown " + path.string());
    }
  };
  give(root);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) give(entry.path());
}

/// The user's mailbox, made by the administrator with cyradm over IMAP.
void create_mailbox(const CaldavServer& server, int imap_port) {
  const ProcessResult run = run_process(
      {"sh", "-c",
       "printf 'cm user.%s\\n' \"$1\" | cyradm --user \"$2\" --password \"$3\" --auth PLAIN "
       "--port \"$4\" 127.0.0.1",
       "sh", server.user, kAdmin, server.password, std::to_string(imap_port)},
      {}, 60);
  if (run.exit_code != 0 || run.out.find("cyradm:") != std::string::npos ||
      run.err.find("error") != std::string::npos) {
    throw std::runtime_error("Cyrus: cyradm could not create the mailbox user." + server.user +
                             ":\n" + run.out + run.err + "\n" + server.log());
  }
}

/// The first DAV request of a user makes Cyrus provision the calendar home (Default, Inbox,
/// Outbox); it must answer 207 before a test starts.
void provision_calendars(const CaldavServer& server) {
  const ProcessResult run = run_process(
      {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-u",
       server.user + ":" + server.password, "-X", "PROPFIND", "-H", "Depth: 1", server.home_url},
      {}, 60);
  if (run.out != "207") {
    throw std::runtime_error("Cyrus: PROPFIND " + server.home_url + " answered " + run.out +
                             " instead of 207:\n" + server.log());
  }
}

}  // namespace

std::unique_ptr<CaldavServer> start_cyrus() {
  int imap_port = 0;
  auto launch = [&imap_port](int port) {
    auto server = std::make_unique<CaldavServer>();
    server->name = "Cyrus";
    server->port = port;
    server->user = kUser;
    server->password = kPassword;
    server->dir = std::make_unique<TempDir>();
    server->storage = std::make_unique<ScratchDir>();
    server->root_url = "http://127.0.0.1:" + std::to_string(port) + "/";
    server->home_url = server->root_url + "dav/calendars/user/" + server->user + "/";
    server->calendar_url = server->home_url + "Default/";
    const std::string tag = "plancal-cyrus-" + std::to_string(port);
    server->syslog = std::make_unique<SyslogRoute>(tag, server->dir->path() / "server.log");

    const std::filesystem::path& root = server->storage->path();
    imap_port = free_loopback_port();
    make_tree(root);
    const auto imapd = root / "imapd.conf";
    std::ofstream(imapd) << imapd_conf(root, tag);
    std::ofstream(root / "cyrus.conf") << cyrus_conf(imapd, imap_port, port);
    add_sasl_user(root, kAdmin, server->password);
    add_sasl_user(root, server->user, server->password);
    hand_to_cyrus(root);
    server->process = std::make_unique<ServerProcess>(
        std::vector<std::string>{(kCyrusPrograms / "master").string(), "-D", "-C", imapd.string(),
                                 "-M", (root / "cyrus.conf").string(), "-p",
                                 (root / "run/master.pid").string()},
        server->dir->path() / "server.log");
    return server;
  };
  auto ready = [&imap_port](CaldavServer& server) {
    if (!wait_for_port(imap_port, *server.process, 30s)) {
      throw std::runtime_error("Cyrus: no IMAP service on port " + std::to_string(imap_port) +
                               ":\n" + server.log());
    }
    create_mailbox(server, imap_port);
    provision_calendars(server);
  };
  return start_with_retries(launch, ready);
}

}  // namespace plancal::testing
