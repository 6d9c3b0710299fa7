// libFuzzer target: any bytes as the daemon config. Paths in it resolve against a folder
// that does not exist, so the target reads no plan folder by accident; the loader answers
// with a config or located errors, never a crash, hang, leak or "internal error".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "diagnostic_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = "/nonexistent-plancal-fuzz/plancal.yaml";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const plancal::ConfigLoad load = plancal::load_config_text(text, file);
  plancal::fuzz::check_diagnostics(load.diagnostics, file);
  if (load.config.has_value() == load.diagnostics.has_errors()) {
    std::fprintf(stderr, "a config must come exactly when there is no error\n");
    std::abort();
  }
  return 0;
}
