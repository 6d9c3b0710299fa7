// The attendance overview: a signed-in leader's or admin's people and their hours against the
// programme's rule, and the dates that have a register. Everything outside the
// user's scope (web/attendance_scope.h) answers 404 whatever the URL says.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "attendance/ledger.h"
#include "attendance/makeup.h"
#include "attendance/programme.h"
#include "attendance/status.h"
#include "base/norwegian_text.h"
#include "web/attendance_routes.h"
#include "web/attendance_view.h"
#include "web/csrf.h"
#include "web/form.h"
#include "web/page_layout.h"
#include "web/templates.h"

namespace plancal::web {

namespace {

/// The year the overview counts: this year when it has meetings, else the last year before
/// it that has, else the first.
int ledger_year(const KeptPlan& plan, int this_year) {
  int chosen = plan.meetings.front()->start.date.year;
  for (const Occurrence* o : plan.meetings) {
    if (o->start.date.year <= this_year) chosen = o->start.date.year;
  }
  return chosen;
}

/// An inline SVG bar (no script, no style attribute): attended hours against the rule.
TemplateData hours_bar(const HoursLine& line) {
  constexpr int kWidth = 240;
  const int scale =
      std::max({line.required_minutes, line.planned_minutes, line.attended_minutes, 1});
  const auto at = [&](int minutes) { return minutes * kWidth / scale; };
  TemplateData bar;
  bar.set("width", std::to_string(kWidth));
  bar.set("attended", std::to_string(at(line.attended_minutes)));
  bar.set("reachable", std::to_string(at(std::min(line.reachable_minutes, scale))));
  bar.set("rule", std::to_string(std::min(at(line.required_minutes), kWidth - 2)));
  const std::string text = hours_text_nb(line.attended_minutes) + " av " +
                           hours_text_nb(line.required_minutes) + " timer";
  bar.set("text", text);
  std::string state = "kan nås";
  std::string state_class = "on-track";
  if (line.met()) {
    state = "nådd";
    state_class = "met";
  } else if (!line.can_still_meet()) {
    state = "kan ikke lenger nås";
    state_class = "behind";
  }
  bar.set("state", state);
  bar.set("state_class", state_class);
  return bar;
}

}  // namespace

PageResponse AttendanceRoutes::overview(const Signed& session) const {
  TemplateData data = attendance_layout("Oppmøte", settings()->organisation);
  data.set("sign_out", sign_out_data(session));
  TemplateData plans = TemplateData::type::list;
  const auto source = deps_.source ? deps_.source() : nullptr;
  if (source) {
    for (const auto& kept : kept_plans(*source)) {
      const auto people = session.scope.people(*kept.plan);
      if (people.empty()) continue;
      const LocalDateTime now = local_time(kept.plan->timezone, deps_.now());
      const int year = ledger_year(kept, now.date.year);
      auto records = registers_.records({kept.plan->id, "", std::nullopt});
      if (!records) {
        spdlog::error("attendance pages: {}", records.error().message);
        return not_found_page();
      }
      TemplateData rows = TemplateData::type::list;
      for (const auto& line :
           hours_ledger(*kept.plan, kept.occurrences, *records, people, year, now)) {
        TemplateData row;
        row.set("name", line.person->name);
        row.set("programme", line.programme_title);
        row.set("bar", hours_bar(line));
        rows.push_back(row);
      }
      auto moves = moves_.list(kept.plan->id);  // dates their people were moved to count too
      if (!moves) {
        spdlog::error("attendance pages: {}", moves.error().message);
        return not_found_page();
      }
      TemplateData dates = TemplateData::type::list;
      std::set<Date> seen;
      for (const Occurrence* o : kept.meetings) {
        const bool theirs = std::any_of(people.begin(), people.end(), [&](const Person* p) {
          return is_scheduled(*p, *o) || move_into(*moves, p->id, o->uid) != nullptr;
        });
        if (!theirs || !seen.insert(o->start.date).second) continue;
        TemplateData date;
        date.set("href", register_path(*kept.plan, o->start.date));
        date.set("text", date_text_nb(o->start.date));
        date.set("meeting", meeting_label_nb(*kept.plan, *o));
        set_text(date, "group", occurrence_group_name(*kept.plan, *o));
        dates.push_back(date);
      }
      TemplateData plan;
      plan.set("title", kept.plan->title);
      plan.set("year", std::to_string(year));
      plan.set("report_csv", report_path(*kept.plan, year, "csv"));
      plan.set("report_xlsx", report_path(*kept.plan, year, "xlsx"));
      plan.set("people", rows);
      plan.set("dates", dates);
      plans.push_back(plan);
    }
  }
  data.set("plans", plans);
  data.set("admin", flag(session.scope.admin));
  return html_page(render_template("attendance_overview", data));
}

}  // namespace plancal::web
