#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_rel_to.sh - schema 17 on SQLite: each activity's and blackout's releasable-to nations follow its effective
# label (its own, else the plan's, else the plan's parties) on every write, and db check names a forged one.
set -eu
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"
PY=${PYTHON:-python3}
tmp="$COPLAN_TEST_TMP/test_rel_to_$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }
COPLAN_AUTHOR="Maj Test"
export COPLAN_AUTHOR
db="$tmp/a.db"
c() { "$COPLAN_BIN" --db "$db" "$@"; }
# sql QUERY: the rows, columns joined by '|'
sql() { "$PY" -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for r in con.execute(sys.argv[2]): print("|".join("NULL" if v is None else str(v) for v in r))
con.commit()' "$db" "$1"; }
rel() { sql "SELECT rel_to FROM activity WHERE ref = '$1'"; }

c plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" -o "$tmp/out" >/dev/null 2>&1 || fail "plan"
# unlabelled plan: its parties
[ "$(rel IT-01)" = " ITA JPN " ] || fail "an unlabelled row: '$(rel IT-01)'"
[ "$(sql "SELECT count(*) FROM activity WHERE rel_to IS NOT ' ITA JPN '")" = 0 ] || fail "not every row has the parties"
[ "$(sql "SELECT count(*) FROM blackout WHERE rel_to IS NOT ' ITA JPN '")" = 0 ] || fail "a blackout without the parties"
# a row's own label: REL TO in any spelling, sorted; no REL TO list is '*'
c activity edit IT-01 --label "restricted rel to jpn,ita" --reason x >/dev/null || fail "label IT-01"
[ "$(rel IT-01)" = " ITA JPN " ] || fail "REL TO JPN, ITA: '$(rel IT-01)'"
c activity edit IT-02 --label "RESTRICTED REL TO ITA" --reason x >/dev/null || fail "label IT-02"
[ "$(rel IT-02)" = " ITA " ] || fail "REL TO ITA: '$(rel IT-02)'"
c activity edit IT-03 --label "RESTRICTED" --reason x >/dev/null || fail "label IT-03"
[ "$(rel IT-03)" = "*" ] || fail "no REL TO list: '$(rel IT-03)'"
c blackout add --nation ITA --from 2024-11-11 --to 2024-11-13 --reason "exercise" --soft \
	--label "CONFIDENTIAL REL TO ITA" >/dev/null || fail "label a blackout"
[ "$(sql "SELECT rel_to FROM blackout WHERE label IS NOT NULL")" = " ITA " ] || fail "the blackout's rel_to"
c db check >/dev/null || fail "db check"
# a forged value, and a NULL one, are problems db check names; the next write of the plan rewrites them
sql "UPDATE activity SET rel_to = ' ITA JPN ' WHERE ref = 'IT-02'" >/dev/null
sql "UPDATE blackout SET rel_to = NULL WHERE label IS NOT NULL" >/dev/null
if c db check >"$tmp/check.txt"; then fail "db check missed a forged rel_to"; fi
grep -q "activity IT-02: releasable-to nations ' ITA JPN ' do not match its label (expected ' ITA '" "$tmp/check.txt" ||
	fail "db check: $(cat "$tmp/check.txt")"
grep -q "blackout [0-9]*: releasable-to nations 'NULL'" "$tmp/check.txt" || fail "db check: $(cat "$tmp/check.txt")"
c activity edit JP-01 --title "Another title" --reason x >/dev/null || fail "edit JP-01"
c db check >/dev/null || fail "the next write did not rewrite rel_to"
[ "$(rel IT-02)" = " ITA " ] || fail "IT-02 not rewritten"
# a copy carries the column as it is
c db copy "$db" "$tmp/b.db" >/dev/null || fail "db copy"
db="$tmp/b.db"
[ "$(rel IT-02)" = " ITA " ] && [ "$(rel JP-02)" = " ITA JPN " ] || fail "db copy lost rel_to"
echo "test_rel_to: ok"
