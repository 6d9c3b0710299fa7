#pragma once
/// The plan model: plain value types for what a plan file says.
///
/// A plan describes one organisation's programme for a period. It holds four kinds of
/// programme, all seen in the seed documents:
///  - Rotation: numbered meetings, each held once per team on its own date (seed 000).
///  - Series:   every N weeks on a weekday, in one or more rows with a capacity (seeds 001, 003).
///  - WeeklySlot: a fixed hour every week (seed 004).
///  - Wheel:    an annual wheel of deadlines and meetings, each with a responsible role (seed 002).
/// and the people they concern: teams, roles and a roster.
///
/// Every element remembers where it was written (SourceLocation) so that later checks can
/// point the user at the right line. The YAML keys are given in the comments; the JSON
/// Schema in schemas/plan.schema.json is the reference for the file format.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/civil.h"
#include "base/diagnostic.h"

namespace plancal {

/// One line of a meeting's agenda: `{time: "09:05", item: "Innledning", note: "..."}`.
struct AgendaItem {
  TimeOfDay time;
  std::string item;
  std::string note;
};

/// An online meeting: `online: {provider: teams, url: "https://..."}`.
struct OnlineMeeting {
  std::string provider;  ///< "teams", "zoom", "other"
  std::string url;       ///< may be empty until the link is known
};

/// What a meeting is about. Rotations, series, weekly slots and wheel items all carry it;
/// a more specific level (meeting, row, session, per-date override) replaces fields it sets.
struct MeetingContent {
  std::string topic;                     ///< `topic`
  std::string speaker;                   ///< `speaker` ("TBA" when not decided)
  std::string speaker_label;             ///< `speaker_label`, e.g. "Foreleser"; default "Foreleser"
  std::string location;                  ///< `location`
  std::optional<OnlineMeeting> online;   ///< `online`
  std::vector<AgendaItem> agenda;        ///< `agenda`
  std::vector<std::string> preparation;  ///< `preparation`: items for participants
  std::string notes;                     ///< `notes`: free text shown in the description
};

/// Start and end wall-clock time: `time: {start: "09:00", end: "12:00"}`.
struct TimeSpan {
  TimeOfDay start;
  TimeOfDay end;
};

/// A change that applies to one occurrence only (`dates: {A: {date: ..., end: "13:00"}}`).
struct OccurrenceOverride {
  /// `date` in a series row's `changes`: moves that occurrence to another day. Unset for
  /// rotation dates, whose `date` is TeamDate::date.
  std::optional<Date> date;
  std::optional<TimeOfDay> start;
  std::optional<TimeOfDay> end;
  std::optional<std::string> topic;
  std::optional<std::string> speaker;
  std::optional<std::string> location;
  bool cancelled = false;  ///< `cancelled: true`: the occurrence is kept as STATUS:CANCELLED
  std::string note;        ///< `note`: why it changed, shown in the description
};

/// What a programme asks of each person's attendance (`attendance:` on a rotation, series or
/// weekly slot). Seed 000: of the 40 hours a year set aside for staff meetings and courses,
/// 33 are spent in the Monday meetings; whoever comes after 09:10 counts as late. Hours are
/// kept in whole minutes so sums never suffer from rounding.
struct AttendanceRule {
  std::optional<int> yearly_minutes;    ///< `yearly_hours` * 60: the contract's yearly hours
  int programme_minutes = 0;            ///< `programme_hours` * 60: of those, in this programme
  std::optional<TimeOfDay> late_after;  ///< `late_after`: arriving later is "møtt for sent"
  SourceLocation where;                 ///< the `programme_hours` value
  SourceLocation yearly_where;          ///< the `yearly_hours` value
};

// ---------------------------------------------------------------------------------------------
// Rotation (seed 000)

/// One team's date for a rotation meeting.
struct TeamDate {
  std::string team;  ///< team key
  Date date;
  OccurrenceOverride change;
  SourceLocation where;
};

/// `meetings[]` in a rotation: "møte nr 1" is held once for each team.
struct RotationMeeting {
  std::string key;  ///< `key`, default the number as text ("1")
  int number = 0;   ///< `number`
  MeetingContent content;
  std::optional<TimeSpan> time;  ///< `time`: replaces the rotation's time for every team
  std::vector<TeamDate> dates;   ///< `dates: {A: 2024-01-15, B: ...}`
  SourceLocation where;
};

struct Rotation {
  std::string key;    ///< `key`
  std::string title;  ///< `title`, e.g. "Mandagsseminar"; summary is "title number: topic"
  Weekday weekday = Weekday::Monday;  ///< `weekday`: every date must fall on it
  std::vector<std::string> teams;     ///< `teams`: each meeting has one date per team
  TimeSpan time;                      ///< `time`
  MeetingContent content;             ///< defaults for every meeting (location, agenda, ...)
  std::vector<RotationMeeting> meetings;
  std::optional<AttendanceRule> attendance;  ///< `attendance`: the rule attendance is kept by
  SourceLocation where;
};

// ---------------------------------------------------------------------------------------------
// Series (seeds 001, 003)

/// `sessions[]`: the i-th occurrence of every row gets the i-th session's content.
struct SeriesSession {
  MeetingContent content;
  SourceLocation where;
};

/// `rows[]`: one date row ("datorekke") of a series.
struct SeriesRow {
  std::string key;                    ///< `key`
  std::string name;                   ///< `name`, e.g. "Datorekke 1: Tirsdager"
  Weekday weekday = Weekday::Monday;  ///< `weekday`
  Date first;                         ///< `from`: the first date; must fall on `weekday`
  std::optional<int> count;           ///< `count`, or
  std::optional<Date> until;          ///< `until` (inclusive); exactly one of the two
  int capacity = 0;                   ///< `capacity`: places (organisations, people); 0 = open
  bool full = false;                  ///< `full`: "FULLT", no more registrations
  std::vector<std::string> audience;  ///< `audience`; default the series' audience
  std::vector<std::pair<int, OccurrenceOverride>> changes;  ///< `changes: {"2": {...}}` 1-based
  SourceLocation where;
};

struct Series {
  std::string key;
  std::string title;
  int interval_weeks = 1;  ///< `interval_weeks`: 1 weekly, 2 every 14 days, 4 every four weeks
  TimeSpan time;
  MeetingContent content;
  std::vector<std::string> audience;          ///< `audience`: ["all"], ["team:A"], ["person:kari"]
  std::optional<Date> registration_deadline;  ///< `registration_deadline`
  int participants_min = 1;    ///< `participants: {min, max}`: people per registration
  int participants_max = 100;  ///< (seed 003: "alt fra 2 til 15 deltakere")
  std::vector<SeriesSession> sessions;
  std::vector<SeriesRow> rows;
  std::optional<AttendanceRule> attendance;  ///< `attendance`
  SourceLocation where;
};

// ---------------------------------------------------------------------------------------------
// Weekly slot (seed 004)

/// A date range with a reason, e.g. summer holidays: `{from: ..., to: ..., reason: ...}`.
struct Blackout {
  Date from;
  Date to;  ///< inclusive
  std::string reason;
  SourceLocation where;
};

struct WeeklySlot {
  std::string key;
  std::string title;
  Weekday weekday = Weekday::Monday;
  TimeSpan time;
  Date from;
  Date until;                 ///< inclusive
  bool skip_holidays = true;  ///< `skip_holidays`: no slot on Norwegian public holidays
  std::vector<Date> except;   ///< `except`: single dates without the slot
  std::vector<Blackout> blackouts;
  MeetingContent content;
  std::vector<std::string> audience;
  std::optional<AttendanceRule> attendance;  ///< `attendance`
  SourceLocation where;
};

// ---------------------------------------------------------------------------------------------
// Annual wheel (seed 002)

enum class WheelItemKind { Deadline, Meeting };

struct WheelItem {
  std::string key;
  WheelItemKind kind = WheelItemKind::Deadline;  ///< `kind: deadline|meeting`
  std::string title;
  int month = 1;  ///< from `on: "10-15"` (MM-DD), repeated every year of the wheel
  int day = 1;
  std::optional<TimeSpan> time;          ///< meetings have a time; deadlines are all-day
  std::vector<std::string> responsible;  ///< `responsible`: audiences, e.g. ["role:fagradgiver"]
  MeetingContent content;
  SourceLocation where;
};

struct Wheel {
  int first_year = 0;  ///< `years: {from: 2024, to: 2025}`
  int last_year = 0;
  std::vector<WheelItem> items;
  SourceLocation where;
};

// ---------------------------------------------------------------------------------------------
// People

struct Team {
  std::string key;   ///< "A"
  std::string name;  ///< "Team A"
  SourceLocation where;
};

struct Role {
  std::string key;   ///< "virksomhetsleder"
  std::string name;  ///< "Virksomhetsledere"
  SourceLocation where;
};

struct Person {
  std::string id;  ///< stable key used in audiences: "person:kari"
  std::string name;
  std::string email;
  std::string team;        ///< team key; may be empty for people outside the teams
  bool leader = false;     ///< a department leader ("avdelingsleder")
  std::string reports_to;  ///< the leader's id, or empty
  std::vector<std::string> roles;
  SourceLocation where;
};

// ---------------------------------------------------------------------------------------------

struct Plan {
  std::string id;                        ///< `plan`: ^[a-z0-9][a-z0-9-]*$, part of every UID
  std::string title;                     ///< `title`
  std::string calendar_name;             ///< `calendar_name`, default `title`; X-WR-CALNAME
  std::string timezone = "Europe/Oslo";  ///< `timezone` (IANA)
  std::string language = "nb";           ///< `language`
  std::string organizer;                 ///< `organizer`: free text
  std::vector<Team> teams;
  std::vector<Role> roles;
  std::vector<Person> roster;  ///< inline `roster` or loaded from `roster: file.yaml|file.csv`
  /// Positions in `roster` sorted by id (plan/roster.h), so finding a person is a binary
  /// search: feeds, pages and reminders look people up per audience, and a roster may hold
  /// thousands. Set by the loader; a hint only: a plan built by hand may leave it empty.
  std::vector<std::uint32_t> roster_by_id;
  std::vector<Rotation> rotations;
  std::vector<Series> series;
  std::vector<WeeklySlot> weekly;
  std::optional<Wheel> wheel;
  std::string source_file;  ///< the plan file this was loaded from
};

}  // namespace plancal
