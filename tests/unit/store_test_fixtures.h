#pragma once
// Hand-made plans and occurrences for the state-store tests, so they do not depend on the
// loader or the expander: each test says exactly which fields differ between two publishes.

#include <string>
#include <vector>

#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal::testing {

inline Plan store_test_plan(const std::string& id = "mandagsseminar-2024") {
  Plan plan;
  plan.id = id;
  plan.title = "Mandagsseminarer 2024";
  plan.calendar_name = "Mandagsseminar";
  plan.source_file = id + ".yaml";
  return plan;
}

/// Rotation meeting `number` for team `team` on 2024-01-`day` 09:00-12:00.
inline Occurrence store_test_occurrence(const std::string& plan_id, int number,
                                        const std::string& team, int day,
                                        const std::string& topic = "Tema") {
  Occurrence o;
  o.plan_id = plan_id;
  o.component_key = "mandagsseminar";
  o.meeting_key = std::to_string(number);
  o.occurrence_key = team;
  o.audience = "team:" + team;
  o.uid = plan_id + ".mandagsseminar." + o.meeting_key + ".team-" + team + "." + team + "@plancal";
  o.summary = "Mandagsseminar " + o.meeting_key + ": " + topic;
  o.description = "Tema: " + topic + "\nForeleser: Erik\n";
  o.location = "Undervisningsbrakka";
  o.categories = {"Mandagsseminar"};
  o.start = {{2024, 1, day}, {9, 0}};
  o.end = {{2024, 1, day}, {12, 0}};
  o.timezone = "Europe/Oslo";
  o.content.topic = topic;
  o.content.speaker = "Erik";
  o.content.speaker_label = "Foreleser";
  o.content.location = "Undervisningsbrakka";
  o.content.agenda = {{{9, 0}, "Fremmøte", "Møt i tide"}};
  o.content.preparation = {"Les kapittel 1"};
  o.where = {plan_id + ".yaml", 10 + number, 7};
  return o;
}

/// Three meetings for teams A, B and C: six occurrences.
inline std::vector<Occurrence> store_test_occurrences(const std::string& plan_id) {
  return {store_test_occurrence(plan_id, 1, "A", 15), store_test_occurrence(plan_id, 1, "B", 8),
          store_test_occurrence(plan_id, 1, "C", 22), store_test_occurrence(plan_id, 2, "A", 29),
          store_test_occurrence(plan_id, 2, "B", 5),  store_test_occurrence(plan_id, 2, "C", 12)};
}

}  // namespace plancal::testing
