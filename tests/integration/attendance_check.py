"""Checks `plancal attendance export` and `plancal attendance hours --format csv` against
arithmetic done here from the plan file itself (never from plancal's numbers).

usage: attendance_check.py PLAN.yaml ROSTER.csv IMPORTED.csv EXPORT.csv|EXPORT.xlsx HOURS.csv

An .xlsx export (`--format xlsx`) is read with openpyxl, a reader nobody here wrote: its
dates must be real dates and its hours numbers, and it must say what the CSV would.

The plan's first rotation gives every team's date of every meeting and its time (the
rotation's `time`, or the meeting's own); the roster gives each person's team; the imported
CSV (date, person, status) is what was registered. Every person's own dates have ended
(`hours` was run at the end of the year). Prints what differs and exits 1, or prints a
summary and exits 0.
"""

import csv
import sys

import yaml

PRESENT = {"moett", "sent", "møtt", "møtt for sent", "attended", "late"}
CODES = {"moett": "attended", "sent": "late", "gyldig": "excused", "fravaer": "absent"}


def minutes(span):
    start_h, start_m = (int(x) for x in span["start"].split(":"))
    end_h, end_m = (int(x) for x in span["end"].split(":"))
    return (end_h * 60 + end_m) - (start_h * 60 + start_m)


def hours(mins):
    text = f"{mins / 60:.2f}".rstrip("0").rstrip(".")
    return text


def read_plan(path):
    with open(path, encoding="utf-8") as f:
        plan = yaml.safe_load(f)
    rotation = plan["rotations"][0]
    by_date = {}  # date -> (meeting number, team, minutes)
    own = {}  # team -> [(date, number, minutes)]
    for meeting in rotation["meetings"]:
        length = minutes(meeting.get("time", rotation["time"]))
        for team, date in meeting["dates"].items():
            by_date[str(date)] = (meeting["number"], team, length)
            own.setdefault(team, []).append((str(date), meeting["number"], length))
    return rotation["attendance"]["programme_hours"] * 60, by_date, own


def read_export(path):
    """The export's rows as dicts of text, from CSV or from the workbook's first sheet."""
    if not path.endswith(".xlsx"):
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f)), []
    import datetime
    import openpyxl
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, problems, out = [str(h) for h in rows[0]], [], []
    for values in rows[1:]:
        row = {}
        for name, value in zip(header, values):
            if name in ("date",) and not isinstance(value, datetime.datetime):
                problems.append(f"xlsx: {name} {value!r} is not a date cell")
            if name in ("meeting_hours", "hours") and not isinstance(value, (int, float)):
                problems.append(f"xlsx: {name} {value!r} is not a number cell")
            if isinstance(value, datetime.datetime):
                value = value.date().isoformat()
            elif isinstance(value, (int, float)):
                value = hours(round(value * 60))
            row[name] = "" if value is None else str(value)
        out.append(row)
    return out, problems


def main():
    plan_path, roster_path, imported_path, export_path, hours_path = sys.argv[1:6]
    required, by_date, own = read_plan(plan_path)
    with open(roster_path, encoding="utf-8") as f:
        team_of = {row["id"]: row["team"] for row in csv.DictReader(f)}
    with open(imported_path, encoding="utf-8") as f:
        imported = list(csv.DictReader(f))
    exported, problems = read_export(export_path)
    with open(hours_path, encoding="utf-8", newline="") as f:
        ledger = {row["person"]: row for row in csv.DictReader(f)}

    # The export: one row per imported row, with the meeting's own length.
    expected = set()
    for row in imported:
        number, team, length = by_date[row["date"]]
        credited = length if row["status"] in PRESENT else 0
        expected.add((row["date"], row["person"], f"møte {number}", hours(length),
                      hours(credited), CODES.get(row["status"], row["status"])))
    got = [(r["date"], r["person"], r["meeting"], r["meeting_hours"], r["hours"],
            r["status_code"]) for r in exported]
    if len(got) != len(set(got)):
        problems.append(f"the export has duplicate rows ({len(got)} rows, {len(set(got))} distinct)")
    if set(got) != expected:
        problems.append(f"export differs: missing {sorted(expected - set(got))[:5]}, "
                        f"unexpected {sorted(set(got) - expected)[:5]}")

    # The ledger: per person, from the plan's dates and the registrations.
    for person, team in team_of.items():
        mine = [r for r in imported if r["person"] == person]
        planned = sum(length for _, _, length in own[team])
        attended = sum(by_date[r["date"]][2] for r in mine if r["status"] in PRESENT)
        own_dates = {date for date, _, _ in own[team]}
        registered_own = {r["date"]: r["status"] for r in mine if r["date"] in own_dates}
        excused = sum(by_date[d][2] for d, s in registered_own.items() if s == "gyldig")
        absent = sum(by_date[d][2] for d, s in registered_own.items() if s == "fravaer")
        unregistered = sum(length for date, _, length in own[team] if date not in registered_own)
        attended_numbers = {by_date[r["date"]][0] for r in mine if r["status"] in PRESENT}
        reachable = attended + sum(length for date, number, length in own[team]
                                   if date not in registered_own and number not in attended_numbers)
        standing = ("met" if attended >= required else
                    "reachable" if reachable >= required else "unreachable")
        want = {"required_hours": hours(required), "planned_hours": hours(planned),
                "attended_hours": hours(attended), "excused_hours": hours(excused),
                "absent_hours": hours(absent), "unregistered_hours": hours(unregistered),
                "upcoming_hours": "0", "standing": standing}
        line = ledger.get(person)
        if line is None:
            problems.append(f"{person}: no line in the hours ledger")
            continue
        for key, value in want.items():
            if line[key] != value:
                problems.append(f"{person}: {key} is {line[key]}, the plan file says {value}")

    if problems:
        print("\n".join(problems))
        return 1
    print(f"checked {len(exported)} export rows and {len(team_of)} people against the plan file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
