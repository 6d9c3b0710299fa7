#include "web/signup_view.h"

#include <algorithm>

#include "base/norwegian_text.h"
#include "expand/expander.h"
#include "plan/row_places.h"
#include "web/page_layout.h"
#include "web/signup_form.h"

namespace plancal::web {

namespace {

TemplateData dates_data(const std::vector<Occurrence>& occurrences, const std::string& series_key,
                        const std::string& row_key) {
  std::vector<const Occurrence*> dated;
  for (const auto& o : occurrences) {
    if (o.component_key == series_key && o.meeting_key == row_key && !is_makeup_copy(o)) {
      dated.push_back(&o);
    }
  }
  std::sort(dated.begin(), dated.end(),
            [](const Occurrence* a, const Occurrence* b) { return a->start < b->start; });
  TemplateData list(TemplateData::type::list);
  const Occurrence* previous = nullptr;
  for (const Occurrence* o : dated) {
    if (previous && previous->start == o->start) continue;  // one per audience: the same date
    previous = o;
    TemplateData date;
    date.set("iso", format_date(o->start.date) + "T" + format_time(o->start.time));
    date.set("text", date_time_text_nb(o->start));
    date.set("cancelled", flag(o->status == OccurrenceStatus::Cancelled));
    list.push_back(date);
  }
  return list;
}

std::string places_text(int left, int capacity) {
  if (capacity <= 0) return "Åpen for alle påmeldte";
  if (left <= 0) return "Ingen plasser igjen av " + std::to_string(capacity);
  return "Plasser igjen: " + std::to_string(left) + " av " + std::to_string(capacity);
}

TemplateData preferences_data(const Series& series, const FormState& form) {
  TemplateData list(TemplateData::type::list);
  for (std::size_t i = 0; i < series.rows.size(); ++i) {
    const std::string field = preference_field(i + 1);
    TemplateData choice;
    choice.set("name", field);
    choice.set("label", std::to_string(i + 1) + ". valg");
    set_text(choice, "error", form.error(field).value_or(""));
    TemplateData options(TemplateData::type::list);
    for (const auto& row : series.rows) {
      TemplateData option;
      option.set("key", row.key);
      option.set("name", row.name.empty() ? row.key : row.name);
      option.set("selected", flag(form.value(field) == row.key));
      options.push_back(option);
    }
    choice.set("options", options);
    list.push_back(choice);
  }
  return list;
}

}  // namespace

int places_taken(const SignupView& view, const std::string& row_key) {
  int taken = 0;
  for (const auto& r : view.registrations) {
    if (r.series_key != view.series.key) continue;
    const bool placed_here = r.state == RegistrationState::Placed && r.placed_row == row_key;
    const bool first_choice_here = r.state == RegistrationState::Confirmed &&
                                   !r.preferences.empty() && r.preferences.front() == row_key;
    if (placed_here || first_choice_here) ++taken;
  }
  return taken;
}

int places_left(const SignupView& view, const SeriesRow& row) {
  return std::max(0, row_places_offered(row) - places_taken(view, row.key));
}

TemplateData signup_data(const SignupView& view, const FormState& form, const std::string& action) {
  TemplateData data = layout_data("Påmelding: " + view.series.title, view.plan.organizer);
  data.set("series_title", view.series.title);
  data.set("plan_title", view.plan.title);
  set_text(data, "time_text", time_span_text_nb(view.series.time.start, view.series.time.end));
  const Date deadline = *view.series.registration_deadline;
  data.set("deadline_text", "Påmeldingsfrist: " + date_text_nb(deadline));
  data.set("deadline_date", date_text_nb(deadline));
  data.set("closed", flag(view.closed));
  data.set("action", action);

  const std::vector<Occurrence> occurrences = expand_plan(view.plan);
  TemplateData rows(TemplateData::type::list);
  for (const auto& row : view.series.rows) {
    const int left = places_left(view, row);
    TemplateData r;
    r.set("key", row.key);
    r.set("name", row.name.empty() ? row.key : row.name);
    r.set("full", flag(left <= 0));
    r.set("places_left", std::to_string(row.capacity > 0 || row.full ? left : -1));
    r.set("places_text", places_text(left, row.full ? std::max(row.capacity, 1) : row.capacity));
    r.set("dates", dates_data(occurrences, view.series.key, row.key));
    rows.push_back(r);
  }
  data.set("rows", rows);

  TemplateData fields(TemplateData::type::list);
  for (const auto& spec : signup_text_fields(view.series)) fields.push_back(field_data(spec, form));
  data.set("fields", fields);
  data.set("preferences", preferences_data(view.series, form));
  data.set("honeypot", std::string(kHoneypotField));
  data.set("has_errors", flag(form.has_errors()));
  return data;
}

}  // namespace plancal::web

namespace plancal::web {

std::string row_names(const Plan* plan, const std::string& series_key,
                      const std::vector<std::string>& keys) {
  std::string text;
  for (const auto& key : keys) {
    std::string name = key;
    for (const auto& series : plan ? plan->series : std::vector<Series>{}) {
      if (series.key != series_key) continue;
      for (const auto& row : series.rows) {
        if (row.key == key && !row.name.empty()) name = row.name;
      }
    }
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::string registration_status_text(const Plan* plan, const RegistrationRecord& r) {
  switch (r.state) {
    case RegistrationState::Unconfirmed:
      return "Status: venter på at e-postadressen bekreftes.";
    case RegistrationState::Confirmed:
      return "Status: bekreftet. Du får svar om plass kort tid etter påmeldingsfristen.";
    case RegistrationState::Placed:
      return "Status: organisasjonen har fått plass på " +
             row_names(plan, r.series_key, {r.placed_row.value_or("")}) + ".";
    case RegistrationState::Waiting:
      return "Status: organisasjonen står på ventelisten.";
    case RegistrationState::Withdrawn:
      return "Status: påmeldingen er trukket.";
  }
  return "";
}

std::vector<std::string> registration_lines(const Plan* plan, const RegistrationRecord& r) {
  return {"Organisasjon: " + r.organisation, "Kontaktperson: " + r.contact_name,
          "Antall deltakere: " + std::to_string(r.participants),
          "Datorekker som passer, i prioritert rekkefølge: " +
              row_names(plan, r.series_key, r.preferences),
          registration_status_text(plan, r)};
}

}  // namespace plancal::web
