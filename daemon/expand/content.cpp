#include "expand/content.h"

#include <fmt/format.h>

namespace plancal {

namespace {

void replace_if_set(std::string& target, const std::string& value) {
  if (!value.empty()) target = value;
}

template <class T>
void replace_if_set(std::vector<T>& target, const std::vector<T>& value) {
  if (!value.empty()) target = value;
}

std::string provider_name(const std::string& provider) {
  if (provider == "teams") return "Teams";
  if (provider == "zoom") return "Zoom";
  return {};
}

std::string agenda_time(TimeOfDay time) {
  return fmt::format("{:02}.{:02}", time.hour, time.minute);
}

std::string header_section(const MeetingContent& content, const DescriptionExtras& extras) {
  std::string text;
  if (!content.topic.empty()) text += fmt::format("Tema: {}\n", content.topic);
  if (!content.speaker.empty()) {
    const std::string& label = content.speaker_label.empty() ? "Foreleser" : content.speaker_label;
    text += fmt::format("{}: {}\n", label, content.speaker);
  }
  if (!content.location.empty()) text += fmt::format("Sted: {}\n", content.location);
  if (content.online) {
    const std::string name = provider_name(content.online->provider);
    if (!content.online->url.empty()) {
      text += fmt::format("Nettmøte: {}\n", content.online->url);
    } else {
      text += name.empty() ? std::string("Nettmøte\n") : fmt::format("Nettmøte ({})\n", name);
    }
  }
  if (!extras.capacity.empty()) text += extras.capacity + "\n";
  return text;
}

std::string agenda_section(const std::vector<AgendaItem>& agenda) {
  if (agenda.empty()) return {};
  std::string text = "Program:\n";
  for (const auto& entry : agenda) {
    text += agenda_time(entry.time) + " " + entry.item;
    if (!entry.note.empty()) text += " – " + entry.note;
    text += "\n";
  }
  return text;
}

std::string preparation_section(const std::vector<std::string>& preparation) {
  if (preparation.empty()) return {};
  std::string text = "Forberedelser:\n";
  for (const auto& item : preparation) text += "- " + item + "\n";
  return text;
}

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

MeetingContent merge_content(MeetingContent base, const MeetingContent& specific) {
  replace_if_set(base.topic, specific.topic);
  replace_if_set(base.speaker, specific.speaker);
  replace_if_set(base.speaker_label, specific.speaker_label);
  replace_if_set(base.location, specific.location);
  if (specific.online) base.online = specific.online;
  replace_if_set(base.agenda, specific.agenda);
  replace_if_set(base.preparation, specific.preparation);
  replace_if_set(base.notes, specific.notes);
  return base;
}

void apply_override(MeetingContent& content, const OccurrenceOverride& change) {
  if (change.topic) content.topic = *change.topic;
  if (change.speaker) content.speaker = *change.speaker;
  if (change.location) content.location = *change.location;
}

std::string describe(const MeetingContent& content, const DescriptionExtras& extras) {
  const std::string sections[] = {
      header_section(content, extras),
      agenda_section(content.agenda),
      preparation_section(content.preparation),
      content.notes,
      extras.change_note.empty() ? std::string() : "Endring: " + extras.change_note,
  };
  std::string text;
  for (const auto& section : sections) {
    const std::string trimmed = without_trailing_newlines(section);
    if (trimmed.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text += trimmed;
  }
  return text;
}

std::string capacity_text(int capacity, bool full) {
  if (capacity > 0) return fmt::format("Plasser: {}{}", capacity, full ? " (FULLT)" : "");
  return full ? "Plasser: FULLT" : std::string();
}

std::string location_text(const MeetingContent& content) {
  if (!content.location.empty()) return content.location;
  if (!content.online) return {};
  if (content.online->provider == "teams") return "Microsoft Teams";
  if (content.online->provider == "zoom") return "Zoom";
  return "Nettmøte";
}

std::string online_url(const MeetingContent& content) {
  return content.online ? content.online->url : std::string();
}

}  // namespace plancal
