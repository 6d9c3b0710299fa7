#include "ical/normalize.h"

#include <algorithm>
#include <array>
#include <vector>

#include "base/hash.h"
#include "ical/libical_handles.h"

namespace plancal::ical {

namespace {

constexpr std::array<std::string_view, 17> kEventProperties = {"UID",
                                                               "SUMMARY",
                                                               "DESCRIPTION",
                                                               "LOCATION",
                                                               "URL",
                                                               "DTSTART",
                                                               "DTEND",
                                                               "DURATION",
                                                               "STATUS",
                                                               "TRANSP",
                                                               "CLASS",
                                                               "RRULE",
                                                               "EXDATE",
                                                               "ATTENDEE",
                                                               "ORGANIZER",
                                                               "CATEGORIES",
                                                               "X-MICROSOFT-CDO-BUSYSTATUS"};

constexpr std::array<std::string_view, 4> kAlarmProperties = {"ACTION", "TRIGGER", "DESCRIPTION",
                                                              "SUMMARY"};

template <std::size_t N>
bool is_one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string property_name(icalproperty* property) {
  const char* name = icalproperty_get_property_name(property);
  return name != nullptr ? name : "";
}

std::string property_value(icalproperty* property) {
  const char* value = icalproperty_get_value_as_string(property);
  return value != nullptr ? value : "";
}

/// "NAME;A=1;B=2:value" with parameters sorted, so their order does not matter.
std::string property_line(icalproperty* property, const std::string& name) {
  std::vector<std::string> parameters;
  for (icalparameter* parameter = icalproperty_get_first_parameter(property, ICAL_ANY_PARAMETER);
       parameter != nullptr;
       parameter = icalproperty_get_next_parameter(property, ICAL_ANY_PARAMETER)) {
    const BufferPtr text(icalparameter_as_ical_string_r(parameter));
    if (text) parameters.emplace_back(text.get());
  }
  std::sort(parameters.begin(), parameters.end());
  std::string line = name;
  for (const auto& parameter : parameters) line += ";" + parameter;
  return line + ":" + property_value(property);
}

/// CATEGORIES may be one line with commas or several lines: a sorted set either way.
std::string categories_line(const std::vector<std::string>& values) {
  std::vector<std::string> categories;
  for (const auto& value : values) {
    std::size_t start = 0;
    for (;;) {
      const auto comma = value.find(',', start);
      categories.push_back(value.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  std::sort(categories.begin(), categories.end());
  std::string line = "CATEGORIES:";
  for (std::size_t i = 0; i < categories.size(); ++i) line += (i ? "," : "") + categories[i];
  return line;
}

template <std::size_t N>
void add_lines(icalcomponent* component, const std::array<std::string_view, N>& kept,
               const std::string& prefix, std::vector<std::string>& lines) {
  std::vector<std::string> categories;
  for (icalproperty* property = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY);
       property != nullptr;
       property = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)) {
    const std::string name = property_name(property);
    if (!is_one_of(name, kept)) continue;
    if (name == "CATEGORIES") {
      categories.push_back(property_value(property));
    } else {
      lines.push_back(prefix + property_line(property, name));
    }
  }
  if (!categories.empty()) lines.push_back(prefix + categories_line(categories));
}

icalcomponent* first_event(icalcomponent* root) {
  if (icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT) return root;
  return icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
}

ComponentPtr parse(std::string_view ics) {
  const std::string text(ics);
  return ComponentPtr(icalparser_parse_string(text.c_str()));
}

}  // namespace

std::optional<std::string> normalized_event_text(std::string_view ics) {
  const ComponentPtr root = parse(ics);
  if (!root) return std::nullopt;
  icalcomponent* event = first_event(root.get());
  if (event == nullptr) return std::nullopt;
  std::vector<std::string> lines;
  add_lines(event, kEventProperties, "", lines);
  std::vector<std::string> alarms;
  for (icalcomponent* alarm = icalcomponent_get_first_component(event, ICAL_VALARM_COMPONENT);
       alarm != nullptr; alarm = icalcomponent_get_next_component(event, ICAL_VALARM_COMPONENT)) {
    std::vector<std::string> alarm_lines;
    add_lines(alarm, kAlarmProperties, "  ", alarm_lines);
    std::sort(alarm_lines.begin(), alarm_lines.end());
    std::string block = "VALARM\n";
    for (const auto& line : alarm_lines) block += line + "\n";
    alarms.push_back(block);
  }
  std::sort(lines.begin(), lines.end());
  std::sort(alarms.begin(), alarms.end());
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  for (const auto& alarm : alarms) text += alarm;
  return text;
}

std::optional<std::string> normalized_event_hash(std::string_view ics) {
  auto text = normalized_event_text(ics);
  if (!text) return std::nullopt;
  return sha256_hex("plancal-event-v1\n" + *text);
}

std::string event_uid(std::string_view ics) {
  const ComponentPtr root = parse(ics);
  if (!root) return {};
  icalcomponent* event = first_event(root.get());
  if (event == nullptr) return {};
  const char* uid = icalcomponent_get_uid(event);
  return uid != nullptr ? uid : "";
}

std::optional<int> event_sequence(std::string_view ics) {
  const ComponentPtr root = parse(ics);
  if (!root) return std::nullopt;
  icalcomponent* event = first_event(root.get());
  if (event == nullptr) return std::nullopt;
  if (icalcomponent_get_first_property(event, ICAL_SEQUENCE_PROPERTY) == nullptr) {
    return std::nullopt;
  }
  return icalcomponent_get_sequence(event);
}

}  // namespace plancal::ical
