#include "cli/audience_options.h"

#include "cli/plan_input.h"
#include "expand/expander.h"

namespace plancal::cli {

void add_selection_options(CLI::App& command, SelectionOptions& options, bool with_dates) {
  command
      .add_option("--audience", options.audience,
                  "Whose calendar: all, team:KEY, person:ID or role:KEY")
      ->capture_default_str();
  if (!with_dates) return;
  command.add_option("--from", options.from, "First date to include (YYYY-MM-DD)");
  command.add_option("--to", options.to, "Last date to include (YYYY-MM-DD)");
}

namespace {

std::optional<Date> date_option(const std::string& name, const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto date = parse_date(text);
  if (!date) fail(name + " '" + text + "' is not a date; write it as YYYY-MM-DD, e.g. 2024-01-15");
  return date;
}

}  // namespace

std::function<bool(const Occurrence&)> selection_filter(const Plan& plan,
                                                        const SelectionOptions& options) {
  const auto audience = parse_audience(options.audience, plan);
  if (!audience) fail(audience.error().message);
  const auto from = date_option("--from", options.from);
  const auto to = date_option("--to", options.to);
  return [view = AudienceView(plan, *audience), from, to](const Occurrence& o) {
    return view.sees(o.audience) && !(from && o.start.date < *from) && !(to && o.start.date > *to);
  };
}

std::vector<Occurrence> select_occurrences(const Plan& plan, const SelectionOptions& options) {
  const auto keep = selection_filter(plan, options);
  auto occurrences = expand_plan(plan);
  std::erase_if(occurrences, [&keep](const Occurrence& o) { return !keep(o); });
  return occurrences;
}

}  // namespace plancal::cli
