// plancal attendance import --config FILE [--by WHO] FILE.csv: a paper list typed into a
// spreadsheet. Every row is checked first and every error reported as FILE:LINE: error:;
// a file with any error imports nothing. A clean file is written in one transaction, so a
// crash imports all of it or none, and importing it again changes nothing.
//
// Columns (a header row names them, in any order): date, person, status, and optionally
// plan (needed when the config has several plans with an attendance rule) and note.

#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "attendance/programme.h"
#include "attendance/records.h"
#include "attendance/status.h"
#include "base/clock.h"
#include "base/diagnostic.h"
#include "base/text.h"
#include "cli/attendance_commands.h"
#include "cli/attendance_input.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "expand/audience.h"
#include "plan/csv.h"
#include "schema/yaml_json.h"
#include "store/attendance_registers.h"

namespace plancal::cli {

namespace {

struct ImportOptions {
  std::string config;
  std::string file;
  std::string by;
};

constexpr std::size_t kMaxFileBytes = std::size_t{8} * 1024 * 1024;
constexpr std::size_t kMaxRows = 100000;
constexpr std::size_t kMaxReportedErrors = 100;

/// Errors of the file, each at its line.
class ImportErrors {
 public:
  explicit ImportErrors(std::string file) : file_(std::move(file)) {}
  void add(int line, const std::string& message) { errors_.push_back({line, message}); }
  [[nodiscard]] bool any() const { return !errors_.empty(); }
  void print() const {
    for (std::size_t i = 0; i < errors_.size() && i < kMaxReportedErrors; ++i) {
      fmt::print(stderr, "{}:{}: error: {}\n", file_, errors_[i].first, errors_[i].second);
    }
    if (errors_.size() > kMaxReportedErrors) {
      fmt::print(stderr, "{}: {} more error(s) not shown\n", file_,
                 errors_.size() - kMaxReportedErrors);
    }
    fmt::print(stderr, "{}: {} error(s); nothing was imported\n", file_, errors_.size());
  }

 private:
  std::string file_;
  std::vector<std::pair<int, std::string>> errors_;
};

/// Column name -> index in the header row.
using Columns = std::map<std::string, std::size_t>;

Columns read_header(const CsvRecord& header, ImportErrors& errors) {
  Columns columns;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name = header[i].text;
    if (name != "date" && name != "person" && name != "status" && name != "plan" &&
        name != "note") {
      errors.add(header[i].line, fmt::format("unknown column '{}': the columns are date, person, "
                                             "status, and optionally plan and note",
                                             name));
    } else if (!columns.emplace(name, i).second) {
      errors.add(header[i].line, fmt::format("column '{}' is named twice", name));
    }
  }
  for (const char* needed : {"date", "person", "status"}) {
    if (columns.count(needed) == 0) {
      errors.add(header.empty() ? 1 : header.front().line,
                 fmt::format("the header has no '{}' column (date, person and status are needed)",
                             needed));
    }
  }
  return columns;
}

std::string field(const CsvRecord& row, const Columns& columns, const std::string& name) {
  const auto found = columns.find(name);
  if (found == columns.end() || found->second >= row.size()) return {};
  return std::string(trim(row[found->second].text));
}

/// The plan of a row without a plan column: the config's only plan with attendance kept.
const AttendancePlan* only_plan_with_rules(const std::vector<AttendancePlan>& plans) {
  const AttendancePlan* only = nullptr;
  for (const auto& p : plans) {
    bool has_rule = false;
    for (const auto& o : p.occurrences) has_rule = has_rule || is_registered_meeting(p.plan, o);
    if (!has_rule) continue;
    if (only != nullptr) return nullptr;
    only = &p;
  }
  return only;
}

class RowReader {
 public:
  RowReader(const std::vector<AttendancePlan>& plans, const Columns& columns, std::string by,
            std::int64_t now, ImportErrors& errors)
      : plans_(plans), columns_(columns), by_(std::move(by)), now_(now), errors_(errors) {}

  void read(const CsvRecord& row, std::vector<AttendanceChange>& changes) {
    const int line = row.front().line;
    if (row.size() > kMaxColumns) {
      errors_.add(line, fmt::format("{} fields; the header has {}", row.size(), columns_.size()));
      return;
    }
    const AttendancePlan* plan = plan_of(row, line);
    const std::string date_text = field(row, columns_, "date");
    const std::string person = field(row, columns_, "person");
    const std::string status_text = field(row, columns_, "status");
    const std::string note = field(row, columns_, "note");
    const auto date = parse_date(date_text);
    const auto status = parse_status(status_text);
    if (!date) errors_.add(line, fmt::format("'{}' is not a date: write YYYY-MM-DD", date_text));
    if (!status) {
      errors_.add(line, fmt::format("'{}' is not a status: use one of {}", status_text,
                                    accepted_status_words()));
    }
    if (person.empty()) errors_.add(line, "the person column is empty: write a roster id");
    if (note.size() > kMaxAttendanceNoteBytes) {
      errors_.add(line, fmt::format("the note is {} bytes; at most {}", note.size(),
                                    kMaxAttendanceNoteBytes));
    }
    if (plan != nullptr && !person.empty() && find_person(plan->plan, person) == nullptr) {
      errors_.add(line, fmt::format("plan {} has nobody with the id '{}' in its roster",
                                    plan->plan.id, person));
      return;
    }
    if (plan == nullptr || !date || !status || person.empty()) return;
    auto resolved = resolve_registration(*plan, *date, person);
    if (!resolved) {
      errors_.add(line, resolved.error().message);
      return;
    }
    const auto key = std::make_tuple(plan->plan.id, resolved->occurrence->uid, person);
    if (const auto [seen, fresh] = lines_.emplace(key, line); !fresh) {
      errors_.add(line, fmt::format("{} on {} is registered twice (also on line {})", person,
                                    date_text, seen->second));
      return;
    }
    AttendanceChange change;
    change.record =
        AttendanceRecord{plan->plan.id, resolved->occurrence->uid, person, *date, *status,
                         note,          resolved->added,           by_,    now_,  0};
    change.source = "import";
    changes.push_back(std::move(change));
  }

 private:
  static constexpr std::size_t kMaxColumns = 5;

  const AttendancePlan* plan_of(const CsvRecord& row, int line) {
    if (columns_.count("plan") == 0) {
      const AttendancePlan* only = only_plan_with_rules(plans_);
      if (only == nullptr) {
        errors_.add(line,
                    "the file has no 'plan' column and the config has not exactly one plan "
                    "with an attendance rule: add a plan column");
      }
      return only;
    }
    auto plan = find_attendance_plan(plans_, field(row, columns_, "plan"));
    if (!plan) {
      errors_.add(line, plan.error().message);
      return nullptr;
    }
    return *plan;
  }

  const std::vector<AttendancePlan>& plans_;
  const Columns& columns_;
  std::string by_;
  std::int64_t now_;
  ImportErrors& errors_;
  std::map<std::tuple<std::string, std::string, std::string>, int> lines_;
};

std::string read_csv_or_exit(const std::string& path) {
  std::string text;
  Diagnostics diagnostics;
  if (!read_text_file(path, kMaxFileBytes, text, diagnostics, "attendance CSV file")) {
    for (const auto& d : diagnostics.all()) fmt::print(stderr, "{}\n", format_diagnostic(d));
    throw CLI::RuntimeError(1);
  }
  return text;
}

/// The file's rows as changes, or every error printed and the command stopped.
std::vector<AttendanceChange> read_changes_or_exit(const std::string& path,
                                                   const std::vector<AttendancePlan>& plans,
                                                   const std::string& by, std::int64_t now) {
  ImportErrors errors(path);
  Diagnostics csv_errors;
  const std::vector<CsvRecord> rows = parse_csv(read_csv_or_exit(path), path, csv_errors);
  for (const auto& d : csv_errors.all()) errors.add(d.where.line, d.message);
  if (rows.empty() && !errors.any()) errors.add(1, "the file is empty: it needs a header row");
  if (rows.size() > kMaxRows + 1) {
    errors.add(rows[kMaxRows + 1].front().line,
               fmt::format("more than {} rows: split the file", kMaxRows));
  }
  std::vector<AttendanceChange> changes;
  if (!rows.empty() && !errors.any()) {
    const Columns columns = read_header(rows.front(), errors);
    RowReader reader(plans, columns, by, now, errors);
    if (!errors.any()) {
      for (std::size_t i = 1; i < rows.size(); ++i) reader.read(rows[i], changes);
    }
  }
  if (errors.any()) {
    errors.print();
    throw CLI::RuntimeError(1);
  }
  return changes;
}

void run_import(const ImportOptions& options) {
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  const SystemClock clock;
  const auto changes = read_changes_or_exit(options.file, plans,
                                            options.by.empty() ? default_changed_by() : options.by,
                                            clock.now_unix());
  AttendanceRegisters registers(open_database_or_exit(config));
  auto written = registers.write(changes, retention_keep_from(config, clock.now_unix()));
  if (!written)
    fail(fmt::format("{}: {}; nothing was imported", options.file, written.error().message));
  fmt::print("{}: {} registration(s): {} new, {} changed, {} unchanged\n", options.file,
             changes.size(), written->created, written->changed, written->unchanged);
  if (written->expired > 0) {
    fmt::print("{} register(s) older than {} year(s) deleted (attendance.retention_years)\n",
               written->expired, config.attendance.retention_years);
  }
}

}  // namespace

void add_attendance_import_command(CLI::App& attendance) {
  auto options = std::make_shared<ImportOptions>();
  auto* command = attendance.add_subcommand(
      "import",
      "Import registrations from a CSV file (date,person,status[,plan][,note]); "
      "a file with any error imports nothing");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--by", options->by,
                      "Who registers, for the audit trail (default cli:$USER)");
  command->add_option("file", options->file, "The CSV file")->required();
  command->callback([options] { run_import(*options); });
}

}  // namespace plancal::cli
