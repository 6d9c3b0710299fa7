// bench_graph_push: plancal sync of a municipality (5,000 mailboxes x 11 events of seed 000,
// per person) through the Graph emulator with its default limits. Prints wall time, HTTP
// requests per event, the peak requests in flight per mailbox, and the ratio of the wall time
// to a floor measured in the same run: the emulator serving only the indispensable work (one
// $batch of the 11 creates per mailbox) from a driver with 64 connections and no
// per-mailbox bookkeeping.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>

#include "graph/event_json.h"
#include "graph_workspace.h"

namespace plancal::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int mailboxes_from_env() {
  const char* text = std::getenv("PLANCAL_BENCH_MAILBOXES");
  return text != nullptr ? std::atoi(text) : 5000;
}

/// One $batch with 11 event creates, the same size of payload plancal sends.
json floor_batch(int mailbox) {
  json requests = json::array();
  for (int i = 0; i < 11; ++i) {
    json event{
        {"subject", "Mandagsseminar " + std::to_string(i + 1)},
        {"body", json{{"contentType", "html"}, {"content", std::string(900, 'x')}}},
        {"start",
         json{{"dateTime", "2024-01-15T09:00:00"}, {"timeZone", "W. Europe Standard Time"}}},
        {"end", json{{"dateTime", "2024-01-15T12:00:00"}, {"timeZone", "W. Europe Standard Time"}}},
        {"transactionId", fmt::format("{:08x}-0000-4000-8000-{:012x}", mailbox, i)}};
    requests.push_back(json{{"id", std::to_string(i)},
                            {"method", "POST"},
                            {"url", "/users/" + graph_upn(mailbox) + "/calendar/events"},
                            {"headers", json{{"Content-Type", "application/json"}}},
                            {"body", event}});
  }
  return json{{"requests", requests}};
}

double measure_floor(GraphEmulator& emulator, int mailboxes) {
  const std::string token = emulator.token();
  http::ClientOptions options;
  options.max_in_flight = 64;
  auto client = http::make_curl_client(std::move(options));
  std::atomic<int> next{0};
  const auto started = Clock::now();
  std::vector<std::jthread> threads;
  for (int t = 0; t < 64; ++t) {
    threads.emplace_back([&] {
      for (int n = next++; n < mailboxes; n = next++) {
        http::HttpRequest request = http::HttpRequest::make(
            "POST", emulator.graph_url() + "/$batch", floor_batch(n).dump());
        request.headers.set("Content-Type", "application/json");
        request.headers.set("Authorization", "Bearer " + token);
        (void)client->send(request);
      }
    });
  }
  threads.clear();
  return std::chrono::duration<double>(Clock::now() - started).count();
}

int run() {
  const int mailboxes = mailboxes_from_env();
  GraphEmulator emulator(mailboxes);
  const double floor_seconds = measure_floor(emulator, mailboxes);
  fmt::print("floor measured: {:.1f} s\n", floor_seconds);
  std::fflush(stdout);
  const json floor_stats = emulator.stats();
  emulator.reset();

  GraphWorkspace ws(mailboxes, emulator.graph_url(), "      per_person: true\n");
  const auto started = Clock::now();
  constexpr int kSyncTimeoutSeconds = 3000;
  const ProcessResult sync = ws.sync({}, kSyncTimeoutSeconds);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (sync.exit_code != 0) {
    fmt::print(stderr, "plancal sync failed (exit {}):\n{}\n{}\n", sync.exit_code,
               sync.out.substr(0, 4000), sync.err.substr(0, 4000));
    return 1;
  }
  long requests = 0;
  const std::regex count(R"(\((\d+) requests?\))");
  for (auto it = std::sregex_iterator(sync.out.begin(), sync.out.end(), count);
       it != std::sregex_iterator(); ++it) {
    requests += std::stol((*it)[1]);
  }
  const json stats = emulator.stats();
  const long events = stats["global"].value("events_created", 0L);
  fmt::print("graph push: {} mailboxes, {} events created (floor run created {})\n", mailboxes,
             events, floor_stats["global"].value("events_created", 0L));
  fmt::print("plancal sync wall time: {:.1f} s ({:.0f} events/s)\n", seconds, events / seconds);
  fmt::print("HTTP requests: {} ({:.3f} per event; token requests: {})\n", requests,
             static_cast<double>(requests) / static_cast<double>(events),
             stats["global"].value("token_requests", 0));
  fmt::print("peak requests in flight per mailbox: {} (throttled 429: {})\n",
             stats["max_peak_in_flight"].get<int>(), stats["throttled_429"].get<int>());
  fmt::print("floor (one $batch of 11 creates per mailbox, 64 connections): {:.1f} s\n",
             floor_seconds);
  fmt::print("ratio wall / floor: {:.2f}\n", seconds / floor_seconds);
  return 0;
}

}  // namespace
}  // namespace plancal::testing

int main() {
  try {
    return plancal::testing::run();
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_graph_push: {}\n", error.what());
    return 1;
  }
}
