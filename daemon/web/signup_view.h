#pragma once
/// What the sign-up page shows of a series: each row with its dates, the places left and
/// FULLT, and the form's template data. A place is taken by a registration placed in the row,
/// or, before the allocation, by a confirmed one whose first choice it is: so the count falls
/// the moment a contact confirms, and unconfirmed registrations take nothing.

#include <string>
#include <vector>

#include "plan/model.h"
#include "store/registrations.h"
#include "web/form.h"
#include "web/templates.h"

namespace plancal::web {

struct SignupView {
  const Plan& plan;
  const Series& series;
  const std::vector<RegistrationRecord>& registrations;  ///< of the plan, any series
  bool closed = false;
};

/// Places taken in `row_key` of the view's series.
[[nodiscard]] int places_taken(const SignupView& view, const std::string& row_key);

/// The rows' places as the allocation sees them: capacity minus places taken (0 for a row
/// marked `full`; an open row, capacity 0, counts as one place per confirmed registration).
[[nodiscard]] int places_left(const SignupView& view, const SeriesRow& row);

/// Template data for templates/signup.mustache.
[[nodiscard]] TemplateData signup_data(const SignupView& view, const FormState& form,
                                       const std::string& action);

}  // namespace plancal::web

namespace plancal::web {

/// "Datorekke 1: Tirsdager, Datorekke 3: Torsdager": the names of `keys` in the
/// registration's series of `plan` (the key itself where the plan has no such row).
[[nodiscard]] std::string row_names(const Plan* plan, const std::string& series_key,
                                    const std::vector<std::string>& keys);

/// One sentence on where a registration stands, for its pages and mails.
[[nodiscard]] std::string registration_status_text(const Plan* plan, const RegistrationRecord& r);

/// What the contact typed and where it stands, one line each.
[[nodiscard]] std::vector<std::string> registration_lines(const Plan* plan,
                                                          const RegistrationRecord& r);

}  // namespace plancal::web
