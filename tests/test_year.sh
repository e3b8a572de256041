#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_year.sh - a year of the Italy-Japan plan played one command per event, no file written by
# hand, the database checked after each step: a new activity in March, a unit away two weeks, a
# cancellation, a typhoon postponement, Amendment No. 1 agreed and signed, plan against execution,
# next year's draft.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${PYTHON:?}"

work="$COPLAN_TEST_TMP/year.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export COPLAN_DB="$work/coplan.db" COPLAN_AUTHOR="Lt Col Rossi"
ex="$COPLAN_SOURCE_DIR/examples/italy-japan-2024"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
c() { "$COPLAN_BIN" "$@" >"$work/out" 2>"$work/err" || { fail "coplan $*: $(cat "$work/err")"; return 1; }; }
# check PYTHON-EXPRESSION: true of the plan (p: plan JSON), versions (v) and history (h) as stored now
check() {
	"$COPLAN_BIN" report --format json >"$work/p.json" 2>/dev/null &&
	"$COPLAN_BIN" version list --format json >"$work/v.json" 2>/dev/null &&
	"$COPLAN_BIN" activity history --format json >"$work/h.json" 2>/dev/null || { fail "reading back: $2"; return; }
	"$PYTHON" - "$work" "$1" <<'PY' || fail "$2"
import json, sys
w, expr = sys.argv[1], sys.argv[2]
p = json.load(open(w + "/p.json")); v = json.load(open(w + "/v.json")); h = json.load(open(w + "/h.json"))
acts = {a["ref"]: a for a in p["activities"]}
ok = eval(expr, {"p": p, "v": v, "h": h, "acts": acts, "len": len, "any": any, "all": all})
if not ok:
    print("not so:", expr, file=sys.stderr)
    sys.exit(1)
PY
}

c plan "$ex" -o "$work/out.d"
c version save --state agreed --note "agreed at the 8th staff talks"
c version save --state signed
check 'len(v) == 2 and v[1]["state"] == "signed" and len(acts) == 28' "the plan is signed"

# a signed plan refuses a new activity, and says the way forward
"$COPLAN_BIN" activity add IT-90 --title "Space seminar" --host ITA >/dev/null 2>"$work/err"
[ $? -eq 1 ] && grep -q "coplan amend" "$work/err" || fail "an edit of a signed plan is not refused with the way forward: $(cat "$work/err")"
check '"IT-90" not in acts' "a refused edit changed the plan"

c amend --note "space seminar, fleet review"
check 'len(v) == 3 and v[2]["state"] == "draft" and v[2]["note"].startswith("Amendment No. 1")' "Amendment No. 1 started"

# a new activity in March
c activity add IT-90 --title "Space situational awareness seminar" --host ITA --participants "ITA;JPN" \
	--duration 3 --requested 2024-03 --location Rome
check '"IT-90" in acts and acts["IT-90"]["duration"] == 3 and acts["IT-90"].get("start") is None' "IT-90 added, unplaced"
c schedule --replan
check 'acts["IT-90"]["start"].startswith("2024-03")' "IT-90 placed in March"

# a unit away for two weeks: its activities in those days move
unit="JMSDF Yokosuka District"
c blackout add --unit "$unit" --from 2024-08-19 --to 2024-08-30 --reason "fleet review"
check 'any(b["scope"] == "JMSDF Yokosuka District" and b["reason"] == "fleet review" for b in p["blackouts"])' "the unit's blackout stored"
check 'h[-1]["action"] == "blackout added" and h[-1]["ref"] == "JMSDF Yokosuka District" and h[-1]["reason"] == "fleet review"' "the blackout recorded in the history"
c schedule --replan
check 'all(not ("JMSDF Yokosuka District" in a.get("units", []) and a.get("start") and a["start"] <= "2024-08-30" and a["end"] >= "2024-08-19") for a in p["activities"])' "an activity of the unit left in its two weeks away"

# an edit with its reason, recorded by the activity's identity
c activity edit IT-01 --location Naples --reason "Rome venue closed for works"
check 'acts["IT-01"]["location"] == "Naples" and h[-1]["action"] == "edited" and h[-1]["detail"] == "location" and h[-1]["reason"] == "Rome venue closed for works" and h[-1]["uuid"] == acts["IT-01"]["uuid"]' "IT-01's edit recorded with its reason"
c version compare 2 current
grep -q "added    hard blackout of JMSDF Yokosuka District (19–30 Aug 2024: fleet review)" "$work/out" ||
	fail "version compare does not list the blackout added: $(cat "$work/out")"
c report
grep -q "conflict" "$work/out" && fail "conflicts after the re-plan: $(cat "$work/out")"
c version save --state agreed --note "Amendment No. 1 agreed"
c version save --state signed
check 'len(v) == 5 and v[4]["state"] == "signed"' "Amendment No. 1 signed"
c report --amendment 1 --format html -o "$work/amendment-1.html"
for want in "<td>location</td><td>Rome, Centro Alti Studi per la Difesa</td><td>Naples</td><td>Rome venue closed for works</td>" \
	"<td>hard blackout</td><td>–</td><td>19–30 Aug 2024: fleet review</td><td>fleet review</td>"; do
	grep -qF "$want" "$work/amendment-1.html" || fail "Amendment No. 1 lacks: $want"
done

# execution: a cancellation, then a typhoon postponement onto free days
c activity set-status IT-03 cancelled --reason "budget"
check 'acts["IT-03"]["status"] == "cancelled" and h[-1]["ref"] == "IT-03" and h[-1]["author"] == "Lt Col Rossi"' "IT-03 cancelled"
c suggest JP-03 --count 10 --format json
from=$("$PYTHON" -c '
import json, sys
s = json.load(open(sys.argv[1]))["suggestions"]
cur = sys.argv[2]
later = [x for x in s if x["from"] > cur]
print(later[0]["from"] + " " + later[0]["to"] if later else "")' "$work/out" \
	"$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["activities"][[a["ref"] for a in json.load(open(sys.argv[1]))["activities"]].index("JP-03")]["start"])' "$work/p.json")")
if [ -n "$from" ]; then
	set -- $from
	c activity set-status JP-03 postponed --from "$1" --to "$2" --reason typhoon
	check 'acts["JP-03"]["status"] == "postponed" and h[-1]["reason"] == "typhoon"' "JP-03 postponed"
else
	fail "no later start suggested for JP-03"
fi
c report --execution --format json
"$PYTHON" - "$work/out" <<'PY' || fail "plan against execution"
import json, sys
rows = json.load(open(sys.argv[1]))
total = next(r for r in rows if r["section"] == "all")
assert total["total"] == 29 and total["cancelled"] == 1 and total["postponed"] == 1, total
PY

# next year's draft: the cancelled one stays behind, the rest come back unplaced
c plan copy --to-year 2025
grep -q "^7 blackouts left behind: dated in the old year" "$work/out" || fail "the copy does not say which blackouts stay behind: $(cat "$work/out")"
check 'p["plan"]["year"] == 2025 and "IT-03" not in acts and "IT-90" in acts and all(a.get("start") is None for a in p["activities"]) and len(v) == 0' "the 2025 draft"
# blackouts are dated: the 2024 fleet review and the rest do not come back a year on
check 'p["blackouts"] == []' "the 2025 draft's blackouts"
c talks list --format json
"$PYTHON" -c 'import json,sys; t = json.load(open(sys.argv[1])); assert [x["year"] for x in t] == [2024, 2025], t' "$work/out" \
	|| fail "two plans"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "ok: a year played, the database checked after each step"
