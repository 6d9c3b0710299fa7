#!/usr/bin/python3
"""Subscribes to an ICS feed the way a calendar client does and prints what it sees as JSON.

Used by tests/integration/feed_server_test.cpp: Debian's python3-icalendar (an implementation
nobody here wrote) parses the feed plancal serves over HTTP.

Usage: feed_reader.py URL
Output: {"status": 200, "calendar": {"name", "method", "refresh"},
         "events": [{"uid", "sequence", "summary", "start", "status", "transp"}...]}
Start is ISO 8601 in the event's own zone ("2024-01-15T09:00:00+01:00") or a plain date.

Run with /usr/bin/python3 (Debian's interpreter sees the python3-* packages).
"""

import json
import sys
import urllib.request

import icalendar


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def event_json(event):
    start = event.decoded("DTSTART")
    return {
        "uid": text(event, "UID"),
        "sequence": int(event.get("SEQUENCE", 0)),
        "summary": text(event, "SUMMARY"),
        "start": start.isoformat(),
        "status": text(event, "STATUS") or "CONFIRMED",
        "transp": text(event, "TRANSP"),
    }


def main():
    request = urllib.request.Request(sys.argv[1], headers={"User-Agent": "feed_reader.py"})
    with urllib.request.urlopen(request, timeout=30) as response:
        status = response.status
        body = response.read()
    calendar = icalendar.Calendar.from_ical(body)
    result = {
        "status": status,
        "calendar": {
            "name": text(calendar, "X-WR-CALNAME"),
            "method": text(calendar, "METHOD"),
            "refresh": text(calendar, "REFRESH-INTERVAL"),
        },
        "events": [event_json(e) for e in calendar.walk("VEVENT")],
    }
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
