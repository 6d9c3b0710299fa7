#include "attendance/status.h"

#include <array>
#include <utility>

namespace plancal {

namespace {

struct StatusWords {
  AttendanceStatus status;
  std::string_view code;
  std::string_view label;
};

constexpr std::array<StatusWords, 4> kStatuses = {{
    {AttendanceStatus::Attended, "attended", "møtt"},
    {AttendanceStatus::Late, "late", "møtt for sent"},
    {AttendanceStatus::Excused, "excused", "gyldig fravær"},
    {AttendanceStatus::Absent, "absent", "fravær"},
}};

/// The same words as ASCII command-line words (`--status moett|sent|gyldig|fravaer`).
struct AsciiWord {
  AttendanceStatus status;
  std::string_view word;
};

constexpr std::array<AsciiWord, 6> kAsciiWords = {{
    {AttendanceStatus::Attended, "moett"},
    {AttendanceStatus::Late, "sent"},
    {AttendanceStatus::Late, "moett for sent"},
    {AttendanceStatus::Excused, "gyldig"},
    {AttendanceStatus::Excused, "gyldig fravaer"},
    {AttendanceStatus::Absent, "fravaer"},
}};

/// Lower-cases ASCII and the Norwegian capitals Æ Ø Å, and reads '-' and '_' as spaces.
std::string normalised(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '-' || c == '_') {
      out += ' ';
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == '\xC3' && i + 1 < text.size() &&
               (text[i + 1] == '\x86' || text[i + 1] == '\x98' || text[i + 1] == '\x85')) {
      out += c;  // Æ Ø Å (C3 86, C3 98, C3 85) -> æ ø å (C3 A6, C3 B8, C3 A5)
      out += static_cast<char>(text[i + 1] + 0x20);
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string_view status_code(AttendanceStatus status) {
  for (const auto& words : kStatuses) {
    if (words.status == status) return words.code;
  }
  return "absent";
}

std::string_view status_label_nb(AttendanceStatus status) {
  for (const auto& words : kStatuses) {
    if (words.status == status) return words.label;
  }
  return "fravær";
}

std::optional<AttendanceStatus> parse_status(std::string_view text) {
  const std::string wanted = normalised(text);
  for (const auto& words : kStatuses) {
    if (wanted == words.code || wanted == words.label) return words.status;
  }
  for (const auto& words : kAsciiWords) {
    if (wanted == words.word) return words.status;
  }
  return std::nullopt;
}

std::string accepted_status_words() {
  std::string out;
  for (const auto& words : kStatuses) {
    if (!out.empty()) out += ", ";
    out += "\"" + std::string(words.label) + "\" (" + std::string(words.code) + ")";
  }
  return out + "; or moett, sent, gyldig, fravaer";
}

bool counts_as_present(AttendanceStatus status) {
  return status == AttendanceStatus::Attended || status == AttendanceStatus::Late;
}

AttendanceStatus status_from_arrival(TimeOfDay arrived, std::optional<TimeOfDay> late_after) {
  if (late_after && arrived > *late_after) return AttendanceStatus::Late;
  return AttendanceStatus::Attended;
}

}  // namespace plancal
