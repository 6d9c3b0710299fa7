// Benchmark: expand a large synthetic plan and render it as one iCalendar file.
//
// The plan is built in C++ (no YAML, so the loader is not measured): one rotation shaped like
// seed 000 (a numbered meeting held once per team, the seed's agenda, preparation and notes),
// with enough teams and meetings to give --occurrences events (default 100,000: 100 teams x
// 1,000 weekly meetings). It times render_plan_calendar_to() writing to --ics as it renders
// (what `plancal export` does; without --ics it only counts), prints the figures as
// `key=value` lines, and writes the same events (uid, summary, description, location, local
// start/end with TZID) to a JSON file, so tests/bench/icalendar_anchor.py can build and
// serialise the very same calendar with python3-icalendar as the anchor of the comparison.
//
// usage: plancal_bench_expand [--occurrences N] [--teams T] [--json FILE] [--ics FILE]
//                             [--repeat R]

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/civil.h"
#include "expand/expander.h"
#include "ical/plan_calendar.h"
#include "plan/model.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  long occurrences = 100000;
  int teams = 100;
  int repeat = 1;
  std::string json_path;
  std::string ics_path;
};

[[noreturn]] void usage(const char* why) {
  std::cerr << "plancal_bench_expand: " << why
            << "\nusage: plancal_bench_expand [--occurrences N] [--teams T] [--json FILE]"
               " [--ics FILE] [--repeat R]\n";
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + arg).c_str());
      return argv[++i];
    };
    if (arg == "--occurrences") {
      options.occurrences = std::stol(value());
    } else if (arg == "--teams") {
      options.teams = std::stoi(value());
    } else if (arg == "--json") {
      options.json_path = value();
    } else if (arg == "--ics") {
      options.ics_path = value();
    } else if (arg == "--repeat") {
      options.repeat = std::max(1, std::stoi(value()));
    } else {
      usage(("unknown argument " + arg).c_str());
    }
  }
  if (options.teams < 1 || options.occurrences < options.teams) usage("bad sizes");
  if (options.occurrences % options.teams != 0)
    usage("--occurrences must be a multiple of --teams");
  return options;
}

plancal::AgendaItem agenda(int hour, int minute, std::string item, std::string note = {}) {
  return plancal::AgendaItem{plancal::TimeOfDay{hour, minute}, std::move(item), std::move(note)};
}

/// A seed-000-like rotation: `meetings` weekly Mondays from 2000-01-03, each for every team.
plancal::Plan synthetic_plan(int teams, int meetings) {
  using namespace plancal;
  Plan plan;
  plan.id = "bench";
  plan.title = "Benchmark: mandagsseminar i stor skala";
  plan.calendar_name = plan.title;
  plan.source_file = "<synthetic>";

  Rotation rotation;
  rotation.key = "seminar";
  rotation.title = "Mandagsseminar";
  rotation.weekday = Weekday::Monday;
  rotation.time = TimeSpan{TimeOfDay{9, 0}, TimeOfDay{12, 0}};
  rotation.content.location = "Undervisningsbrakka";
  rotation.content.speaker_label = "Foreleser";
  rotation.content.agenda = {
      agenda(9, 0, "Fremmøte",
             "Deltakere skal møte i tide til å være klar i møtelokalet senest 0900"),
      agenda(9, 5, "Innledning",
             "Veiledet meditasjon eller annen innledende aktivitet for å gi deltakerne en god "
             "og hensiktsmessig start på dagens møte"),
      agenda(9, 10, "Dele refleksjon fra egen praksis"),
      agenda(10, 30, "Pause"),
      agenda(10, 40, "Diskusjon og veiledning på dagens tema"),
      agenda(12, 0, "Slutt", "Deltakerne går direkte til respektive avdelinger for overlapping."),
  };
  rotation.content.preparation = {
      "Forberede og gjøre refleksjon fra praksis som kan knyttes opp imot ett eller flere "
      "punkter i dagens tema.",
      "Refleksjon over dilemmaer og utfordringer ved dagens temaer.",
  };
  rotation.content.notes =
      "Om du av en eller annen grunn skulle komme for sent forventes det at du venter på "
      "utsiden til kl. 09:10 og meditasjonsrunden er over";

  for (int t = 0; t < teams; ++t) {
    char key[16];
    std::snprintf(key, sizeof key, "T%03d", t);
    plan.teams.push_back(Team{key, std::string("Team ") + key, {}});
    rotation.teams.emplace_back(key);
  }
  const Date first{2000, 1, 3};  // a Monday
  for (int m = 1; m <= meetings; ++m) {
    RotationMeeting meeting;
    meeting.number = m;
    meeting.key = std::to_string(m);
    meeting.content.topic = "Tema " + std::to_string(m) + ": refleksjon over egen praksis";
    meeting.content.speaker = (m % 3 == 0) ? "TBA" : "Kjell Ivar";
    const Date date = add_days(first, 7 * (m - 1));
    for (const auto& team : rotation.teams) {
      TeamDate team_date;
      team_date.team = team;
      team_date.date = date;
      meeting.dates.push_back(std::move(team_date));
    }
    rotation.meetings.push_back(std::move(meeting));
  }
  plan.rotations.push_back(std::move(rotation));
  return plan;
}

std::string local_iso(const plancal::LocalDateTime& t) {
  return plancal::format_date(t.date) + "T" + plancal::format_time(t.time) + ":00";
}

/// CPU time of this process: on a shared machine it is steadier than wall-clock time.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const int meetings = static_cast<int>(options.occurrences / options.teams);
  const plancal::Plan plan = synthetic_plan(options.teams, meetings);
  constexpr std::int64_t kDtstamp = 1700000000;  // fixed, so output is reproducible

  double best_first_byte = 0;
  double best_total = 0;
  double best_cpu = 0;
  // Made and written as `plancal export` does (render_plan_calendar_to, to --ics, or only
  // counted without it): neither the occurrences nor the calendar are ever held whole.
  std::size_t events = 0;
  std::size_t ics_bytes = 0;
  std::size_t vevents = 0;
  const plancal::EventRevision revision{0, kDtstamp, 0, false};
  plancal::CalendarOptions calendar;
  calendar.name = plan.calendar_name;
  calendar.timezone = "Europe/Oslo";
  for (int run = 0; run < options.repeat; ++run) {
    ics_bytes = 0;
    vevents = 0;
    std::ofstream file;
    if (!options.ics_path.empty()) file.open(options.ics_path, std::ios::binary | std::ios::trunc);
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    std::optional<Clock::time_point> first_byte;
    events =
        plancal::render_plan_calendar_to(calendar, plan, {}, revision, [&](std::string_view piece) {
          if (!first_byte) first_byte = Clock::now();
          ics_bytes += piece.size();
          for (std::size_t pos = 0;
               (pos = piece.find("BEGIN:VEVENT", pos)) != std::string_view::npos; ++pos) {
            ++vevents;
          }
          if (file.is_open()) file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
        });
    file.close();
    const auto t1 = Clock::now();
    const double cpu = cpu_seconds() - cpu0;
    const double total = std::chrono::duration<double>(t1 - t0).count();
    if (run == 0 || total < best_total) {
      best_first_byte = std::chrono::duration<double>(first_byte.value_or(t1) - t0).count();
      best_total = total;
      best_cpu = cpu;
    }
  }
  const long rss = peak_rss_kb();

  if (events != static_cast<std::size_t>(options.occurrences)) {
    std::cerr << "plancal_bench_expand: expected " << options.occurrences << " occurrences, got "
              << events << "\n";
    return 1;
  }

#ifndef PLANCAL_BENCH_BUILD_TYPE
#define PLANCAL_BENCH_BUILD_TYPE ""
#endif
  const std::string build_type = PLANCAL_BENCH_BUILD_TYPE;
  std::cout << "plancal_build_type=" << (build_type.empty() ? "(none: unoptimised)" : build_type)
            << "\n"
            << "plancal_events=" << events << "\n"
            << "plancal_vevents=" << vevents << "\n"
            << "plancal_first_byte_seconds=" << best_first_byte << "\n"
            << "plancal_seconds=" << best_total << "\n"
            << "plancal_cpu_seconds=" << best_cpu << "\n"
            << "plancal_events_per_second="
            << static_cast<long>(static_cast<double>(events) / best_total) << "\n"
            << "plancal_ics_bytes=" << ics_bytes << "\n"
            << "plancal_peak_rss_kb=" << rss << "\n";

  if (!options.json_path.empty()) {
    nlohmann::json out = nlohmann::json::object();
    out["calendar_name"] = plan.calendar_name;
    out["timezone"] = "Europe/Oslo";
    out["dtstamp"] = kDtstamp;
    auto& list = out["events"] = nlohmann::json::array();
    plancal::OccurrenceStream(plan).for_each([&list](const plancal::Occurrence& o) {
      list.push_back({{"uid", o.uid},
                      {"summary", o.summary},
                      {"description", o.description},
                      {"location", o.location},
                      {"start", local_iso(o.start)},
                      {"end", local_iso(o.end)},
                      {"tzid", o.timezone}});
    });
    std::ofstream file(options.json_path, std::ios::binary);
    file << out.dump();
    if (!file) {
      std::cerr << "plancal_bench_expand: cannot write " << options.json_path << "\n";
      return 1;
    }
  }
  return 0;
}
