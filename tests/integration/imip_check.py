#!/usr/bin/python3
"""Reads the meeting invitations smtp_sink.py stored and prints what a calendar client would
see, as JSON: the MIME structure by Python's email package and the calendar by
python3-icalendar (both written by others than plancal). One object per message, in arrival
order; messages without a text/calendar part are listed with "calendar": null.

With a tools folder, each calendar is also parsed by ical.js (Thunderbird's parser, installed
from npm into that folder once, as the browser tests install axe-core) and what it read is
added as "icaljs".

Usage: imip_check.py DIR [TOOLS_DIR]
"""

import email
import email.policy
import json
import os
import subprocess
import sys
import tempfile

import icalendar


def calendar_facts(part):
    calendar = icalendar.Calendar.from_ical(part.get_content())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    zones = [str(c.get("TZID")) for c in calendar.walk() if c.name == "VTIMEZONE"]
    facts = {
        "mime_method": part.get_param("method"),
        "mime_charset": part.get_content_charset(),
        "method": str(calendar.get("METHOD")),
        "vevents": len(events),
        "vtimezones": zones,
    }
    if len(events) != 1:
        return facts
    event = events[0]
    start = event.decoded("DTSTART")
    attendees = event.get("ATTENDEE")
    attendee = attendees[0] if isinstance(attendees, list) else attendees
    facts.update({
        "uid": str(event.get("UID")),
        "sequence": int(event.get("SEQUENCE", 0)),
        "status": str(event.get("STATUS", "")),
        "summary": str(event.get("SUMMARY", "")),
        "location": str(event.get("LOCATION", "")),
        "dtstart": start.isoformat(),
        "dtstart_utc": int(start.timestamp()),
        "dtstart_tzid": event["DTSTART"].params.get("TZID", ""),
        "organizer": str(event.get("ORGANIZER", "")),
        "attendee": str(attendee) if attendee is not None else "",
        "partstat": attendee.params.get("PARTSTAT", "") if attendee is not None else "",
    })
    return facts


def describe(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        record = json.load(handle)
    message = email.message_from_string(record["message"], policy=email.policy.default)
    alternatives = []
    calendar = None
    calendar_text = None
    text = ""
    for part in message.walk():
        if part.is_multipart():
            continue
        alternatives.append(part.get_content_type())
        if part.get_content_type() == "text/calendar":
            calendar = calendar_facts(part)
            calendar_text = part.get_content()
        elif part.get_content_type() == "text/plain":
            text = part.get_content()
    return {
        "rcpt_tos": record["rcpt_tos"],
        "subject": str(message["Subject"]),
        "content_type": message.get_content_type(),
        "alternatives": alternatives,
        "defects": [str(d) for p in message.walk() for d in p.defects],
        "text": text,
        "calendar": calendar,
        "calendar_text": calendar_text,
    }


ICALJS_VERSION = "ical.js@1"


def install_icaljs(folder):
    """ical.js from npm (`npm install ical.js@1` into `folder`, once); returns its module file."""
    module = os.path.join(folder, "node_modules", "ical.js", "build", "ical.js")
    if not os.path.exists(module):
        os.makedirs(folder, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", folder, "--no-audit", "--no-fund",
                        "--no-save", "--loglevel=error", ICALJS_VERSION],
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return module


def add_icaljs(messages, module):
    """Parses every message's calendar with ical.js (one node run) and adds what it read."""
    with_calendar = [m for m in messages if m["calendar"] is not None]
    if not with_calendar:
        return
    with tempfile.TemporaryDirectory() as work:
        files = []
        for i, message in enumerate(with_calendar):
            name = os.path.join(work, f"{i:05}.ics")
            with open(name, "w", encoding="utf-8", newline="") as handle:
                handle.write(message.pop("calendar_text"))
            files.append(name)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "imip_icaljs.js")
        result = subprocess.run(["node", script, module] + files, check=True,
                                stdout=subprocess.PIPE, timeout=120)
    for message, facts in zip(with_calendar, json.loads(result.stdout)):
        message["icaljs"] = facts


def main():
    folder = sys.argv[1]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    messages = [describe(os.path.join(folder, n)) for n in names]
    if len(sys.argv) > 2:
        add_icaljs(messages, install_icaljs(sys.argv[2]))
    for message in messages:
        message.pop("calendar_text", None)
    print(json.dumps(messages, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
