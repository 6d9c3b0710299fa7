#include "web/signup_form.h"

#include <algorithm>
#include <charconv>

#include "base/text.h"

namespace plancal::web {

namespace {

bool has_control_or_space(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7F;
  });
}

bool has_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

/// A required one-line text of at most `max` bytes; the error names what is missing.
std::string check_name(FormState& form, const char* field, std::size_t max,
                       const std::string& missing) {
  std::string value(trim(form.value(field)));
  if (value.empty()) {
    form.add_error(field, missing);
  } else if (value.size() > max) {
    form.add_error(field, "Skriv høyst " + std::to_string(max) + " tegn.");
  } else if (has_control(value)) {
    form.add_error(field, "Skriv teksten på én linje, uten kontrolltegn.");
  }
  return value;
}

int check_participants(const Series& series, FormState& form) {
  const std::string range = "Skriv et tall fra " + std::to_string(series.participants_min) +
                            " til " + std::to_string(series.participants_max) + ".";
  const std::string value(trim(form.value(kParticipantsField)));
  int number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty()) {
    form.add_error(kParticipantsField, "Skriv hvor mange som deltar. " + range);
  } else if (error != std::errc{} || end != value.data() + value.size() ||
             number < series.participants_min || number > series.participants_max) {
    form.add_error(kParticipantsField, range);
  }
  return number;
}

std::vector<std::string> check_preferences(const Series& series, FormState& form) {
  std::vector<std::string> chosen;
  for (std::size_t i = 0; i < series.rows.size(); ++i) {
    const std::string field = preference_field(i + 1);
    const std::string& key = form.value(field);
    if (key.empty()) continue;
    const bool known = std::any_of(series.rows.begin(), series.rows.end(),
                                   [&](const SeriesRow& row) { return row.key == key; });
    if (!known) {
      form.add_error(field, "Velg en av datorekkene i listen.");
    } else if (std::find(chosen.begin(), chosen.end(), key) != chosen.end()) {
      form.add_error(field, "Denne datorekken er allerede valgt over.");
    } else {
      chosen.push_back(key);
    }
  }
  if (chosen.empty() && !form.error(preference_field(1))) {
    form.add_error(preference_field(1), "Velg minst én datorekke som passer.");
  }
  return chosen;
}

}  // namespace

std::string preference_field(std::size_t index) { return "valg" + std::to_string(index); }

bool plausible_email(const std::string& text) {
  if (text.empty() || text.size() > kMaxEmailLength || has_control_or_space(text)) return false;
  const auto at = text.find('@');
  if (at == std::string::npos || at == 0 || text.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string domain = text.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string::npos && dot > 0 && domain.back() != '.' &&
         domain.find("..") == std::string::npos;
}

std::optional<SignupEntry> check_signup(const Series& series, FormState& form) {
  SignupEntry entry;
  entry.organisation =
      check_name(form, kOrganisationField, kMaxNameLength, "Skriv navnet på organisasjonen.");
  entry.contact_name =
      check_name(form, kContactField, kMaxNameLength, "Skriv navnet på kontaktpersonen.");
  entry.email = std::string(trim(form.value(kEmailField)));
  if (entry.email.empty()) {
    form.add_error(kEmailField, "Skriv en e-postadresse.");
  } else if (!plausible_email(entry.email)) {
    form.add_error(kEmailField, "Skriv en e-postadresse som navn@eksempel.no.");
  }
  entry.participants = check_participants(series, form);
  entry.preferences = check_preferences(series, form);
  if (form.has_errors()) return std::nullopt;
  return entry;
}

std::vector<FieldSpec> signup_text_fields(const Series& series) {
  return {
      {kOrganisationField, "Organisasjon", "text", "", true, kMaxNameLength},
      {kContactField, "Kontaktperson", "text", "", true, kMaxNameLength},
      {kEmailField, "E-postadresse", "email",
       "Du får en e-post med en lenke som bekrefter påmeldingen.", true, kMaxEmailLength},
      {kParticipantsField, "Antall deltakere", "text",
       "Fra " + std::to_string(series.participants_min) + " til " +
           std::to_string(series.participants_max) + " personer.",
       true, 5},
  };
}

}  // namespace plancal::web
