#pragma once
/// The organiser's view of the sign-ups (issue 17, seed 003): for an admin of the attendance
/// pages (`attendance.admins`), every registration of every series with registration, with
/// what its contact typed, its state, when it was confirmed and its whole history, and the
/// places taken and offered per row. It is the web side of `plancal registrations list`.
///
/// AttendanceRoutes serves it at kRegistrationOverviewPath behind the same sign-in as the
/// register; a signed-in leader who is not an admin gets the same 404 as for anything outside
/// their scope. It only reads (store/registrations.h): there is no form, so nothing to forge.
/// Registrations are personal data: nothing here logs them.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/model.h"
#include "store/registrations.h"
#include "web/templates.h"

namespace plancal::web {

/// Where the view lives: below /oppmote, one segment, so it never meets a register's
/// /oppmote/<plan>/<date>.
inline constexpr std::string_view kRegistrationOverviewPath = "/oppmote/pameldinger";

/// A state as the organiser reads it: "ubekreftet", "bekreftet", "plassert i Datorekke 1:
/// Tirsdager" (the row's name in the plan, else its key), "venteliste" or "trukket".
[[nodiscard]] std::string registration_state_nb(const Plan* plan, const std::string& series_key,
                                                RegistrationState state,
                                                const std::optional<std::string>& placed_row);

/// What the view is built from.
struct RegistrationOverviewInput {
  std::vector<std::shared_ptr<const Plan>> plans;  ///< in force, the config's order
  std::vector<RegistrationRecord> registrations;   ///< every plan's, in the order made
  std::map<std::int64_t, std::vector<RegistrationEvent>> history;  ///< by registration id
};

/// The `series` list of templates/registration_overview.mustache: one section per series with
/// registration of the plans in force (in plan order), then one per series that registrations
/// name but the plans no longer have, so no registration is left out. Times are the plan's
/// wall-clock time (the model's default zone, Europe/Oslo, for a plan no longer in force).
[[nodiscard]] TemplateData registration_overview_data(const RegistrationOverviewInput& input);

}  // namespace plancal::web
