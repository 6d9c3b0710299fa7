// bench_graph_push: plancal sync of a municipality (5,000 mailboxes x 11 events of seed 000,
// per person) through the Graph emulator with its default limits. Prints wall time, HTTP
// requests per event, the peak requests in flight per mailbox, and the ratio of the wall time
// to a floor measured in the same run: the emulator serving only the indispensable work, the
// 55,000 creates, from a driver with no per-mailbox bookkeeping.
//
// The floor sends the creates as Graph allows them at best: 20 items to a $batch (Graph's
// limit), at most four of one mailbox in a $batch (Graph counts every item against the
// mailbox's four concurrent requests, and the emulator runs them all at once), from as many
// connections as plancal keeps $batch requests on the wire (graph::BatchPipe::kBatchesOnWire).
// Until issue 18 the floor was one $batch of all 11 creates per mailbox from 64 connections;
// the emulator now answers the items of a $batch at the same time, so such a batch is
// throttled, and that floor is no longer something Graph would serve.
//
// Sides alternate, floor then plancal, PLANCAL_BENCH_REPEATS times (default 3: a full run of
// both is about two minutes); each plancal run starts from an empty store and empty mailboxes.
// PLANCAL_BENCH_MAILBOXES (default 5000) shrinks the roster while iterating.
//
// The floor posts the very events plancal posts (each person's occurrences of the plan, as
// graph::to_graph_event and graph::create_body make them: location, categories, reminder,
// extended properties): the creates are the indispensable work, and a thinner event costs the
// emulator less (1.03-1.14 ms of its CPU per create for floor_create's stand-ins against
// 1.24-1.26 ms for plancal's events, measured 2026-12-06). PLANCAL_BENCH_FLOOR=stand-in posts
// floor_create's stand-ins instead, the floor of the figures before 2026-12-06.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

#include "expand/expander.h"
#include "graph/batch_pipe.h"
#include "graph/event_json.h"
#include "graph_workspace.h"
#include "service/publish.h"

namespace plancal::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kEventsPerMailbox = 11;
constexpr int kItemsPerBatch = 20;
constexpr int kPerMailbox = 4;

int int_from_env(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : fallback;
}

/// One event create, the same size of payload plancal sends.
json floor_create(int mailbox, int i) {
  json event{
      {"subject", "Mandagsseminar " + std::to_string(i + 1)},
      {"body", json{{"contentType", "html"}, {"content", std::string(900, 'x')}}},
      {"start", json{{"dateTime", "2024-01-15T09:00:00"}, {"timeZone", "W. Europe Standard Time"}}},
      {"end", json{{"dateTime", "2024-01-15T12:00:00"}, {"timeZone", "W. Europe Standard Time"}}},
      {"transactionId", fmt::format("{:08x}-0000-4000-8000-{:012x}", mailbox, i)}};
  return json{{"method", "POST"},
              {"url", "/users/" + graph_upn(mailbox) + "/calendar/events"},
              {"headers", json{{"Content-Type", "application/json"}}},
              {"body", event}};
}

/// The events plancal creates: each person's occurrences, built as plancal builds them.
class PlanEvents {
 public:
  PlanEvents(const std::filesystem::path& plan_file, int mailboxes) {
    Diagnostics diagnostics;
    std::optional<ExpandedPlan> expanded = load_expanded_plan(plan_file.string(), diagnostics);
    if (!expanded) throw std::runtime_error("the bench's plan does not load");
    for (int m = 0; m < mailboxes; ++m) {
      const Result<Audience> audience =
          parse_audience("person:" + GraphWorkspace::person(m), expanded->plan);
      if (!audience) throw std::runtime_error(audience.error().message);
      const AudienceView view(expanded->plan, *audience);
      std::vector<std::string>& uids = uids_.emplace_back();
      for (const Occurrence& occurrence : expanded->occurrences) {
        if (!view.sees(occurrence.audience)) continue;
        uids.push_back(occurrence.uid);
        if (!events_.contains(occurrence.uid)) {
          events_.emplace(occurrence.uid, graph::to_graph_event(occurrence).value());
        }
      }
      if (uids.size() != kEventsPerMailbox) throw std::runtime_error("not 11 events a person");
    }
  }

  /// The create of mailbox `mailbox`'s event `i`, as plancal sends it (first attempt).
  [[nodiscard]] json create(int mailbox, int i) const {
    const std::string& uid =
        uids_.at(static_cast<std::size_t>(mailbox)).at(static_cast<std::size_t>(i));
    return json{{"method", "POST"},
                {"url", "/users/" + graph_upn(mailbox) + "/calendar/events"},
                {"headers",
                 json{{"Content-Type", "application/json"}, {"Prefer", "IdType=\"ImmutableId\""}}},
                {"body", graph::create_body(events_.at(uid), uid, 1, "calendar")}};
  }

 private:
  std::map<std::string, graph::GraphEvent> events_;
  std::vector<std::vector<std::string>> uids_;
};

/// Every create as (mailbox, event), four of a mailbox together, the mailboxes' first fours
/// before their second: 20 in a row then never hold more than four of one mailbox, and a
/// mailbox's next four come thousands of items later, long after its last four were answered.
std::vector<std::pair<int, int>> floor_order(int mailboxes) {
  std::vector<std::pair<int, int>> order;
  for (int first = 0; first < kEventsPerMailbox; first += kPerMailbox) {
    for (int m = 0; m < mailboxes; ++m) {
      for (int i = first; i < std::min(kEventsPerMailbox, first + kPerMailbox); ++i) {
        order.emplace_back(m, i);
      }
    }
  }
  return order;
}

/// The floor's $batch bodies, made before the clock starts: the floor is the emulator's work,
/// not the driver's (building JSON for every item while timing took CPU from the emulator on
/// two cores, so plancal, which builds each event once, came out faster than the "floor").
std::vector<std::string> floor_batches(int mailboxes, const PlanEvents* plan_events) {
  const std::vector<std::pair<int, int>> order = floor_order(mailboxes);
  std::vector<std::string> bodies;
  for (std::size_t first = 0; first < order.size(); first += kItemsPerBatch) {
    json requests = json::array();
    for (std::size_t k = first; k < std::min(order.size(), first + kItemsPerBatch); ++k) {
      json item = plan_events != nullptr ? plan_events->create(order[k].first, order[k].second)
                                         : floor_create(order[k].first, order[k].second);
      item["id"] = std::to_string(k - first);
      requests.push_back(std::move(item));
    }
    bodies.push_back(json{{"requests", std::move(requests)}}.dump());
  }
  return bodies;
}

double measure_floor(GraphEmulator& emulator, int mailboxes, int connections,
                     const PlanEvents* plan_events) {
  const std::string token = emulator.token();
  const std::vector<std::string> bodies = floor_batches(mailboxes, plan_events);
  const int batches = static_cast<int>(bodies.size());
  http::ClientOptions options;
  options.max_in_flight = static_cast<std::size_t>(connections);
  auto client = http::make_curl_client(std::move(options));
  std::atomic<int> next{0};
  const auto started = Clock::now();
  std::vector<std::jthread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&] {
      for (int n = next++; n < batches; n = next++) {
        http::HttpRequest request = http::HttpRequest::make(
            "POST", emulator.graph_url() + "/$batch", bodies[static_cast<std::size_t>(n)]);
        request.headers.set("Content-Type", "application/json");
        request.headers.set("Authorization", "Bearer " + token);
        (void)client->send(request);
      }
    });
  }
  threads.clear();
  return std::chrono::duration<double>(Clock::now() - started).count();
}

struct PushRun {
  double seconds = 0;
  long requests = 0;
  long events = 0;
  json stats;
};

/// One plancal sync into empty mailboxes from an empty store.
std::optional<PushRun> push(GraphEmulator& emulator, int mailboxes) {
  emulator.reset();
  GraphWorkspace ws(mailboxes, emulator.graph_url(), "      per_person: true\n");
  const auto started = Clock::now();
  constexpr int kSyncTimeoutSeconds = 3000;
  const ProcessResult sync = ws.sync({}, kSyncTimeoutSeconds);
  PushRun run;
  run.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (sync.exit_code != 0) {
    fmt::print(stderr, "plancal sync failed (exit {}):\n{}\n{}\n", sync.exit_code,
               sync.out.substr(0, 4000), sync.err.substr(0, 4000));
    return std::nullopt;
  }
  // Each target reports the HTTP requests it sent, a shared $batch counted once, for the
  // mailbox whose thread sent it.
  const std::regex count(R"(\((\d+) requests?\))");
  for (auto it = std::sregex_iterator(sync.out.begin(), sync.out.end(), count);
       it != std::sregex_iterator(); ++it) {
    run.requests += std::stol((*it)[1]);
  }
  run.stats = emulator.stats();
  run.events = run.stats["global"].value("events_created", 0L);
  return run;
}

struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
};

Spread spread(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return Spread{median, values.front(), values.back()};
}

int run() {
  const int mailboxes = int_from_env("PLANCAL_BENCH_MAILBOXES", 5000);
  const int repeats = int_from_env("PLANCAL_BENCH_REPEATS", 3);
  const int connections = static_cast<int>(graph::BatchPipe::kBatchesOnWire);
  const char* floor_kind = std::getenv("PLANCAL_BENCH_FLOOR");
  const bool plancal_bodies = floor_kind == nullptr || std::string(floor_kind) != "stand-in";
  GraphEmulator emulator(mailboxes);
  std::optional<PlanEvents> plan_events;
  if (plancal_bodies) {
    const GraphWorkspace ws(mailboxes, emulator.graph_url(), "      per_person: true\n");
    plan_events.emplace(ws.plan, mailboxes);
  }
  std::vector<double> floors;
  std::vector<double> pushes;
  PushRun last;
  for (int r = 1; r <= repeats; ++r) {
    emulator.reset();
    floors.push_back(
        measure_floor(emulator, mailboxes, connections, plan_events ? &*plan_events : nullptr));
    const long floor_events = emulator.stats()["global"].value("events_created", 0L);
    std::optional<PushRun> pushed = push(emulator, mailboxes);
    if (!pushed) return 1;
    pushes.push_back(pushed->seconds);
    fmt::print(
        "run {}/{}: floor {:.1f} s ({} events), plancal {:.1f} s ({} events, {} requests, "
        "{:.3f} per event), ratio {:.2f}\n",
        r, repeats, floors.back(), floor_events, pushed->seconds, pushed->events, pushed->requests,
        static_cast<double>(pushed->requests) / static_cast<double>(pushed->events),
        pushed->seconds / floors.back());
    std::fflush(stdout);
    last = std::move(*pushed);
  }
  const Spread floor = spread(floors);
  const Spread plancal = spread(pushes);
  fmt::print("graph push: {} mailboxes x {} events, {} runs of each side, alternating\n", mailboxes,
             kEventsPerMailbox, repeats);
  fmt::print("plancal sync wall time: median {:.1f} s (min {:.1f}, max {:.1f}; {:.0f} events/s)\n",
             plancal.median, plancal.min, plancal.max,
             static_cast<double>(last.events) / plancal.median);
  fmt::print(
      "HTTP requests (last run): {} ({:.3f} per event; $batch requests: {}; token "
      "requests: {})\n",
      last.requests, static_cast<double>(last.requests) / static_cast<double>(last.events),
      last.stats["global"].value("batches", 0), last.stats["global"].value("token_requests", 0));
  fmt::print("peak requests in flight per mailbox: {} (throttled 429: {})\n",
             last.stats["max_peak_in_flight"].get<int>(), last.stats["throttled_429"].get<int>());
  fmt::print(
      "floor (the creates{}, 20 per $batch, at most 4 of a mailbox in one, {} connections): "
      "median {:.1f} s (min {:.1f}, max {:.1f})\n",
      plancal_bodies ? " with plancal's own event bodies" : "", connections, floor.median,
      floor.min, floor.max);
  fmt::print("ratio wall / floor (medians): {:.2f}\n", plancal.median / floor.median);
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
