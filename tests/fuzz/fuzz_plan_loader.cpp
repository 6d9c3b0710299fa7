// libFuzzer target: any bytes as a plan file. The loader answers with a plan, or with errors
// at FILE:LINE:COL; never a crash, a hang, a leak or an "internal error". A roster file the
// input names is looked up next to the example plans, so mutated examples reach the roster
// reader too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "diagnostic_invariants.h"
#include "plan/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = "fuzz-plan.yaml";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const plancal::PlanLoad load =
      plancal::load_plan_text(text, file, PLANCAL_SOURCE_DIR "/config/plans");
  plancal::fuzz::check_diagnostics(load.diagnostics, file);
  if (load.plan.has_value() == load.diagnostics.has_errors()) {
    std::fprintf(stderr, "a plan must come exactly when there is no error\n");
    std::abort();
  }
  return 0;
}
