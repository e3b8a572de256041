#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_edit_guards.sh - what a hostile or careless user tried on the editing commands, kept out:
# an empty file restored over the database, a recorded fact re-pinned, refs and units that differ
# only in letter case, 29 February lost in a copy, a blank what-if title, the database restored
# onto itself.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${PYTHON:?}"

work="$COPLAN_TEST_TMP/edit-guards.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export COPLAN_DB="$work/coplan.db" COPLAN_AUTHOR="Lt Col Test"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# refused STATUS CULPRIT COMMAND...: exits STATUS, names CULPRIT, and the plan is as before
refused() {
	want=$1 culprit=$2
	shift 2
	"$COPLAN_BIN" export json -o "$work/before.json" 2>/dev/null
	"$COPLAN_BIN" "$@" >"$work/out" 2>"$work/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "coplan $*: exit $got, expected $want: $(cat "$work/err")"
	grep -qF -- "$culprit" "$work/err" || fail "coplan $*: '$culprit' not named: $(cat "$work/err")"
	"$COPLAN_BIN" export json -o "$work/after.json" 2>/dev/null
	cmp -s "$work/before.json" "$work/after.json" || fail "coplan $*: refused, yet the plan changed"
}

"$COPLAN_BIN" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" -o "$work/out.d" >/dev/null 2>&1 || { echo "FAIL: plan"; exit 1; }

: >"$work/empty.db"
refused 1 "not a coplan database" db restore "$work/empty.db"
refused 2 "the database itself" db restore "$COPLAN_DB"
"$COPLAN_BIN" activity set-status IT-02 executed >/dev/null || fail "set-status"
refused 1 "a fact of the record" activity pin IT-02 --from 2024-10-01
printf 'ref,title,host,duration\nit-03,Lower case twin,ITA,2\n' >"$work/twin.csv"
refused 1 "differs only in letter case" import "$work/twin.csv"
refused 1 "the activities name it 'JMSDF Yokosuka District'" blackout add --unit "jmsdf yokosuka district " \
	--from 2024-07-01 --to 2024-07-14 --reason refit
refused 1 "did you mean IT-01" activity edit JP-05 --after IT-1
# one validation for the importer and the plan: a requested month past 2099 is refused at its row
printf 'ref,title,host,duration,requested\nIT-77,Late,ITA,2,2325-10\n' >"$work/late.csv"
refused 1 "late.csv:2: activity 'IT-77': a date outside 1970-2099" import "$work/late.csv"
refused 1 "a what-if copy needs a title" plan copy --name "  "
"$COPLAN_BIN" activity edit JP-05 --after " it-01 " >/dev/null || fail "--after in lower case with spaces"
"$COPLAN_BIN" report --format json | "$PYTHON" -c '
import json, sys
p = json.load(sys.stdin)
assert any(x["before"] == "IT-01" and x["after"] == "JP-05" for x in p.get("precedences", [])), p.get("precedences")' \
	|| fail "the precedence IT-01 -> JP-05 was not stored with the ref as the plan writes it"

refused 1 "no activity 'NOPE'" activity history NOPE
refused 1 "U+001B" version save --state draft --note "$(printf 'agreed\033[31m')"
refused 1 "U+0007" activity set-status IT-05 cancelled --reason "$(printf 'budget\007')"

# 29 February kept in a copy to another leap year
"$COPLAN_BIN" activity edit IT-04 --earliest 2024-02-29 >/dev/null || fail "edit earliest"
"$COPLAN_BIN" plan copy --to-year 2028 >/dev/null || fail "copy to 2028"
"$COPLAN_BIN" report --format json | "$PYTHON" -c '
import json, sys
p = json.load(sys.stdin)
a = next(x for x in p["activities"] if x["ref"] == "IT-04")
assert p["plan"]["year"] == 2028 and a["window"]["earliest"] == "2028-02-29", a["window"]' || fail "29 February lost"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "ok: the editing guards hold"
