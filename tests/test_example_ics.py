# SPDX-License-Identifier: Apache-2.0
"""test_example_ics.py - the example's iCalendar feed read back by an independent reader
(Debian's python3-icalendar), and checked against the rules of RFC 5545 clients rely on."""
import datetime
import os
import subprocess
import sys
import tempfile

from icalendar import Calendar

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]


def main():
    with tempfile.TemporaryDirectory(dir=os.environ.get("COPLAN_TEST_TMP")) as tmp:
        db = os.path.join(tmp, "coplan.db")
        out = os.path.join(tmp, "out")
        subprocess.run([BIN, "--db", db, "plan", os.path.join(SRC, "examples", "italy-japan-2024"),
                        "-o", out], check=True, capture_output=True)
        raw = open(os.path.join(out, "plan.ics"), "rb").read()
        # an export to standard output is the same feed apart from DTSTAMP
        again = subprocess.run([BIN, "--db", db, "export", "ics"], check=True,
                               capture_output=True).stdout

    failures = []
    if raw.startswith(b"\xef\xbb\xbf"):
        failures.append("feed starts with a byte order mark")
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        failures.append("feed does not end with CRLF")
    for n, line in enumerate(lines[:-1], 1):
        if b"\n" in line or b"\r" in line:
            failures.append(f"line {n}: bare CR or LF")
        if len(line) > 75:
            failures.append(f"line {n}: {len(line)} octets, more than 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            failures.append(f"line {n}: not valid UTF-8 on its own (a fold split a character)")

    cal = Calendar.from_ical(raw)
    everything = [c for c in cal.walk() if c.name == "VEVENT"]
    sessions = [c for c in everything if "staff talks" in str(c.get("CATEGORIES").to_ical().decode()
                                                              if c.get("CATEGORIES") else "")]
    events = [c for c in everything if c not in sessions]
    if len(events) != 28:
        failures.append(f"{len(events)} activity events, expected 28")
    # the talks' sessions: timed, in Rome's zone (VTIMEZONE in the feed), right in UTC
    if len(sessions) != 3:
        failures.append(f"{len(sessions)} sessions of the talks, expected 3")
    if not [c for c in cal.walk() if c.name == "VTIMEZONE"]:
        failures.append("no VTIMEZONE for the timed sessions")
    for ev in sessions:
        start = ev.decoded("DTSTART")
        if not hasattr(start, "hour") or start.tzinfo is None:
            failures.append(f"session {ev.get('SUMMARY')}: not a timed event with a zone")
            continue
        if "Opening plenary" in str(ev.get("SUMMARY")):
            utc = start.astimezone(datetime.timezone.utc)
            if (utc.year, utc.month, utc.day, utc.hour, utc.minute) != (2024, 1, 10, 8, 30):
                failures.append(f"opening plenary at {utc} UTC, expected 2024-01-10 08:30 UTC "
                                "(09:30 in Rome)")
    uids = set()
    for ev in events:
        uid = str(ev.get("UID"))
        if "@" not in uid:
            failures.append(f"UID {uid} is not globally unique (no domain part)")
        uids.add(uid)
        start = ev.decoded("DTSTART")
        end = ev.decoded("DTEND")
        if hasattr(start, "hour") or hasattr(end, "hour"):
            failures.append(f"{uid}: not an all-day event")
        elif not end > start:
            failures.append(f"{uid}: DTEND {end} not after DTSTART {start} (DTEND is exclusive)")
        if not str(ev.get("DTSTAMP").to_ical().decode()).endswith("Z"):
            failures.append(f"{uid}: DTSTAMP not in UTC")
    if len(uids) != len(events):
        failures.append("UIDs are not unique")
    if str(cal.get("METHOD")) != "PUBLISH":
        failures.append("METHOD is not PUBLISH")

    def strip_dtstamp(feed):
        return b"\r\n".join(l for l in feed.split(b"\r\n") if not l.startswith(b"DTSTAMP:"))
    if strip_dtstamp(raw) != strip_dtstamp(again):
        failures.append("a second export differs apart from DTSTAMP (UIDs or content not stable)")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(events)} events read back; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
