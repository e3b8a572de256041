#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_holiday_feed.sh - a host without built-in holiday rules (AUS) planned through an imported holiday feed, end to end.
set -eu
: "${COPLAN_BIN:?}" "${COPLAN_TEST_DATA:?}" "${COPLAN_TEST_TMP:?}"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import icalendar, dateutil' 2>/dev/null || { echo "skip: python3-icalendar missing"; exit 77; }

src="$COPLAN_TEST_DATA/ics-in/aus-plan"
work="$COPLAN_TEST_TMP/holiday-feed.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export COPLAN_DB="$work/coplan.db"

# The independent check: the feed read by python's icalendar (RRULEs by dateutil) against the
# exported plan.  Every AUS-hosted working-day activity starts and ends on an AUS working day;
# the plan holds exactly the feed's days inside its window; AU-03 (window = Anzac Day) is
# unplaced and its reason names the holiday.
check() {
	"$PYTHON" - "$src/holidays/AUS.ics" "$1" <<'EOF'
import datetime, json, sys
import icalendar
from dateutil.rrule import rrulestr

feed, plan_path = sys.argv[1], sys.argv[2]
plan = json.load(open(plan_path, encoding="utf-8"))
lo = datetime.date.fromisoformat(plan["plan"]["window"]["from"])
hi = datetime.date.fromisoformat(plan["plan"]["window"]["to"])
days = {}
cal = icalendar.Calendar.from_ical(open(feed, "rb").read())
for ev in cal.walk("VEVENT"):
    start = ev["DTSTART"].dt
    if "DTEND" in ev:
        n = (ev["DTEND"].dt - start).days
    elif "DURATION" in ev:
        n = ev["DURATION"].dt.days
    else:
        n = 1
    starts = [start]
    if "RRULE" in ev:
        rule = rrulestr(ev["RRULE"].to_ical().decode(), dtstart=datetime.datetime.combine(start, datetime.time()))
        starts = [d.date() for d in rule.between(datetime.datetime.combine(lo, datetime.time()) - datetime.timedelta(days=n),
                                               datetime.datetime.combine(hi, datetime.time()), inc=True)]
    for s in starts:
        for k in range(n):
            days.setdefault(s + datetime.timedelta(days=k), str(ev["SUMMARY"]))
# every day of this feed's one-off events lies in the window; recurring ones count inside it only
want = {d: name for d, name in days.items() if lo <= d <= hi}
got = {datetime.date.fromisoformat(h["date"]): h.get("name", "") for h in plan.get("holidays", []) if h["nation"] == "AUS"}
errors = []
if set(got) != set(want):
    errors.append("holidays differ: missing %s, extra %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
for d, name in want.items():
    if d in got and got[d] != name:
        errors.append("%s is named '%s', expected '%s'" % (d, got[d], name))
placed = 0
for a in plan["activities"]:
    if a["host"] != "AUS" or a.get("day_mode") != "working":
        continue
    if a["ref"] == "AU-03":
        why = a.get("unplaced_reason") or ""
        if a.get("start") or "Anzac Day" not in why:
            errors.append("AU-03: expected unplaced for Anzac Day, got start %s, reason '%s'" % (a.get("start"), why))
        continue
    if not a.get("start"):
        errors.append("%s unplaced: %s" % (a["ref"], a.get("unplaced_reason")))
        continue
    placed += 1
    for key in ("start", "end"):
        d = datetime.date.fromisoformat(a[key])
        if d in got:
            errors.append("%s %s %s is the imported holiday '%s'" % (a["ref"], key, d, got[d]))
        if d.isoweekday() > 5:
            errors.append("%s %s %s is a weekend" % (a["ref"], key, d))
if placed != 4:
    errors.append("expected 4 placed AUS activities, got %d" % placed)
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("ok: %d AUS holidays, %d AUS activities clear of them" % (len(got), placed))
EOF
}

# 1. step by step: plan, proposals, the feed, schedule
"$COPLAN_BIN" import "$src/plan.json" >/dev/null
"$COPLAN_BIN" import "$src/activities.csv" >/dev/null 2>&1
"$COPLAN_BIN" export json -o "$work/before.json"

# a feed without its nation, or with both, is bad usage (2); a nation that does not exist is bad input (1)
set +e
"$COPLAN_BIN" import "$src/holidays/AUS.ics" >/dev/null 2>&1; rc1=$?
"$COPLAN_BIN" import "$src/holidays/AUS.ics" --nation AUS --unit X >/dev/null 2>&1; rc2=$?
"$COPLAN_BIN" import "$src/holidays/AUS.ics" --nation AUZ >/dev/null 2>&1; rc3=$?
set -e
[ "$rc1" -eq 2 ] && [ "$rc2" -eq 2 ] || fail "usage errors exited $rc1 $rc2, expected 2"
[ "$rc3" -eq 1 ] || fail "an unknown nation exited $rc3, expected 1"

# a broken feed changes nothing and names file and line
if "$COPLAN_BIN" import "$COPLAN_TEST_DATA/ics-in/broken-dtstart.ics" --nation AUS >/dev/null 2>"$work/err"; then
	fail "a broken feed was accepted"
fi
grep -qF "broken-dtstart.ics:14: DTSTART '2024-13-01' is not a date" "$work/err" || { cat "$work/err"; fail "error message"; }
"$COPLAN_BIN" export json -o "$work/after-error.json"
cmp -s "$work/before.json" "$work/after-error.json" || fail "a failed import changed the plan"

# one event, one day: singular words ("1 holiday", "1 event")
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//one//EN\r\nBEGIN:VEVENT\r\nUID:one@test\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240315\r\nSUMMARY:One day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$work/one.ics"
"$COPLAN_BIN" import "$work/one.ics" --nation AUS --dry-run >"$work/out"
grep -q "would import 1 holiday of AUS (1 event) " "$work/out" || { cat "$work/out"; fail "singular words"; }

# a dry run changes nothing either
"$COPLAN_BIN" import "$src/holidays/AUS.ics" --nation AUS --dry-run >"$work/out"
grep -q "would import 16 holidays of AUS" "$work/out" || { cat "$work/out"; fail "dry run output"; }
"$COPLAN_BIN" export json -o "$work/after-dry.json"
cmp -s "$work/before.json" "$work/after-dry.json" || fail "a dry run changed the plan"

"$COPLAN_BIN" import "$src/holidays/AUS.ics" --nation AUS >"$work/out"
grep -q "imported 16 holidays of AUS (7 events)" "$work/out" || { cat "$work/out"; fail "import output"; }
"$COPLAN_BIN" schedule >/dev/null 2>&1 || true   # exits 1 while AU-03 stays unplaced
"$COPLAN_BIN" export json -o "$work/plan.json"
check "$work/plan.json" || fail "step-by-step plan"
"$COPLAN_BIN" report >"$work/report" 2>&1 || true
grep -q "unplaced AU-03 .*Anzac Day" "$work/report" || { cat "$work/report"; fail "report names the holiday"; }

# 2. a unit's diary as blackouts: the planning cell is busy 16-18 Dec, so the 5-day course no longer fits
printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" "PRODID:-//test//EN" "BEGIN:VEVENT" "UID:u1@test" \
	"DTSTAMP:20240101T000000Z" 'DTSTART;TZID="AUS Eastern Standard Time":20241216T080000' \
	'DTEND;TZID="AUS Eastern Standard Time":20241218T170000' "SUMMARY:Exercise planning conference" \
	"END:VEVENT" "END:VCALENDAR" >"$work/cell.ics"
"$COPLAN_BIN" import "$work/cell.ics" --unit "ADF planning cell" >"$work/out"
grep -q "imported 1 hard blackout of 'ADF planning cell'" "$work/out" || { cat "$work/out"; fail "unit import output"; }
"$COPLAN_BIN" schedule >/dev/null 2>&1 || true
"$COPLAN_BIN" export json -o "$work/plan2.json"
"$PYTHON" - "$work/plan2.json" <<'EOF' || fail "unit blackout"
import json, sys
plan = json.load(open(sys.argv[1], encoding="utf-8"))
b = [x for x in plan["blackouts"] if x["scope"] == "ADF planning cell"]
assert len(b) == 1 and b[0]["from"] == "2024-12-16" and b[0]["to"] == "2024-12-18" and b[0]["hard"], b
assert b[0]["reason"] == "Exercise planning conference", b
a = [x for x in plan["activities"] if x["ref"] == "AU-04"][0]
assert not a.get("start"), a
assert "Exercise planning conference" in a.get("unplaced_reason", ""), a
print("ok: unit blackout from the diary, AU-04 unplaced because of it")
EOF

# 3. the plan folder: holidays/AUS.ics is read as AUS's holidays
"$COPLAN_BIN" --db "$work/folder.db" plan "$src" -o "$work/out-folder" >"$work/stdout" 2>"$work/stderr" || true
grep -q "holidays/AUS.ics: 7 events, 16 holidays of AUS" "$work/stderr" || { cat "$work/stderr"; fail "plan folder feed"; }
check "$work/out-folder/plan.json" || fail "plan folder"

# a feed named after no nation is refused before the database is touched
mkdir -p "$work/badfolder/holidays"
cp "$src/plan.json" "$src/activities.csv" "$work/badfolder/"
cp "$src/holidays/AUS.ics" "$work/badfolder/holidays/Australia.ics"
if "$COPLAN_BIN" --db "$work/bad.db" plan "$work/badfolder" -o "$work/out-bad" >/dev/null 2>"$work/err"; then
	fail "a feed named Australia.ics was accepted"
fi
grep -q "Australia.ics: a holiday feed is named by its nation" "$work/err" || { cat "$work/err"; fail "bad feed name message"; }
[ ! -e "$work/bad.db" ] || fail "the database was created for a refused folder"
echo "ok"
