#!/usr/bin/python3
"""Anchor for plancal's expand+render benchmark: builds and serialises the same calendar with
Debian's python3-icalendar.

Reads the events plancal_bench_expand wrote (uid, summary, description, location, local
start/end and TZID) and times building one VCALENDAR with one VTIMEZONE and a VEVENT per event
(UID, DTSTAMP, SEQUENCE, DTSTART/DTEND with TZID, SUMMARY, DESCRIPTION, LOCATION, STATUS,
TRANSP), then to_ical(). Reading the JSON is not timed; localising the wall-clock times is.

python3-icalendar 4.0 cannot generate a VTIMEZONE from a zone (Timezone.from_tzinfo came in
5.x), so the VTIMEZONE is written by hand from the current EU rules, as an application using
this library has to; DTSTART/DTEND get TZID=Europe/Oslo from the pytz zone, as the library
does on its own.

Prints key=value lines: python_events, python_seconds (wall clock), python_cpu_seconds,
python_events_per_second,
python_ics_bytes, python_peak_rss_kb.

usage: /usr/bin/python3 icalendar_anchor.py EVENTS.json [--ics OUT.ics] [--repeat R]
"""

import argparse
import datetime as dt
import json
import resource
import sys
import time

import icalendar
import pytz


def vtimezone(tzid):
    """Europe/Oslo (CET/CEST) with the EU rules in force since 1996."""
    zone = icalendar.Timezone()
    zone.add("TZID", tzid)
    daylight = icalendar.TimezoneDaylight()
    daylight.add("TZNAME", "CEST")
    daylight.add("TZOFFSETFROM", dt.timedelta(hours=1))
    daylight.add("TZOFFSETTO", dt.timedelta(hours=2))
    daylight.add("DTSTART", dt.datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    standard = icalendar.TimezoneStandard()
    standard.add("TZNAME", "CET")
    standard.add("TZOFFSETFROM", dt.timedelta(hours=2))
    standard.add("TZOFFSETTO", dt.timedelta(hours=1))
    standard.add("DTSTART", dt.datetime(1970, 10, 25, 3, 0, 0))
    standard.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def build(data):
    tzid = data.get("timezone", "Europe/Oslo")
    tz = pytz.timezone(tzid)
    dtstamp = dt.datetime.fromtimestamp(data.get("dtstamp", 0), tz=pytz.utc)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//plancal//bench anchor (python3-icalendar)//NB")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", data.get("calendar_name", "bench"))
    calendar.add("X-WR-TIMEZONE", tzid)
    calendar.add_component(vtimezone(tzid))
    parse = dt.datetime.fromisoformat
    for item in data["events"]:
        event = icalendar.Event()
        event.add("UID", item["uid"])
        event.add("DTSTAMP", dtstamp)
        event.add("SEQUENCE", 0)
        event.add("DTSTART", tz.localize(parse(item["start"])))
        event.add("DTEND", tz.localize(parse(item["end"])))
        event.add("SUMMARY", item["summary"])
        if item.get("description"):
            event.add("DESCRIPTION", item["description"])
        if item.get("location"):
            event.add("LOCATION", item["location"])
        event.add("STATUS", "CONFIRMED")
        event.add("TRANSP", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", help="JSON written by plancal_bench_expand --json")
    parser.add_argument("--ics", help="also write the calendar here")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    with open(args.events, encoding="utf-8") as handle:
        data = json.load(handle)

    best = None
    best_cpu = None
    text = b""
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        start_cpu = time.process_time()
        text = build(data)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
        if best is None or seconds < best:
            best, best_cpu = seconds, cpu

    count = len(data["events"])
    if args.ics:
        with open(args.ics, "wb") as handle:
            handle.write(text)
    print(f"python_icalendar_version={icalendar.__version__}")
    print(f"python_events={count}")
    print(f"python_vevents={text.count(b'BEGIN:VEVENT')}")
    print(f"python_seconds={best:.6f}")
    print(f"python_cpu_seconds={best_cpu:.6f}")
    print(f"python_events_per_second={int(count / best)}")
    print(f"python_ics_bytes={len(text)}")
    print(f"python_peak_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
