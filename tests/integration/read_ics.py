#!/usr/bin/python3
"""Reads an .ics file the way a third-party client would and prints its events as JSON.

Used by tests/integration/interop_test.cpp to check plancal's iCalendar output against an
independent implementation: Debian's python3-icalendar parses the file and
python3-recurring-ical-events expands it (recurrences, if any) over a wide window.

Output: a JSON object
  {"events": [{"uid", "summary", "start", "end", "status", "all_day", "tzid"}...],
   "timezones": ["Europe/Oslo", ...],
   "problems": ["..."]}
Start and end are ISO 8601 in local time of --zone (default Europe/Oslo) with the UTC offset,
e.g. "2024-01-15T09:00:00+01:00"; all-day values are plain dates ("2024-10-15").

A date-time without a zone (floating) is read as the process's local time, so running this
script under two TZ values gives different output for such a file: the C++ test compares the
two runs to prove the file does not depend on the reader's zone.

"problems" lists what a strict reader objects to: a DTSTART/DTEND whose TZID has no VTIMEZONE
in the file, or a VTIMEZONE whose own rules give another UTC offset for an event than the
zone database does (i.e. a truncated VTIMEZONE that does not cover the event).

Run with /usr/bin/python3 (Debian's interpreter sees the python3-* packages).
"""

import argparse
import datetime as dt
import json
import sys
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from dateutil import rrule


def iso(value, zone):
    """ISO 8601 text: dates as dates, date-times in `zone` with their offset."""
    if isinstance(value, dt.datetime):
        # A naive (floating) value is taken as the local time of this process (see above).
        return value.astimezone(zone).isoformat()
    return value.isoformat()


class VTimezone:
    """The UTC offset rules of one VTIMEZONE, read the RFC 5545 way: each STANDARD/DAYLIGHT
    observance starts at its DTSTART (local time, in the offset it changes from) and recurs by
    its RRULE/RDATEs; a wall-clock time takes the offset of the latest onset at or before it,
    and times before the first onset take that onset's TZOFFSETFROM."""

    def __init__(self, component, until_year=2200):
        self.onsets = []  # (local onset, offset from, offset to)
        for observance in component.subcomponents:
            if observance.name not in ("STANDARD", "DAYLIGHT"):
                continue
            first = observance["DTSTART"].dt.replace(tzinfo=None)
            offset_from = observance["TZOFFSETFROM"].td
            offset_to = observance["TZOFFSETTO"].td
            starts = [first]
            if "RRULE" in observance:
                recur = icalendar.vRecur(observance["RRULE"])
                if "UNTIL" in recur:
                    # UNTIL is in UTC (RFC 5545 3.3.10) while the onsets are local wall-clock
                    # times in the offset the observance changes from: compare like with like.
                    until = recur["UNTIL"][0]
                    if isinstance(until, dt.datetime) and until.tzinfo is not None:
                        until = until.astimezone(dt.timezone.utc).replace(tzinfo=None)
                        recur["UNTIL"] = [until + offset_from]
                rule = rrule.rrulestr(recur.to_ical().decode(), dtstart=first, ignoretz=True)
                limit = dt.datetime(until_year, 1, 1)
                starts = []
                for onset in rule:
                    if onset > limit:
                        break
                    starts.append(onset)
            for rdate in _list(observance.get("RDATE")):
                for value in rdate.dts:
                    starts.append(value.dt.replace(tzinfo=None))
            self.onsets.extend((onset, offset_from, offset_to) for onset in starts)
        self.onsets.sort(key=lambda item: item[0])

    def utcoffset(self, wall):
        if not self.onsets:
            return None
        offset = self.onsets[0][1]
        for onset, _offset_from, offset_to in self.onsets:
            if onset > wall:
                break
            offset = offset_to
        return offset


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def vtimezone_rules(calendar):
    """TZID -> the rules of the file's own VTIMEZONE component."""
    return {str(c["TZID"]): VTimezone(c) for c in calendar.walk("VTIMEZONE")}


def check_against_vtimezone(prop, rules, problems, uid):
    """The event's wall-clock time must have the same offset under the file's VTIMEZONE as
    under the zone database (python3-icalendar itself resolves Olson names through pytz and
    would otherwise never look at the VTIMEZONE)."""
    if prop is None or not isinstance(prop.dt, dt.datetime):
        return
    tzid = prop.params.get("TZID")
    if tzid is None:
        return
    tzid = str(tzid)
    if tzid not in rules:
        problems.append(f"{uid}: TZID={tzid} has no VTIMEZONE in the file")
        return
    wall = prop.dt.replace(tzinfo=None)
    from_vtimezone = rules[tzid].utcoffset(wall)
    try:
        from_database = wall.replace(tzinfo=ZoneInfo(tzid)).utcoffset()
    except Exception:  # not an IANA name: nothing to compare with
        return
    if from_vtimezone != from_database:
        problems.append(
            f"{uid}: {wall.isoformat()} is {from_vtimezone} in the file's VTIMEZONE {tzid} "
            f"but {from_database} in the zone database")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ics", help="the .ics file to read")
    parser.add_argument("--zone", default="Europe/Oslo", help="zone for the output times")
    parser.add_argument("--from", dest="start", default="1970-01-01")
    parser.add_argument("--to", dest="end", default="2100-01-01")
    args = parser.parse_args()

    with open(args.ics, "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())

    zone = ZoneInfo(args.zone)
    rules = vtimezone_rules(calendar)
    problems = []

    # Check the VEVENTs as written (before expansion copies them).
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID"))
        check_against_vtimezone(event.get("DTSTART"), rules, problems, uid)
        check_against_vtimezone(event.get("DTEND"), rules, problems, uid)

    start = dt.date.fromisoformat(args.start)
    end = dt.date.fromisoformat(args.end)
    window = ((start.year, start.month, start.day), (end.year, end.month, end.day))
    events = []
    for event in recurring_ical_events.of(calendar).between(*window):
        begin = event["DTSTART"].dt
        finish = event["DTEND"].dt if "DTEND" in event else begin
        events.append({
            "uid": str(event.get("UID")),
            "summary": str(event.get("SUMMARY", "")),
            "start": iso(begin, zone),
            "end": iso(finish, zone),
            "status": str(event.get("STATUS", "")),
            "all_day": not isinstance(begin, dt.datetime),
            "tzid": str(event["DTSTART"].params.get("TZID", "")),
        })
    events.sort(key=lambda e: (e["start"], e["uid"]))

    json.dump({"events": events, "timezones": sorted(rules), "problems": problems},
              sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
