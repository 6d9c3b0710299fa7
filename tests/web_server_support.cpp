#include "web_server_support.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace plancal::testing {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in plan: " + from);
  text.replace(at, from.size(), to);
}

void publish(const fs::path& config, const std::string& now) {
  const auto run = run_plancal({"publish", "--config", config.string(), "--now", now});
  if (run.exit_code != 0) throw std::runtime_error("plancal publish failed: " + run.err);
}

constexpr const char* kSecondPlan = R"yaml(plan: kollegaveiledning-a
title: "Kollegaveiledning i team A"
calendar_name: "Kollegaveiledning"
timezone: Europe/Oslo
organizer: "Stiftelsen Milepælen ungdomshjem"
teams:
  - { key: A, name: Team A }
  - { key: B, name: Team B }
  - { key: C, name: Team C }
roster: roster-milepaelen.csv
weekly:
  - key: veiledning
    title: "Kollegaveiledning i team A"
    audience: [team:A]
    weekday: WE
    time: { start: "13:00", end: "14:00" }
    location: "Møterom 2"
    from: 2027-01-06
    until: 2027-01-27
    topic: "Saker fra uka"
    preparation:
      - "Ta med én sak fra uka & et spørsmål til <gruppa>."
)yaml";

}  // namespace

std::string HttpFetch::header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

HttpFetch fetch(const TempDir& dir, const std::string& url,
                const std::vector<std::string>& options) {
  const auto headers_file = dir.path() / "curl-headers.txt";
  const auto body_file = dir.path() / "curl-body.bin";
  fs::remove(body_file);  // curl leaves it alone when a response has no body
  std::vector<std::string> argv{"curl",       "-sS",
                                "--max-time", "20",
                                "-D",         headers_file.string(),
                                "-o",         body_file.string(),
                                "-w",         "%{http_code}"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(url);
  const auto run = run_process(argv, {}, 30);
  HttpFetch result;
  result.status = std::atoi(run.out.c_str());
  std::istringstream lines(read_file(headers_file));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    result.headers[lower(line.substr(0, colon))] =
        line.substr(line.find_first_not_of(' ', colon + 1));
  }
  if (fs::exists(body_file)) result.body = read_file(body_file);
  return result;
}

std::string unfold(std::string ics) {
  for (auto at = ics.find("\r\n "); at != std::string::npos; at = ics.find("\r\n ", at)) {
    ics.erase(at, 3);
  }
  return ics;
}

fs::path write_published_seeds(const TempDir& dir) {
  std::string seminar = read_file(example_plan("mandagsseminar-2024.yaml"));
  replace_once(seminar, "topic: \"A-KAT\"",
               R"(topic: "<script>alert(\"x\")</script> & \"sitat\"")");
  const std::string topic_ten = "topic: \"Ungdomshjernen og omsorgstretthet\"";
  std::string first = seminar;
  replace_once(first, topic_ten, "topic: \"TBA\"");  // as the seed's table has it
  dir.write("plans/mandagsseminar-2024.yaml", first);
  dir.write("plans/dybdemoter-2021.yaml", read_file(example_plan("dybdemoter-2021.yaml")));
  dir.write("plans/roster-milepaelen.csv", read_file(example_plan("roster-milepaelen.csv")));
  dir.write("plans/kollegaveiledning-a.yaml", kSecondPlan);
  const fs::path config =
      dir.write("plancal.yaml",
                "plans: [plans/mandagsseminar-2024.yaml, plans/kollegaveiledning-a.yaml,\n"
                "        plans/dybdemoter-2021.yaml]\n"
                "database: var/plancal.db\nfeeds:\n  listen: 127.0.0.1:8080\n"
                "  public_url: https://kalender.example.no\n");
  publish(config, "1704067200");  // 2024-01-01: the programme as first handed out

  replace_once(seminar, "dates: { A: 2024-10-07, B: 2024-09-30, C: 2024-10-14 }",
               "dates: { A: 2024-10-21, B: 2024-09-30, C: 2024-10-14 }");
  const auto nine = seminar.find("      - number: 9\n");
  const auto ten = seminar.find("      - number: 10\n");
  if (nine == std::string::npos || ten == std::string::npos) {
    throw std::runtime_error("seed 000 lost meetings 9 and 10");
  }
  seminar.erase(nine, ten - nine);
  dir.write("plans/mandagsseminar-2024.yaml", seminar);
  publish(config, "1719792000");  // 2024-07-01
  return config;
}

std::string create_personal_token(const fs::path& config, const std::string& audience) {
  const auto created =
      run_plancal({"feed", "token", "create", "--config", config.string(), "--audience", audience});
  if (created.exit_code != 0) throw std::runtime_error("token create failed: " + created.err);
  std::smatch match;
  if (!std::regex_search(created.out, match, std::regex("secret: ([A-Za-z0-9_-]+)"))) {
    throw std::runtime_error("no secret in: " + created.out);
  }
  return match[1];
}

std::string create_plan_token(const fs::path& config, const std::string& plan,
                              const std::string& audience) {
  const auto created = run_plancal({"feed", "token", "create", "--config", config.string(),
                                    "--plan", plan, "--audience", audience});
  if (created.exit_code != 0) throw std::runtime_error("token create failed: " + created.err);
  const auto at = created.out.find("secret: ");
  if (at == std::string::npos) throw std::runtime_error("no secret in: " + created.out);
  return created.out.substr(at + 8, 43);
}

}  // namespace plancal::testing
