#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_cli_json.sh - every listing command answers --format json that a JSON reader takes, with the same facts as the text.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${PYTHON:?}"

work="$COPLAN_TEST_TMP/cli_json.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export COPLAN_DB="$work/coplan.db" COPLAN_AUTHOR="Lt Col Json"
ex="$COPLAN_SOURCE_DIR/examples/italy-japan-2024"
"$COPLAN_BIN" plan "$ex" -o "$work/out" >/dev/null 2>&1 || { echo "FAIL: coplan plan"; exit 1; }
"$COPLAN_BIN" version save --state agreed --note 'agreed "at" the talks' >/dev/null || { echo "FAIL: save"; exit 1; }
"$COPLAN_BIN" activity import "$ex/execution.csv" >/dev/null || { echo "FAIL: execution log"; exit 1; }

"$COPLAN_BIN" version list --format json >"$work/versions.json" &&
"$COPLAN_BIN" activity history --format json >"$work/history.json" &&
"$COPLAN_BIN" talks list --format json >"$work/plans.json" &&
"$COPLAN_BIN" activity history --format text >"$work/history.txt" &&
"$COPLAN_BIN" version compare 1 current --format json >"$work/compare.json" &&
"$COPLAN_BIN" version compare 1 current >"$work/compare.txt" &&
"$COPLAN_BIN" report --execution --format json >"$work/execution.json" &&
"$COPLAN_BIN" version save --state draft --note amendment >/dev/null &&
"$COPLAN_BIN" schedule --replan --format json >"$work/schedule.json" &&
"$COPLAN_BIN" calendar ITA JPN ISR --from 2024-04-22 --to 2024-05-10 --format json >"$work/calendar.json" 2>/dev/null &&
"$COPLAN_BIN" calendar ITA JPN ISR --from 2024-04-22 --to 2024-05-10 >"$work/calendar.txt" 2>/dev/null || { echo "FAIL: a listing command"; exit 1; }
"$COPLAN_BIN" version list --format yaml >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --format yaml is not bad usage"; exit 1; }

"$PYTHON" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
versions = json.load(open(w + "/versions.json"))
history = json.load(open(w + "/history.json"))
plans = json.load(open(w + "/plans.json"))
text = open(w + "/history.txt", encoding="utf-8").read().splitlines()
assert len(versions) == 1, versions
v = versions[0]
assert v["number"] == 1 and v["state"] == "agreed" and v["author"] == "Lt Col Json", v
assert v["note"] == 'agreed "at" the talks', v
assert len(history) == len(text) and len(history) >= 5, (len(history), len(text))
for e, line in zip(history, text):
    assert line.startswith(e["at"]) and e["ref"] in line and e["status"] in line, (e, line)
    if e["status"] == "postponed":
        assert e["start"] and e["end"] and e["reason"], e
assert {e["status"] for e in history} >= {"executed", "postponed", "cancelled"}, history
assert len(plans) == 1 and plans[0]["activities"] == 28 and plans[0]["talks"]["edition"] == 8, plans
compare = json.load(open(w + "/compare.json"))
ctext = open(w + "/compare.txt", encoding="utf-8").read()
# the execution log postponed and cancelled activities after version 1: the comparison names each
assert compare, "no change between version 1 and now"
for c in compare:
    assert c["kind"] in ("added", "removed", "moved", "changed") and c["ref"] in ctext, c
execution = json.load(open(w + "/execution.json"))
total = next(r for r in execution if r["section"] == "all")
assert total["total"] == 28 and total["cancelled"] >= 1 and total["postponed"] >= 1, total
assert sum(r["total"] for r in execution if r["section"] == "host") == 28, execution
sched = json.load(open(w + "/schedule.json"))
assert sched["activities"] == 28 and sched["scheduled"] + sched["unplaced"] + sched["cancelled"] == 28, sched
assert sum(sched["by_host"].values()) == 28 and set(sched["by_host"]) == {"ITA", "JPN"}, sched
assert sched["score"]["medium"] == -sched["unplaced"], sched
assert len(sched["unplaced_activities"]) == sched["unplaced"], sched
for m in sched["moved"]:
    assert m["ref"] and m["before"] != m["after"], m
cal = json.load(open(w + "/calendar.json"))
ctext = open(w + "/calendar.txt", encoding="utf-8").read().splitlines()
days = [l.split()[0] for l in ctext if l[:4] == "2024"]
assert cal["days"] == days and cal["count"] == len(days), (cal, ctext)
assert [n["weekend"] for n in cal["nations"]] == [["sat", "sun"], ["sat", "sun"], ["fri", "sat"]], cal
print("ok: versions, history, plans, comparison, execution, schedule and calendar as JSON")
PY
