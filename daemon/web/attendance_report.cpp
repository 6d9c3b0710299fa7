// The payroll report ("rapport om utført arbeid") as a download from the attendance overview:
// the registers of one plan and year for the signed-in leader's people (an admin: everyone's),
// as CSV or an Excel workbook, with the columns of `plancal attendance export`
// (attendance/report.h). Personal data: served only behind the sign-in, never cached.

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>
#include <set>

#include "attendance/report.h"
#include "web/attendance_routes.h"
#include "web/attendance_view.h"
#include "web/page_layout.h"
#include "xlsx/workbook.h"

namespace plancal::web {

namespace {

/// "<plan>/<year>.<csv|xlsx>" in parts; nullopt for any other shape.
struct ReportRequest {
  std::string plan_id;
  int year = 0;
  bool workbook = false;
};

std::optional<ReportRequest> parse_report_request(std::string_view rest) {
  const auto slash = rest.find('/');
  const auto dot = rest.rfind('.');
  if (slash == std::string_view::npos || dot == std::string_view::npos || dot < slash) {
    return std::nullopt;
  }
  const std::string_view year_text = rest.substr(slash + 1, dot - slash - 1);
  const std::string_view extension = rest.substr(dot + 1);
  ReportRequest parsed{std::string(rest.substr(0, slash)), 0, extension == "xlsx"};
  const auto [end, error] =
      std::from_chars(year_text.data(), year_text.data() + year_text.size(), parsed.year);
  const bool year_ok =
      error == std::errc() && end == year_text.data() + year_text.size() && year_text.size() == 4;
  if (parsed.plan_id.empty() || !year_ok || (extension != "csv" && extension != "xlsx")) {
    return std::nullopt;
  }
  return parsed;
}

PageResponse download(std::string body, const std::string& content_type,
                      const std::string& filename) {
  PageResponse response;
  response.headers = page_headers();
  for (auto& [name, value] : response.headers) {
    if (name == "Content-Type") value = content_type;
  }
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.body = std::move(body);
  return response;
}

}  // namespace

PageResponse AttendanceRoutes::report(const Signed& session, std::string_view rest) const {
  const auto wanted = parse_report_request(rest);
  const auto source = deps_.source ? deps_.source() : nullptr;
  if (!wanted || !source) return not_found_page();
  for (const auto& kept : kept_plans(*source)) {
    if (kept.plan->id != wanted->plan_id) continue;
    std::set<std::string> people;
    for (const Person* person : session.scope.people(*kept.plan)) people.insert(person->id);
    if (people.empty()) return not_found_page();  // none of theirs: as if there were no plan
    auto records = registers_.records({kept.plan->id, "", wanted->year});
    if (!records) {
      spdlog::error("attendance report: {}", records.error().message);
      return not_found_page();
    }
    // A leader gets their people's registers; an admin everyone's, including people who have
    // left the roster since.
    std::erase_if(*records, [&](const AttendanceRecord& r) {
      return !session.scope.admin && !people.contains(r.person_id);
    });
    std::map<std::string, const Occurrence*> by_uid;
    for (const auto& o : kept.occurrences) by_uid.emplace(o.uid, &o);
    const ReportLookup lookup{[&](const std::string&) -> const Plan* { return kept.plan.get(); },
                              [&](const std::string&, const std::string& uid) -> const Occurrence* {
                                const auto it = by_uid.find(uid);
                                return it == by_uid.end() ? nullptr : it->second;
                              }};
    const std::vector<xlsx::Sheet> sheets{attendance_report_sheet(lookup, *records)};
    const std::string name = "oppmote-" + kept.plan->id + "-" + std::to_string(wanted->year);
    if (!wanted->workbook) {
      return download(report_csv(sheets), "text/csv; charset=utf-8", name + ".csv");
    }
    auto bytes = xlsx::workbook_bytes(sheets);
    if (!bytes) {
      spdlog::error("attendance report: {}", bytes.error().message);
      PageResponse failed = not_found_page();
      failed.status = 503;
      return failed;
    }
    return download(std::move(*bytes),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    name + ".xlsx");
  }
  return not_found_page();
}

}  // namespace plancal::web
