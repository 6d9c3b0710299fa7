#!/usr/bin/python3
"""Lists the events of one CalDAV calendar with python3-caldav, a client plancal did not write.

Usage: caldav_list.py CALENDAR_URL USER PASSWORD [--resources]
Prints one line per event: its UID, a tab, and the DTSTART as the server stores it.
With --resources, prints one line per resource in the collection (every component type,
sorted by href), the fields separated by tabs:
    href  etag  sha256-of-the-body  UID  DTSTART  DTSTART-TZID  SUMMARY  SEQUENCE  ALARMS
so a test can tell whether a resource changed at all (ETag, bytes) and what a user sees.
SEQUENCE is "" when the event has none; ALARMS the TRIGGER of each VALARM as written
(e.g. -PT19H), joined by commas, "" when it has none.
Run with Debian's /usr/bin/python3 (python3-caldav is a Debian package).
"""
import hashlib
import sys

import caldav
import icalendar


def list_events(calendar: caldav.Calendar) -> None:
    for event in calendar.events():
        if not event.data:  # the calendar-query answer usually carries the data already
            event.load()
        vevent = event.icalendar_instance.walk("VEVENT")[0]
        print(f"{vevent['UID']}\t{vevent.decoded('DTSTART').isoformat()}")


def resource_line(client: caldav.DAVClient, url: str):
    """The fields of one resource; None when it is gone (a sync report may still name it)."""
    response = client.request(url)
    if response.status == 404:
        return None
    body = response.raw if isinstance(response.raw, bytes) else response.raw.encode()
    etag = response.headers.get("ETag", "")
    component = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    start = component["DTSTART"]
    fields = [
        url,
        etag,
        hashlib.sha256(body).hexdigest(),
        str(component["UID"]),
        component.decoded("DTSTART").isoformat(),
        start.params.get("TZID", ""),
        str(component.get("SUMMARY", "")),
        str(component.get("SEQUENCE", "")),
        ",".join(alarm["TRIGGER"].to_ical().decode() for alarm in component.walk("VALARM")),
    ]
    return "\t".join(field.replace("\t", " ") for field in fields)


def list_resources(client: caldav.DAVClient, calendar: caldav.Calendar) -> None:
    """Every member of the collection (sync-collection report), each fetched with a GET."""
    urls = sorted(str(resource.url) for resource in calendar.objects(load_objects=False))
    for url in urls:
        line = resource_line(client, url)
        if line is not None:
            print(line)


def main() -> int:
    url, user, password = sys.argv[1:4]
    client = caldav.DAVClient(url=url, username=user, password=password)
    calendar = caldav.Calendar(client=client, url=url)
    if "--resources" in sys.argv[4:]:
        list_resources(client, calendar)
    else:
        list_events(calendar)
    return 0


if __name__ == "__main__":
    sys.exit(main())
