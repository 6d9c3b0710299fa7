// The organiser's view of the sign-ups: a section per series, each registration with its state
// and history, and the places per row counted by the sign-up page's own rule. The page itself
// (admins only) is AttendanceRoutes::registration_overview at the end.

#include "web/registration_overview.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <utility>

#include "base/norwegian_text.h"
#include "plan/row_places.h"
#include "web/attendance_routes.h"
#include "web/attendance_view.h"
#include "web/page_response.h"
#include "web/signup_page.h"
#include "web/signup_view.h"

namespace plancal::web {

namespace {

/// The registrations of one series, with the plan and series they belong to while in force.
struct OrganiserSeriesGroup {
  const Plan* plan = nullptr;      ///< nullptr: the plan is no longer in force
  const Series* series = nullptr;  ///< nullptr: the plan no longer has the series
  std::string plan_id;
  std::string series_key;
  std::vector<const RegistrationRecord*> registrations;  ///< in the order made
};

/// The plan's zone; a plan no longer in force is read in the model's default zone.
const std::string& organiser_zone(const Plan* plan) {
  static const Plan kDefaults;
  return plan != nullptr ? plan->timezone : kDefaults.timezone;
}

/// "mandag 15. januar 2024 kl. 09.00" in the plan's zone.
std::string organiser_when(const Plan* plan, std::int64_t unix) {
  return date_time_text_nb(local_time(organiser_zone(plan), unix));
}

const Plan* organiser_plan(const RegistrationOverviewInput& input, const std::string& plan_id) {
  for (const auto& plan : input.plans) {
    if (plan->id == plan_id) return plan.get();
  }
  return nullptr;
}

/// The series with registration of the plans in force, then the series that registrations
/// name but no plan in force has; each with its registrations.
std::vector<OrganiserSeriesGroup> organiser_groups(const RegistrationOverviewInput& input) {
  std::vector<OrganiserSeriesGroup> groups;
  for (const auto& plan : input.plans) {
    for (const auto& series : plan->series) {
      const bool named = std::any_of(input.registrations.begin(), input.registrations.end(),
                                     [&](const RegistrationRecord& r) {
                                       return r.plan_id == plan->id && r.series_key == series.key;
                                     });
      if (series.registration_deadline || named) {
        groups.push_back({plan.get(), &series, plan->id, series.key, {}});
      }
    }
  }
  for (const auto& r : input.registrations) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const OrganiserSeriesGroup& g) {
      return g.plan_id == r.plan_id && g.series_key == r.series_key;
    });
    if (group == groups.end()) {
      groups.push_back({organiser_plan(input, r.plan_id), nullptr, r.plan_id, r.series_key, {}});
      group = std::prev(groups.end());
    }
    group->registrations.push_back(&r);
  }
  return groups;
}

/// What a row offers, as the organiser reads it.
std::string organiser_offered_text(const SeriesRow& row) {
  if (row.full) return "0 (FULLT)";
  const int offered = row_places_offered(row);
  return offered >= kUnlimitedRowPlaces ? "uten grense" : std::to_string(offered);
}

/// Places taken and offered per row: taken as the sign-up page counts them (placed there, or
/// confirmed with it as first choice before the allocation).
TemplateData organiser_places(const OrganiserSeriesGroup& group) {
  std::vector<RegistrationRecord> registrations;
  for (const RegistrationRecord* r : group.registrations) registrations.push_back(*r);
  const SignupView view{*group.plan, *group.series, registrations, false};
  TemplateData rows(TemplateData::type::list);
  for (const auto& row : group.series->rows) {
    TemplateData line;
    line.set("name", row.name.empty() ? row.key : row.name);
    line.set("taken", std::to_string(places_taken(view, row.key)));
    line.set("offered", organiser_offered_text(row));
    rows.push_back(line);
  }
  return rows;
}

/// "2 plassert, 1 på venteliste": how many registrations are in each state, the empty
/// states left out.
std::string organiser_state_counts(const OrganiserSeriesGroup& group) {
  static constexpr std::array<std::pair<RegistrationState, std::string_view>, 5> kWords = {{
      {RegistrationState::Placed, "plassert"},
      {RegistrationState::Waiting, "på venteliste"},
      {RegistrationState::Confirmed, "bekreftet, ikke fordelt"},
      {RegistrationState::Unconfirmed, "ubekreftet"},
      {RegistrationState::Withdrawn, "trukket"},
  }};
  std::string text;
  for (const auto& state_words : kWords) {
    const RegistrationState state = state_words.first;
    const auto count =
        std::count_if(group.registrations.begin(), group.registrations.end(),
                      [&](const RegistrationRecord* r) { return r->state == state; });
    if (count == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(count) + " " + std::string(state_words.second);
  }
  return text;
}

TemplateData organiser_history(const OrganiserSeriesGroup& group,
                               const std::vector<RegistrationEvent>& history) {
  TemplateData lines(TemplateData::type::list);
  for (const auto& event : history) {
    const std::string state =
        registration_state_nb(group.plan, group.series_key, event.state, event.placed_row);
    TemplateData line;
    line.set("when", organiser_when(group.plan, event.at));
    line.set("state", state);
    set_text(line, "note", event.note == state ? "" : event.note);
    lines.push_back(line);
  }
  return lines;
}

TemplateData organiser_registration(const OrganiserSeriesGroup& group, const RegistrationRecord& r,
                                    const std::vector<RegistrationEvent>& history) {
  std::vector<std::string> preferences;
  for (const auto& key : r.preferences) {
    preferences.push_back(row_names(group.plan, group.series_key, {key}));
  }
  TemplateData card;
  card.set("number", std::to_string(r.id));
  card.set("organisation", r.organisation);
  card.set("contact", r.contact_name);
  card.set("email", r.email);
  card.set("participants", std::to_string(r.participants));
  card.set("preferences", text_list(preferences));
  card.set("state", registration_state_nb(group.plan, group.series_key, r.state, r.placed_row));
  card.set("state_class", to_string(r.state));
  card.set("created", organiser_when(group.plan, r.created_at));
  card.set("confirmed",
           r.confirmed_at ? organiser_when(group.plan, *r.confirmed_at) : "ikke bekreftet");
  card.set("history", organiser_history(group, history));
  return card;
}

TemplateData organiser_section(const OrganiserSeriesGroup& group,
                               const RegistrationOverviewInput& input) {
  static const std::vector<RegistrationEvent> kNoHistory;
  const Series* series = group.series;
  TemplateData section;
  section.set("title", series != nullptr ? series->title : group.series_key);
  section.set("plan", group.plan != nullptr ? group.plan->title : group.plan_id);
  section.set("gone", flag(series == nullptr));
  set_text(section, "deadline",
           series != nullptr && series->registration_deadline
               ? date_text_nb(*series->registration_deadline)
               : "");
  const bool has_rows = series != nullptr && !series->rows.empty();
  section.set("has_places", flag(has_rows));
  if (has_rows) section.set("places", organiser_places(group));
  const std::size_t count = group.registrations.size();
  section.set("count", std::to_string(count) + (count == 1 ? " påmelding" : " påmeldinger"));
  set_text(section, "counts", organiser_state_counts(group));
  TemplateData cards(TemplateData::type::list);
  for (const RegistrationRecord* r : group.registrations) {
    const auto found = input.history.find(r->id);
    cards.push_back(organiser_registration(
        group, *r, found != input.history.end() ? found->second : kNoHistory));
  }
  section.set("registrations", cards);
  return section;
}

}  // namespace

std::string registration_state_nb(const Plan* plan, const std::string& series_key,
                                  RegistrationState state,
                                  const std::optional<std::string>& placed_row) {
  switch (state) {
    case RegistrationState::Unconfirmed:
      return "ubekreftet";
    case RegistrationState::Confirmed:
      return "bekreftet";
    case RegistrationState::Placed:
      return "plassert i " + row_names(plan, series_key, {placed_row.value_or("")});
    case RegistrationState::Waiting:
      return "venteliste";
    case RegistrationState::Withdrawn:
      return "trukket";
  }
  return to_string(state);
}

TemplateData registration_overview_data(const RegistrationOverviewInput& input) {
  TemplateData sections(TemplateData::type::list);
  for (const auto& group : organiser_groups(input)) {
    sections.push_back(organiser_section(group, input));
  }
  return sections;
}

PageResponse AttendanceRoutes::registration_overview(const Signed& session) const {
  if (!session.scope.admin) return not_found_page();  // as anything outside a leader's scope
  RegistrationOverviewInput input;
  const auto source = deps_.source ? deps_.source() : nullptr;
  if (source) input.plans = source->plans();
  auto registrations = registrations_.registrations("");
  if (!registrations) {
    spdlog::error("registration overview: cannot read the registrations: {}",
                  registrations.error().message);
    return not_found_page();
  }
  input.registrations = std::move(*registrations);
  for (const auto& r : input.registrations) {
    auto history = registrations_.history(r.id);
    if (!history) {
      spdlog::error("registration overview: cannot read the history of registration #{}: {}", r.id,
                    history.error().message);
      return not_found_page();
    }
    input.history.emplace(r.id, std::move(*history));
  }
  TemplateData data = attendance_layout("Påmeldinger", settings()->organisation);
  data.set("sign_out", sign_out_data(session));
  data.set("series", registration_overview_data(input));
  return html_page(render_template("registration_overview", data));
}

}  // namespace plancal::web
