#pragma once
/// Occurrence: one dated event that a plan produces for one audience.
///
/// Expansion turns a Plan into occurrences; every later layer (iCalendar, feeds, CalDAV,
/// Graph, reminders) works from them. The UID is derived from the plan id, the programme
/// and meeting keys, the audience and the occurrence key, never from the date: moving a
/// meeting to another day later updates the same calendar event instead of adding one.

#include <string>
#include <vector>

#include "base/civil.h"
#include "base/diagnostic.h"
#include "plan/model.h"

namespace plancal {

enum class OccurrenceKind {
  Meeting,   ///< blocks time (TRANSP:OPAQUE)
  Deadline,  ///< all-day marker that must not block a day (TRANSP:TRANSPARENT)
};

enum class OccurrenceStatus { Confirmed, Cancelled };

struct Occurrence {
  std::string uid;  ///< "<plan>.<component>.<meeting>.<audience>.<occurrence>@plancal"
  std::string plan_id;
  std::string component_key;  ///< rotation / series / weekly slot key, or "wheel"
  std::string meeting_key;    ///< rotation meeting key, series row key, wheel item key
  std::string
      occurrence_key;    ///< team key (rotation), 1-based index (series, weekly), year (wheel)
  std::string audience;  ///< "team:A", "all", "role:fagradgiver", "person:kari"
  OccurrenceKind kind = OccurrenceKind::Meeting;
  OccurrenceStatus status = OccurrenceStatus::Confirmed;

  std::string summary;      ///< "Mandagsseminar 1: En dag på Milepælen"
  std::string description;  ///< readable Norwegian text: topic, speaker, agenda, preparation
  std::string location;     ///< place, or "Microsoft Teams" for online meetings
  std::string url;          ///< online meeting link, may be empty
  std::vector<std::string> categories;

  bool all_day = false;  ///< deadlines: start.date only; end.date is the exclusive next day
  LocalDateTime start;   ///< wall-clock time in `timezone`
  LocalDateTime end;
  std::string timezone;  ///< IANA name, the plan's zone

  MeetingContent content;  ///< structured content after overrides (for reminders, Graph)
  SourceLocation where;    ///< the plan line that produced this occurrence

  /// Set on a make-up copy (attendance/makeup.h): the UID of the other team's date a person
  /// was moved to. The copy carries that date into the person's own calendar only; registers,
  /// sign-ups and overviews keep to the plan's own occurrences and leave copies out.
  std::string makeup_of;
};

/// Whether `o` is a make-up copy rather than one of the plan's own occurrences.
[[nodiscard]] inline bool is_makeup_copy(const Occurrence& o) { return !o.makeup_of.empty(); }

}  // namespace plancal
