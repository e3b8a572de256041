# SPDX-License-Identifier: Apache-2.0
"""test_cli_holidays.py - `coplan holidays` and `coplan calendar`: formats, exit codes, help."""
import csv
import io
import json
import os
import subprocess
import sys

BIN = os.environ["COPLAN_BIN"]
failures = []
passed = 0


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


# table: weekday, kind, names, provisional mark
rc, out, _ = run("holidays", "JPN", "2024")
check(rc == 0, "holidays JPN 2024 exits 0")
check("2024-02-12  Mon  substitute  振替休日  Substitute Holiday" in out, "table row for a substitute")
rc, out, _ = run("holidays", "JPN", "2030")
check("(provisional)" in out and out.count("(provisional)") >= 2, "provisional equinox days marked")

# csv
rc, out, _ = run("holidays", "GBR", "2022", "--format", "csv")
rows = list(csv.reader(io.StringIO(out)))
check(rows[0] == ["date", "kind", "local_name", "english_name", "provisional"], "csv header")
check(["2022-12-27", "substitute", "Christmas Day (substitute day)", "Christmas Day (substitute day)", "0"]
      in rows, "csv row for 27 Dec 2022")
check(len(rows) == 13, "13 rows for England 2022 (header + 12)")

# json
rc, out, _ = run("holidays", "ITA", "2011", "--format", "json")
data = json.loads(out)
check(isinstance(data, list) and {"date", "kind", "local_name", "english_name", "provisional"} == set(data[0]),
      "json objects with the five keys")
check(any(h["date"] == "2011-03-17" and h["kind"] == "one-off" for h in data), "json one-off 2011-03-17")
check(any(h["local_name"] == "Lunedì dell'Angelo" for h in data), "json UTF-8 names")

# ics: CRLF, all-day, exclusive end, stable UIDs
rc, out1, _ = run("holidays", "JPN", "2021", "--format", "ics")
rc2, out2, _ = run("holidays", "JPN", "2021", "--format", "ics")
check(rc == 0 and out1 == out2, "ics output is reproducible")
raw = subprocess.run([BIN, "holidays", "JPN", "2021", "--format", "ics"], capture_output=True).stdout
check(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "ics lines end in CRLF")
check("DTSTART;VALUE=DATE:20210808\r\nDTEND;VALUE=DATE:20210809" in raw.decode(), "ics all-day, end exclusive")
uids = [l for l in raw.decode().split("\r\n") if l.startswith("UID:")]
check(len(uids) == len(set(uids)) == raw.decode().count("BEGIN:VEVENT"), "one unique UID per event")
check(raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.rstrip().endswith(b"END:VCALENDAR"), "ics framing")

# regions
rc, out, _ = run("holidays", "GBR", "2023", "--region", "SCT", "--format", "csv")
check("2023-11-30,public,St Andrew's Day" in out and "2023-04-10" not in out, "Scotland")
rc, out, _ = run("holidays", "ITA", "2023", "--region", "ROMA", "--format", "csv")
check("2023-06-29,regional,Santi Pietro e Paolo" in out, "Rome's patron saint")

# exit codes and messages
rc, _, err = run("holidays", "ITL", "2024")
check(rc == 1 and "unknown nation 'ITL'" in err, "unknown nation: 1")
rc, _, err = run("holidays", "ITA", "1969")
check(rc == 1 and "year 1969" in err, "year out of range: 1")
rc, _, err = run("holidays", "ITA", "20x4")
check(rc == 1, "bad year: 1")
rc, _, err = run("holidays", "GBR", "2024", "--region", "WAL")
check(rc == 1 and "unknown region 'WAL'" in err, "unknown region: 1")
rc, _, _ = run("holidays", "ITA")
check(rc == 2, "missing year: 2")
rc, _, _ = run("holidays", "ITA", "2024", "--format", "xml")
check(rc == 2, "bad format: 2")
rc, _, _ = run("holidays", "ITA", "2024", "--bogus")
check(rc == 2, "bad option: 2")
rc, out, _ = run("holidays", "--help")
check(rc == 0 and out.startswith("usage: coplan holidays") and "--format" in out and "--region" in out,
      "holidays --help")

# calendar
rc, out, _ = run("calendar", "ITA", "JPN", "GBR", "--from", "2024-04-24", "--to", "2024-05-10")
lines = out.splitlines()
check(rc == 0 and lines[-1] == "8 working days in common", "calendar count")
check("2024-04-25 Thu" not in out and "2024-05-01 Wed" not in out and "2024-05-06 Mon" not in out
      and "2024-04-29 Mon" not in out and "2024-05-07 Tue" in out, "calendar skips each nation's holidays")
rc, out, _ = run("calendar", "JPN", "--from", "2024-01-01", "--to", "2024-12-31", "--count")
check(rc == 0 and out.strip() == "248", "JPN 2024 has 248 working days")
rc, _, err = run("calendar", "ITL", "--from", "2024-01-01", "--to", "2024-01-02")
check(rc == 1 and "unknown nation 'ITL'" in err, "calendar unknown nation: 1")
rc, _, _ = run("calendar", "ITA", "--from", "2024-01-01")
check(rc == 2, "calendar without --to: 2")
rc, _, _ = run("calendar", "ITA", "--from", "2024-02-30", "--to", "2024-03-01")
check(rc == 1, "calendar bad date: 1")
rc, out, _ = run("calendar", "--help")
check(rc == 0 and out.startswith("usage: coplan calendar"), "calendar --help")

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
