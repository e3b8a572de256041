#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_plan_command.sh - the main job end to end on the shipped example, as 'make run' does it.
set -eu
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"

work="$COPLAN_TEST_TMP/example.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$COPLAN_BIN" --db "$work/coplan.db" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" \
	-o "$work/out" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr"; fail "plan exited $?"; }
cat "$work/stdout"

head -n 1 "$work/stdout" | grep -qxF "Cooperation Plan 2024 (ITA–JPN), agreed at the 8th staff talks, 10–11 Jan 2024" \
	|| fail "first summary line"
sed -n 2p "$work/stdout" | grep -qxF "28 activities: 11 in Italy, 17 in Japan — 28 scheduled, 0 unplaced" \
	|| fail "second summary line"
# the cost totals by host nation (examples/.../costs.csv, illustrative), one line per currency, and
# the budget the example leaves short (its yen counted in euros through plan.json's rate)
sed -n 3,5p "$work/stdout" | grep -q "^  ITA  *EUR  estimate  *162700.00 " || fail "cost of Italy's activities"
sed -n 3,5p "$work/stdout" | grep -q "^  JPN  *JPY  estimate  *198000000 " || fail "cost of Japan's activities"
grep -qF "warning: ITA's budget for 2024 on 'Navy Indo-Pacific deployment' is exceeded: planned 448598.13 EUR" \
	"$work/stdout" || fail "no budget warning"
grep -q "costs.csv: the costs of 28 activities" "$work/stderr" || fail "costs.csv not reported"
grep -q 'class="costs"' "$work/out/plan.html" || fail "plan.html has no cost section"

for f in plan.md plan.html plan.json plan.ics; do
	[ -s "$work/out/$f" ] || fail "out/$f missing or empty"
done
[ "$(grep -c '^BEGIN:VEVENT' "$work/out/plan.ics")" -eq 31 ] || fail "plan.ics: expected 31 VEVENTs"
[ "$(grep -c '^DTSTART;VALUE=DATE:' "$work/out/plan.ics")" -eq 28 ] || fail "plan.ics: expected 28 activities"
[ "$(grep -c '^DTSTART;TZID=.*Europe/Rome:' "$work/out/plan.ics")" -eq 3 ] ||
	fail "plan.ics: expected the 3 sessions of the talks in Rome time"
grep -q '^BEGIN:VTIMEZONE' "$work/out/plan.ics" || fail "plan.ics: no VTIMEZONE for the sessions"
grep -q '28 activities: 11 in Italy, 17 in Japan' "$work/out/plan.md" || fail "plan.md totals"

# the database holds the scheduled plan: report reads it back
COPLAN_DB="$work/coplan.db" "$COPLAN_BIN" report >"$work/report"
cmp -s "$work/report" "$work/stdout" || { diff "$work/stdout" "$work/report"; fail "report differs from plan's summary"; }

# the same run twice gives the same plan (deterministic scheduler)
"$COPLAN_BIN" --db "$work/again.db" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" \
	-o "$work/again" >/dev/null 2>&1 || fail "second run"
cmp -s "$work/out/plan.md" "$work/again/plan.md" || fail "two runs gave different plans"

# planning the same folder into the same database is refused and changes nothing
if "$COPLAN_BIN" --db "$work/coplan.db" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" \
	-o "$work/out2" >/dev/null 2>"$work/err"; then
	fail "second plan into the same database accepted"
fi
grep -q "exists already" "$work/err" || fail "no 'exists already' message"
[ ! -e "$work/out2" ] || fail "a refused run wrote documents"
echo "example: ok"
