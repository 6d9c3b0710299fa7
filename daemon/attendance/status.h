#pragma once
/// The four ways a person can be registered for a meeting, as leaders write them on paper
/// (seed 000): "møtt", "møtt for sent", "gyldig fravær", "fravær". Stored as short English
/// codes so the database does not depend on spelling; shown and accepted in Norwegian.

#include <optional>
#include <string>
#include <string_view>

#include "base/civil.h"

namespace plancal {

enum class AttendanceStatus {
  Attended,  ///< "møtt"
  Late,      ///< "møtt for sent": came after the programme's `late_after`
  Excused,   ///< "gyldig fravær": away with a valid reason
  Absent,    ///< "fravær"
};

/// "attended", "late", "excused", "absent": what the store keeps.
[[nodiscard]] std::string_view status_code(AttendanceStatus status);

/// "møtt", "møtt for sent", "gyldig fravær", "fravær": what people read.
[[nodiscard]] std::string_view status_label_nb(AttendanceStatus status);

/// A code, a Norwegian label or its ASCII spelling (moett, sent, gyldig, fravaer), in any
/// letter case, with '-' or '_' for spaces ("møtt-for-sent", "gyldig_fravær", "LATE");
/// nullopt for anything else.
[[nodiscard]] std::optional<AttendanceStatus> parse_status(std::string_view text);

/// The words parse_status accepts, for error messages.
[[nodiscard]] std::string accepted_status_words();

/// Whether the person was there (and their hours count): møtt and møtt for sent.
[[nodiscard]] bool counts_as_present(AttendanceStatus status);

/// The status for someone who arrived at `arrived`: late when after `late_after` (a
/// programme without `late_after` has no late arrivals).
[[nodiscard]] AttendanceStatus status_from_arrival(TimeOfDay arrived,
                                                   std::optional<TimeOfDay> late_after);

}  // namespace plancal
