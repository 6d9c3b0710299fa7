#pragma once
/// A plancal workspace for Graph tests and benchmarks: the seed-000 plan with a generated
/// roster whose emails are the emulator's mailboxes, a client-secret file and a config with
/// one Graph target.

#include <sys/stat.h>

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "graph_emulator_launcher.h"
#include "test_support.h"

namespace plancal::testing {

struct GraphWorkspace {
  TempDir dir;
  std::filesystem::path config;
  std::filesystem::path plan;

  /// `people` persons p00000.. with emails user00000@kommune.no.., teams A, B, C in turn.
  GraphWorkspace(int people, const std::string& graph_url, const std::string& target_graph,
                 const std::string& secret = kGraphSecret) {
    std::string roster = "id,name,email,team,leader,reports_to,roles\n";
    for (int n = 0; n < people; ++n) {
      roster += person(n) + ",Person " + std::to_string(n) + "," + graph_upn(n) + "," + team_of(n) +
                ",no,,\n";
    }
    dir.write("etc/plans/roster.csv", roster);
    std::string text = read_file(source_dir() / "config/plans/mandagsseminar-2024.yaml");
    replace(text, "roster: roster-milepaelen.csv", "roster: roster.csv");
    plan = dir.write("etc/plans/mandagsseminar-2024.yaml", text);
    const auto secret_file = dir.write("etc/graph.secret", secret + "\n");
    ::chmod(secret_file.c_str(), 0600);
    write_config(graph_url, target_graph);
  }

  void write_config(const std::string& graph_url, const std::string& target_graph) {
    const std::string base = graph_url.substr(0, graph_url.size() - 5);  // without /v1.0
    config = dir.write("etc/plancal.yaml",
                       "plans: [plans/mandagsseminar-2024.yaml]\n"
                       "database: ../var/plancal.db\n"
                       "targets:\n"
                       "  - name: m365\n"
                       "    plan: mandagsseminar-2024\n"
                       "    audience: " +
                           audience +
                           "\n"
                           "    graph:\n"
                           "      tenant: " +
                           std::string(kGraphTenant) +
                           "\n"
                           "      client_id: " +
                           client_id +
                           "\n"
                           "      client_secret: {file: graph.secret}\n"
                           "      login_url: " +
                           base +
                           "\n"
                           "      graph_url: " +
                           graph_url + "\n" + target_graph);
  }

  static std::string person(int n) {
    char text[16];
    std::snprintf(text, sizeof text, "p%05d", n);
    return text;
  }
  static std::string team_of(int n) { return std::string(1, static_cast<char>('A' + n % 3)); }

  static void replace(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("not in the plan: " + from);
    text.replace(at, from.size(), to);
  }

  void edit_plan(const std::string& from, const std::string& to) {
    std::string text = read_file(plan);
    replace(text, from, to);
    dir.write("etc/plans/mandagsseminar-2024.yaml", text);
  }

  /// Cuts the plan off where `marker` starts (drops the last meetings).
  void cut_plan_at(const std::string& marker) {
    std::string text = read_file(plan);
    const auto at = text.find(marker);
    if (at == std::string::npos) throw std::runtime_error("not in the plan: " + marker);
    dir.write("etc/plans/mandagsseminar-2024.yaml", text.substr(0, at));
  }

  ProcessResult sync(const std::vector<std::string>& extra = {}, int timeout_seconds = 120) {
    std::vector<std::string> args{plancal_binary().string(), "sync", "--config", config.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(args, {}, timeout_seconds);
  }

  /// uid -> start ("2024-01-15T09:00:00+01:00") of what `plancal expand` gives the audience.
  std::map<std::string, std::string> expected(const std::string& who) const {
    const ProcessResult r =
        run_plancal({"expand", plan.string(), "--audience", who, "--format", "json"});
    std::map<std::string, std::string> out;
    for (const auto& occurrence : nlohmann::json::parse(r.out)) {
      out[occurrence.at("uid")] = occurrence.at("start");
    }
    return out;
  }

  std::string audience = "all";
  std::string client_id = kGraphApp;
};

/// The plancal UID of an event in an emulator mailbox dump ("" for someone else's).
inline std::string plancal_uid(const nlohmann::json& event) {
  for (const auto& property :
       event.value("singleValueExtendedProperties", nlohmann::json::array())) {
    const std::string id = property.value("id", "");
    if (id.size() >= 10 && id.substr(id.size() - 10) == "plancalUid")
      return property.value("value", "");
  }
  return {};
}

/// The plancal events of a mailbox by UID, as the emulator holds them; an event without
/// plancal's UID or a UID held twice fails the test.
inline std::map<std::string, nlohmann::json> plancal_events(GraphEmulator& emulator,
                                                            const std::string& upn) {
  std::map<std::string, nlohmann::json> out;
  const nlohmann::json mailbox = emulator.mailbox(upn);
  for (const nlohmann::json& event : mailbox.at("events")) {
    const std::string uid = plancal_uid(event);
    EXPECT_FALSE(uid.empty()) << upn << ": an event without plancal's UID";
    EXPECT_TRUE(out.emplace(uid, event).second) << upn << ": duplicate " << uid;
  }
  return out;
}

}  // namespace plancal::testing
