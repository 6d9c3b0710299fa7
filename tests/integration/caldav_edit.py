#!/usr/bin/python3
"""Changes one CalDAV calendar the way another client would, with python3-caldav.

Usage: caldav_edit.py CALENDAR_URL USER PASSWORD ACTION ARGS...
  create UID SUMMARY START      a new event (START as 20250115T080000Z, one hour long)
  summary UID NEW_SUMMARY [SEQUENCE]
                                sets the SUMMARY of the event with this UID (and its SEQUENCE,
                                as a scheduling-aware client does when it revises an event)
  move UID MINUTES              moves the event with this UID (DTSTART and DTEND)
  delete UID                    deletes the resource holding this UID
Exits 1 (with a message) when no resource holds the UID.
Run with Debian's /usr/bin/python3 (python3-caldav is a Debian package).
"""
import datetime
import sys

import caldav


def find(calendar: caldav.Calendar, uid: str):
    """The resource holding `uid`, found by reading every resource (no server-side search)."""
    for resource in calendar.objects(load_objects=True):
        if resource.data is None:
            continue
        for component in resource.icalendar_instance.walk("VEVENT"):
            if str(component["UID"]) == uid:
                return resource, component
    raise LookupError(f"no resource holds UID {uid}")


def create(calendar: caldav.Calendar, uid: str, summary: str, start: str) -> None:
    begin = datetime.datetime.strptime(start, "%Y%m%dT%H%M%SZ")
    end = begin + datetime.timedelta(hours=1)
    calendar.save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone else//caldav_edit//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n"
        f"DTSTART:{start}\r\nDTEND:{end.strftime('%Y%m%dT%H%M%SZ')}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def move(resource, component, minutes: int) -> None:
    shift = datetime.timedelta(minutes=minutes)
    for name in ("DTSTART", "DTEND"):
        moved = component.decoded(name) + shift
        params = component[name].params
        del component[name]
        component.add(name, moved, parameters=params)
    resource.save()


def main() -> int:
    url, user, password, action = sys.argv[1:5]
    args = sys.argv[5:]
    client = caldav.DAVClient(url=url, username=user, password=password)
    calendar = caldav.Calendar(client=client, url=url)
    if action == "create":
        create(calendar, *args)
        return 0
    try:
        resource, component = find(calendar, args[0])
    except LookupError as error:
        print(error, file=sys.stderr)
        return 1
    if action == "summary":
        component.pop("SUMMARY", None)
        component.add("SUMMARY", args[1])
        if len(args) > 2:
            component.pop("SEQUENCE", None)
            component.add("SEQUENCE", int(args[2]))
        resource.save()
    elif action == "move":
        move(resource, component, int(args[1]))
    elif action == "delete":
        resource.delete()
    else:
        print(f"unknown action {action}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
