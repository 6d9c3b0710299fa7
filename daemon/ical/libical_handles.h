#pragma once
/// Owning handles for libical objects, so every component, property and string that libical
/// allocates is freed exactly once, also when an exception unwinds.

#include <libical/ical.h>

#include <memory>
#include <string>

namespace plancal::ical {

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
struct PropertyDeleter {
  void operator()(icalproperty* property) const { icalproperty_free(property); }
};
struct BufferDeleter {
  void operator()(char* buffer) const { icalmemory_free_buffer(buffer); }
};

using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;
using PropertyPtr = std::unique_ptr<icalproperty, PropertyDeleter>;
using BufferPtr = std::unique_ptr<char, BufferDeleter>;

/// Serialises a component (libical's own folding; callers refold) into a std::string.
[[nodiscard]] inline std::string to_ical_text(icalcomponent* component) {
  const BufferPtr buffer(icalcomponent_as_ical_string_r(component));
  return buffer ? std::string(buffer.get()) : std::string();
}

/// Serialises a component into a libical buffer (freed by the handle).
[[nodiscard]] inline BufferPtr to_ical_buffer(icalcomponent* component) {
  return BufferPtr(icalcomponent_as_ical_string_r(component));
}

/// Adds `property` to `component`, which takes ownership of it.
inline void add_property(icalcomponent* component, PropertyPtr property) {
  icalcomponent_add_property(component, property.release());
}

}  // namespace plancal::ical
