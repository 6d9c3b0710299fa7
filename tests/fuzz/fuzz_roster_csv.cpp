// libFuzzer target: any bytes as a CSV roster (an HR export). The reader answers with people
// or errors at FILE:LINE:COL, never a crash, hang, leak or "internal error", and a stray
// quote never pours the rest of the file into a message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "diagnostic_invariants.h"
#include "plan/roster.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = "fuzz-roster.csv";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const plancal::RosterLoad load = plancal::parse_roster_csv(text, file);
  plancal::fuzz::check_diagnostics(load.diagnostics, file);
  return 0;
}
