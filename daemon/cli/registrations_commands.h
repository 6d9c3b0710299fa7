#pragma once
/// The subcommands of `plancal registrations`, one file each (registrations_list.cpp, ...);
/// registrations.cpp adds the parent command and them.

#include <CLI/CLI.hpp>

namespace plancal::cli {

void add_registrations_list_command(CLI::App& registrations);
void add_registrations_export_command(CLI::App& registrations);
void add_registrations_allocate_command(CLI::App& registrations);

}  // namespace plancal::cli
