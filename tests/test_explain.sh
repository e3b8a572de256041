#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_explain.sh - 'coplan explain' answers "why here" and "why not that date" for every activity of the example.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${PYTHON:?}"

work="$COPLAN_TEST_TMP/explain.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
failures=0
checked=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
export COPLAN_DB="$work/coplan.db"

"$COPLAN_BIN" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" -o "$work/out" >"$work/plan.out" 2>&1 \
	|| { cat "$work/plan.out"; echo "FAIL: coplan plan"; exit 1; }
for n in ITA JPN; do
	"$COPLAN_BIN" holidays "$n" 2024 --format csv >"$work/holidays.$n.csv" || fail "holidays $n"
done

# One line per activity from the plan as written out (not from the scheduler's model):
# ref, host, day mode, start, then the probe dates and what each answer must name:
#   a date before its window (or before the plan's year), "before its window";
#   for a working-day activity, a Saturday inside its window, "is a Saturday in HOST (host)";
#   for a working-day activity, a public holiday of its host inside its window (from
#   'coplan holidays'), "is <English name> in HOST (host)";
#   for an activity sharing a unit with another, that one's start when it lies in the
#   window, "unit '<unit>' busy with <ref>".
"$PYTHON" - "$work/out/plan.json" "$work" >"$work/probes" <<'PY' || { echo "FAIL: probe generator"; exit 1; }
import csv, datetime as dt, json, sys
doc = json.load(open(sys.argv[1]))
work = sys.argv[2]
hol = {}
for n in ("ITA", "JPN"):
    with open(f"{work}/holidays.{n}.csv", newline="") as f:
        hol[n] = [(dt.date.fromisoformat(r["date"]), r["english_name"]) for r in csv.DictReader(f)]
pw = doc["plan"].get("window") or {}
y0 = dt.date.fromisoformat(pw.get("from") or "2024-01-01")
y1 = dt.date.fromisoformat(pw.get("to") or "2024-12-31")
acts = doc["activities"]
for a in acts:
    w = a.get("window") or {}
    lo = max(dt.date.fromisoformat(w["earliest"]), y0) if w.get("earliest") else y0
    hi = min(dt.date.fromisoformat(w["latest"]), y1) if w.get("latest") else y1
    print(f"{a['ref']}\tplaced\t{a['start']}\t")
    print(f"{a['ref']}\twindow\t{lo - dt.timedelta(days=3)}\tbefore its window")
    if a["day_mode"] == "working":
        d = lo
        while d.weekday() != 5:
            d += dt.timedelta(days=1)
        print(f"{a['ref']}\tweekend\t{d}\tis a Saturday in {a['host']} (host)")
        for day, name in hol.get(a["host"], []):
            if lo <= day <= hi and day.weekday() < 5:
                print(f"{a['ref']}\tholiday\t{day}\tis {name} in {a['host']} (host)")
                break
    for b in acts:
        shared = set(a.get("units", [])) & set(b.get("units", []))
        if b is a or not shared or not b.get("start"):
            continue
        s = dt.date.fromisoformat(b["start"])
        e = dt.date.fromisoformat(b["end"])
        # a start on the other's first day: its unit is taken that day, whatever else is wrong
        if lo <= s and s + dt.timedelta(days=a["duration"] * 2 + 4) <= hi:
            print(f"{a['ref']}\tunit\t{s}\tunit '{sorted(shared)[0]}' busy with {b['ref']}")
            break
PY

units=0
holidays=0
while IFS="$(printf '\t')" read -r ref kind date want; do
	checked=$((checked + 1))
	if [ "$kind" = placed ]; then
		"$COPLAN_BIN" explain "$ref" >"$work/ans" 2>&1 || fail "explain $ref exited $?: $(cat "$work/ans")"
		grep -q "^$ref is placed on $date" "$work/ans" || fail "explain $ref: $(cat "$work/ans")"
		grep -q "soft cost [0-9]" "$work/ans" || fail "explain $ref gives no cost: $(cat "$work/ans")"
		continue
	fi
	"$COPLAN_BIN" explain "$ref" "$date" >"$work/ans" 2>&1 || fail "explain $ref $date exited $?: $(cat "$work/ans")"
	grep -q "^$ref cannot start on $date: " "$work/ans" || fail "explain $ref $date ($kind) is no refusal: $(cat "$work/ans")"
	grep -qF "$want" "$work/ans" || fail "explain $ref $date ($kind) does not say '$want': $(cat "$work/ans")"
	[ "$kind" = unit ] && units=$((units + 1))
	[ "$kind" = holiday ] && holidays=$((holidays + 1))
done <"$work/probes"

# the example has 28 activities, all asked about; shared units and holidays are common enough
[ "$(grep -c "$(printf '\tplaced\t')" "$work/probes")" -eq 28 ] || fail "expected 28 activities in the plan"
[ "$units" -ge 5 ] || fail "only $units shared-unit probes"
[ "$holidays" -ge 5 ] || fail "only $holidays holiday probes"

# bad usage and unknown refs
"$COPLAN_BIN" explain >/dev/null 2>&1; [ $? -eq 2 ] || fail "explain without REF should exit 2"
"$COPLAN_BIN" explain IT-01 2024-02-30 >/dev/null 2>&1; [ $? -eq 1 ] || fail "explain with a bad date should exit 1 (bad input)"
"$COPLAN_BIN" explain XX-99 >"$work/ans" 2>&1; [ $? -eq 1 ] || fail "explain of an unknown ref should exit 1"
grep -q "XX-99" "$work/ans" || fail "unknown ref not named: $(cat "$work/ans")"

# re-planning: put JP-09 (2 days) on JP-07's first days, wherever the plan has JP-07 (they share
# the JMOD International Affairs Division); one of them moves, and the answer says which and why
jp07=$("$PYTHON" -c 'import json,sys; print(next(a["start"] for a in json.load(open(sys.argv[1]))["activities"] if a["ref"] == "JP-07"))' "$work/out/plan.json")
jp07_next=$("$PYTHON" -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=1))' "$jp07")
# the postponement itself breaks a hard constraint: refused, naming the other activity, unless --force
"$COPLAN_BIN" activity set-status JP-09 postponed --from "$jp07" --to "$jp07_next" --reason test \
	--author test >"$work/refused" 2>&1; [ $? -eq 1 ] || fail "a postponement onto a busy unit should exit 1"
grep -q "JP-09.*busy with JP-07" "$work/refused" || fail "the refusal names not JP-07: $(cat "$work/refused")"
"$COPLAN_BIN" activity set-status JP-09 postponed --from "$jp07" --to "$jp07_next" --reason test \
	--author test --force >/dev/null 2>"$work/forced" || fail "set-status JP-09 --force"
grep -q "warning: .*JP-09.*busy with JP-07" "$work/forced" || fail "--force warns not: $(cat "$work/forced")"
# the overlap is one conflict, a pair of activities with the days they share (JP-09 lasts 2 days)
"$COPLAN_BIN" report >"$work/conflicts" 2>&1 || fail "report"
grep -q "^1 conflict with the plan's hard constraints" "$work/conflicts" || fail "not 1 conflict: $(cat "$work/conflicts")"
grep -Eq "JP-0[79] and JP-0[79] both need unit '.*' on .* \(2 days\)" "$work/conflicts" \
	|| fail "the pair and its days not named: $(cat "$work/conflicts")"
"$COPLAN_BIN" schedule --replan --time-limit 0.5 --quiet >"$work/replan" 2>&1 || fail "schedule --replan: $(cat "$work/replan")"
grep -q "^moved JP-0[79] " "$work/replan" || fail "replan names no move of JP-07 or JP-09: $(cat "$work/replan")"
grep -q "why: JP-0[79] cannot start on .*busy with JP-0[79]" "$work/replan" || fail "replan says not why: $(cat "$work/replan")"
grep -q "^[1-9][0-9]* activit[a-z]* moved$" "$work/replan" || fail "replan gives no count: $(cat "$work/replan")"
# a signed plan is not rescheduled
"$COPLAN_BIN" version save --state agreed >/dev/null 2>&1 && "$COPLAN_BIN" version save --state signed >/dev/null 2>&1 \
	|| fail "version save"
"$COPLAN_BIN" schedule --replan --quiet >"$work/signed" 2>&1; [ $? -eq 1 ] || fail "schedule of a signed plan should exit 1: $(cat "$work/signed")"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s) in $checked questions"
	exit 1
fi
echo "explain: $checked questions answered ($units shared units, $holidays holidays)"
