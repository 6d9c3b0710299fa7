#!/usr/bin/python3
"""Reads the meeting invitations smtp_sink.py stored and prints what a calendar client would
see, as JSON: the MIME structure by Python's email package and the calendar by
python3-icalendar (both written by others than plancal). One object per message, in arrival
order; messages without a text/calendar part are listed with "calendar": null.

Usage: imip_check.py DIR
"""

import email
import email.policy
import json
import os
import sys

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
    text = ""
    for part in message.walk():
        if part.is_multipart():
            continue
        alternatives.append(part.get_content_type())
        if part.get_content_type() == "text/calendar":
            calendar = calendar_facts(part)
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
    }


def main():
    folder = sys.argv[1]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    print(json.dumps([describe(os.path.join(folder, n)) for n in names], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
