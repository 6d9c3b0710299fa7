#!/usr/bin/python3
"""Lists the events of one CalDAV calendar with python3-caldav, a client plancal did not write.

Usage: caldav_list.py CALENDAR_URL USER PASSWORD
Prints one line per event: its UID, a tab, and the DTSTART as the server stores it.
Run with Debian's /usr/bin/python3 (python3-caldav is a Debian package).
"""
import sys

import caldav


def main() -> int:
    url, user, password = sys.argv[1:4]
    client = caldav.DAVClient(url=url, username=user, password=password)
    calendar = caldav.Calendar(client=client, url=url)
    for event in calendar.events():
        if not event.data:  # the calendar-query answer usually carries the data already
            event.load()
        vevent = event.icalendar_instance.walk("VEVENT")[0]
        print(f"{vevent['UID']}\t{vevent.decoded('DTSTART').isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
