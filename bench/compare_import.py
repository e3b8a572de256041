#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Python comparators for bench_import.c, on the same files, and the table of ratios.

usage:
  compare_import.py DIR [--runs N] [--ics-runs N]
      time Python's csv module reading DIR/proposals.csv, and python3-icalendar
      writing the events of DIR/plan.ics (coplan's export, read back outside the
      timing); print "key value" lines (medians)
  compare_import.py --table COPLAN.txt PYTHON.txt
      print the Markdown table of coplan's figures beside Python's, with the ratios
      and whether each target of the import/export issue is met
"""
import csv
import datetime
import statistics
import sys
import time


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f))


def unescape(v):
    out, i = [], 0
    while i < len(v):
        c = v[i]
        if c == "\\" and i + 1 < len(v):
            n = v[i + 1]
            out.append("\n" if n in "nN" else n)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_events(path):
    """The VEVENTs of an iCalendar file as dicts: unfolded, names without parameters, text unescaped."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    events, ev = [], None
    for line in text.split("\r\n"):
        if line == "BEGIN:VEVENT":
            ev = {}
        elif line == "END:VEVENT":
            events.append(ev)
            ev = None
        elif ev is not None and ":" in line:
            name, value = line.split(":", 1)
            ev[name.split(";", 1)[0]] = value
    return events


def day(v):
    return datetime.date(int(v[0:4]), int(v[4:6]), int(v[6:8]))


def write_ics(events):
    """Build and serialise the calendar with python3-icalendar: the timed part."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//coplan//bench//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", e["UID"])
        ev.add("dtstamp", datetime.datetime(2024, 1, 11, tzinfo=datetime.timezone.utc))
        ev.add("sequence", int(e.get("SEQUENCE", "0")))
        ev.add("dtstart", day(e["DTSTART"]))
        ev.add("dtend", day(e["DTEND"]))
        ev.add("summary", unescape(e["SUMMARY"]))
        if "LOCATION" in e:
            ev.add("location", unescape(e["LOCATION"]))
        ev.add("description", unescape(e.get("DESCRIPTION", "")))
        if "CATEGORIES" in e:
            ev.add("categories", [unescape(e["CATEGORIES"])])
        ev.add("status", e.get("STATUS", "CONFIRMED"))
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()


def timed(fn, runs):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def measure(directory, runs, ics_runs):
    csv_path = directory + "/proposals.csv"
    t, n = timed(lambda: read_csv(csv_path), runs)
    rows = n - 1
    print("py_csv_rows %d" % rows)
    print("py_csv_read_s %.4f" % t)
    print("py_csv_rows_per_s %.0f" % (rows / t))
    events = parse_events(directory + "/plan.ics")
    t, data = timed(lambda: write_ics(events), ics_runs)
    print("py_ics_events %d" % len(events))
    print("py_ics_bytes %d" % len(data))
    print("py_ics_write_s %.4f" % t)
    print("py_ics_events_per_s %.0f" % (len(events) / t))
    sys.stdout.flush()


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            if k:
                out[k] = float(v)
    return out


def table(coplan_path, python_path):
    c, p = load(coplan_path), load(python_path)
    rows = [
        ("CSV read (bytes to records, `coplan_csv_read_file`)", c["csv_read_rows_per_s"],
         "rows/s", "Python `csv.reader`", p["py_csv_rows_per_s"], None),
        ("CSV read and validated into activities (`coplan_import_activities_csv` + validate)",
         c["csv_validate_rows_per_s"], "rows/s", "Python `csv.reader` (read only)",
         p["py_csv_rows_per_s"], 5.0),
        ("import into SQLite (read, validate, store: what `coplan import` does)",
         c["sqlite_import_rows_per_s"], "rows/s", None, None, None),
        ("iCalendar export (`coplan_export` ICS, %d events)" % c["ics_events"],
         c["ics_events_per_s"], "events/s", "python3-icalendar building and writing them",
         p["py_ics_events_per_s"], 20.0),
    ]
    print("%d rows, medians of %d runs" % (c["rows"], c["runs"]))
    print()
    print("| part | coplan | Python | ratio | target | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, cv, unit, pname, pv, want in rows:
        if pv:
            ratio = cv / pv
            target = "%g× Python" % want if want else "—"
            met = ("yes" if ratio >= want else "no") if want else "—"
            print("| %s | %s %s | %s %s (%s) | %.2f× | %s | %s |"
                  % (name, fmt(cv), unit, fmt(pv), unit, pname, ratio, target, met))
        else:
            met = "yes" if cv > 100000 else "no"
            print("| %s | %s %s | — | — | > 100,000 rows/s | %s |" % (name, fmt(cv), unit, met))


def fmt(v):
    return "{:,.0f}".format(v)


def main(argv):
    if len(argv) >= 2 and argv[1] == "--table":
        table(argv[2], argv[3])
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    runs, ics_runs = 5, 3
    args = argv[2:]
    while args:
        if args[0] == "--runs":
            runs = int(args[1])
        elif args[0] == "--ics-runs":
            ics_runs = int(args[1])
        else:
            print("compare_import.py: unknown option %s" % args[0], file=sys.stderr)
            return 2
        args = args[2:]
    measure(argv[1], runs, ics_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
