# SPDX-License-Identifier: Apache-2.0
"""test_ics_readback.py - the iCalendar export of a 30-activity plan read back by an independent
reader (Debian's python3-icalendar): one VEVENT per placed activity with its dates, text and
identity, through the command (coplan import, coplan export ics)."""
import datetime
import json
import os
import subprocess
import sys
import tempfile

try:
    from icalendar import Calendar
except ImportError:
    # CMake may have found another interpreter (pyenv) than Debian's, which holds python3-icalendar.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

BIN = os.environ["COPLAN_BIN"]
DATA = os.environ["COPLAN_TEST_DATA"]
PLAN = os.path.join(DATA, "json", "plan-2024.json")


def run(*args):
    proc = subprocess.run([BIN, *args], capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"FAIL: coplan {' '.join(args)} exited {proc.returncode}: "
                 f"{proc.stderr.decode(errors='replace')}")
    return proc.stdout


def as_date(value):
    return datetime.date.fromisoformat(value)


def main():
    source = json.load(open(PLAN, encoding="utf-8"))
    placed = {a["title"]: a for a in source["activities"] if "start" in a}
    with tempfile.TemporaryDirectory(dir=os.environ.get("COPLAN_TEST_TMP")) as tmp:
        db = os.path.join(tmp, "readback.db")
        ics_path = os.path.join(tmp, "plan.ics")
        run("--db", db, "import", PLAN)
        run("--db", db, "export", "ics", "-o", ics_path)
        raw = open(ics_path, "rb").read()
        again = run("--db", db, "export", "ics")

    failures = []
    if raw.startswith(b"\xef\xbb\xbf"):
        failures.append("byte order mark")
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        failures.append("does not end with CRLF")
    for n, line in enumerate(lines[:-1], 1):
        if len(line) > 75:
            failures.append(f"line {n}: {len(line)} octets")
        if b"\r" in line or b"\n" in line:
            failures.append(f"line {n}: bare CR or LF")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            failures.append(f"line {n}: a fold split a UTF-8 character")

    cal = Calendar.from_ical(raw)
    if str(cal.get("METHOD")) != "PUBLISH" or str(cal.get("VERSION")) != "2.0":
        failures.append("calendar is not METHOD:PUBLISH VERSION:2.0")
    if not str(cal.get("PRODID", "")).startswith("-//coplan//coplan "):
        failures.append(f"PRODID {cal.get('PRODID')!r}")
    if str(cal.get("X-WR-CALNAME")) != source["plan"]["title"]:
        failures.append(f"X-WR-CALNAME {cal.get('X-WR-CALNAME')!r}")
    events = list(cal.walk("VEVENT"))
    if len(events) != len(placed):
        failures.append(f"{len(events)} events for {len(placed)} placed activities")
    uids = set()
    for ev in events:
        title = str(ev.get("SUMMARY"))
        act = placed.get(title)
        if act is None:
            failures.append(f"event {title!r} is no activity of the plan")
            continue
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if isinstance(start, datetime.datetime) or isinstance(end, datetime.datetime):
            failures.append(f"{title}: not an all-day event")
        if start != as_date(act["start"]):
            failures.append(f"{title}: DTSTART {start}, expected {act['start']}")
        if end != as_date(act["end"]) + datetime.timedelta(days=1):
            failures.append(f"{title}: DTEND {end}, expected the day after {act['end']}")
        if act.get("location") and str(ev.get("LOCATION")) != act["location"]:
            failures.append(f"{title}: LOCATION {ev.get('LOCATION')!r}")
        description = str(ev.get("DESCRIPTION", ""))
        if act.get("notes") and not description.startswith(act["notes"]):
            failures.append(f"{title}: DESCRIPTION does not start with the notes: {description!r}")
        if f"Ref: {act['ref']}" not in description:
            failures.append(f"{title}: DESCRIPTION lacks the ref")
        cats = ev.get("CATEGORIES")
        if act.get("area") and (cats is None or [str(c) for c in cats.cats] != [act["area"]]):
            failures.append(f"{title}: CATEGORIES {cats!r}")
        expected_status = {"confirmed": "CONFIRMED", "executed": "CONFIRMED",
                           "cancelled": "CANCELLED"}.get(act.get("status"), "TENTATIVE")
        if str(ev.get("STATUS")) != expected_status:
            failures.append(f"{title}: STATUS {ev.get('STATUS')}, expected {expected_status}")
        uid = str(ev.get("UID"))
        if "@" not in uid:
            failures.append(f"{title}: UID {uid!r} has no domain")
        uids.add(uid)
        stamp = ev.decoded("DTSTAMP")
        if not isinstance(stamp, datetime.datetime) or stamp.utcoffset() != datetime.timedelta(0):
            failures.append(f"{title}: DTSTAMP {stamp!r} is not UTC")
        if ev.get("SEQUENCE") is None:
            failures.append(f"{title}: no SEQUENCE")
    if len(uids) != len(events):
        failures.append("UIDs are not unique")

    # the same export again: the same events apart from DTSTAMP
    def strip(data):
        return [ln for ln in data.split(b"\r\n") if not ln.startswith(b"DTSTAMP")]
    if strip(raw) != strip(again):
        failures.append("a second export differs in more than DTSTAMP")

    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"ok: {len(events)} events read back")


if __name__ == "__main__":
    main()
