#pragma once
/// The sign-up form of a series (issue 17, seed 003): its fields, and the check of what was
/// submitted. Every mistake is written next to its field in Norwegian, and everything typed is
/// kept, so the form comes back as the person left it. Pure: no store, no clock.

#include <optional>
#include <string>
#include <vector>

#include "plan/model.h"
#include "web/form.h"

namespace plancal::web {

/// The field names of the form.
inline constexpr const char* kOrganisationField = "organisasjon";
inline constexpr const char* kContactField = "kontaktperson";
inline constexpr const char* kEmailField = "epost";
inline constexpr const char* kParticipantsField = "deltakere";
/// The honeypot: hidden from people (CSS and aria-hidden), filled in by bots; a form with it
/// filled in is answered as if accepted and stores nothing.
inline constexpr const char* kHoneypotField = "nettsted";
/// "valg1", "valg2", ...: the acceptable rows, best first.
[[nodiscard]] std::string preference_field(std::size_t index);

/// Bounds on what one may type.
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxEmailLength = 254;

/// What a valid form says.
struct SignupEntry {
  std::string organisation;
  std::string contact_name;
  std::string email;
  int participants = 0;
  std::vector<std::string> preferences;  ///< row keys, best first, no repeats
};

/// Whether `text` can be an email address: one @, something before it, a domain with a dot
/// after it, no spaces or control characters, at most 254 bytes.
[[nodiscard]] bool plausible_email(const std::string& text);

/// Checks `form` against `series` (its rows and participant range). Errors go into `form`,
/// next to their fields; the entry is returned only when there are none.
[[nodiscard]] std::optional<SignupEntry> check_signup(const Series& series, FormState& form);

/// The field specs of the text fields, in order, for field_data().
[[nodiscard]] std::vector<FieldSpec> signup_text_fields(const Series& series);

}  // namespace plancal::web
