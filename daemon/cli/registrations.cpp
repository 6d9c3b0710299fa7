// plancal registrations list|export|allocate --config FILE: the registrations organisations made on
// the sign-up pages (web/signup_page.h), and the allocation of places in the date rows.

#include "cli/commands.h"
#include "cli/registrations_commands.h"

namespace plancal::cli {

void add_registrations_command(CLI::App& app) {
  auto* registrations = app.add_subcommand(
      "registrations", "List the sign-up registrations and allocate the rows' places");
  registrations->require_subcommand(1);
  add_registrations_list_command(*registrations);
  add_registrations_export_command(*registrations);
  add_registrations_allocate_command(*registrations);
}

}  // namespace plancal::cli
