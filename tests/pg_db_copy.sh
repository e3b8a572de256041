#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pg_db_copy.sh - coplan db copy through the command: SQLite -> PostgreSQL -> SQLite, the same rows,
# the same content hash on every side, each copy checked; a copy into a database that is not empty
# is refused.  Runs on the tests' cluster (COPLAN_TEST_DB, via tests/pg_run.sh).
set -eu
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${COPLAN_TEST_DB:?}"
tmp="$COPLAN_TEST_TMP/pg_db_copy_$$"
name="pg_db_copy_$$"
pgdb="$COPLAN_TEST_DB/$name"
cleanup() {
	psql -qX "$COPLAN_TEST_DB/postgres" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
rm -rf "$tmp"
mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

COPLAN_AUTHOR="Maj Test"
export COPLAN_AUTHOR
c() { "$COPLAN_BIN" "$@"; }

c --db "$tmp/a.db" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" -o "$tmp/out" >/dev/null 2>&1 || fail "plan"
# labels (schema 14) on an activity and a blackout, a user's clearance and caveats: copied both ways
c --db "$tmp/a.db" activity edit JP-11 --label "RESTRICTED REL TO JPN" --reason "Japan's only" >/dev/null ||
	fail "label an activity"
c --db "$tmp/a.db" blackout add --nation JPN --from 2024-11-11 --to 2024-11-13 --reason "exercise" --soft \
	--label "CONFIDENTIAL REL TO JPN" >/dev/null || fail "label a blackout"
printf '%s\n' "a long passphrase" | c --db "$tmp/a.db" user add sato --nation JPN --clearance SECRET \
	--caveats CRYPTO >/dev/null 2>&1 || fail "user add --clearance"
c --db "$tmp/a.db" version save --state agreed >/dev/null || fail "agreed"
c --db "$tmp/a.db" version save --state signed >/dev/null || fail "signed"
c --db "$tmp/a.db" activity set-status JP-01 postponed --from 2024-09-02 --to 2024-09-05 --reason "typhoon" \
	>/dev/null || fail "set-status"

psql -qX "$COPLAN_TEST_DB/postgres" -c "CREATE DATABASE $name" >/dev/null || fail "createdb"
c db copy "$tmp/a.db" "$pgdb" >"$tmp/to-pg.txt" || fail "copy into PostgreSQL: $(cat "$tmp/to-pg.txt")"
c db copy "$pgdb" "$tmp/b.db" >"$tmp/to-sqlite.txt" || fail "copy back into SQLite"
grep -q "plan_version  *2 rows" "$tmp/to-pg.txt" || fail "no row count: $(cat "$tmp/to-pg.txt")"
sha1=$(sed -n 's/.*content SHA-256 \([0-9a-f]\{64\}\).*/\1/p' "$tmp/to-pg.txt")
sha2=$(sed -n 's/.*content SHA-256 \([0-9a-f]\{64\}\).*/\1/p' "$tmp/to-sqlite.txt")
[ -n "$sha1" ] && [ "$sha1" = "$sha2" ] || fail "content hashes differ: '$sha1' '$sha2'"
cmp "$tmp/to-pg.txt" "$tmp/to-sqlite.txt" >/dev/null 2>&1 && fail "the two reports name the same databases"
sed 1d "$tmp/to-pg.txt" | sed '$d' >"$tmp/counts1"
sed 1d "$tmp/to-sqlite.txt" | sed '$d' >"$tmp/counts2"
cmp -s "$tmp/counts1" "$tmp/counts2" || fail "row counts differ"

# the labels and the clearance as written
[ "$(psql -tAX "$pgdb" -c "SELECT clearance || '|' || caveats FROM account WHERE name = 'sato'")" = "SECRET|CRYPTO" ] ||
	fail "the clearance did not reach PostgreSQL"
[ "$(psql -tAX "$pgdb" -c "SELECT count(*) FROM activity WHERE label = 'RESTRICTED REL TO JPN'")" = 1 ] ||
	fail "the activity's label did not reach PostgreSQL"
[ "$(psql -tAX "$pgdb" -c "SELECT count(*) FROM blackout WHERE label = 'CONFIDENTIAL REL TO JPN'")" = 1 ] ||
	fail "the blackout's label did not reach PostgreSQL"
[ "$(python3 -c 'import sqlite3, sys; print("|".join(sqlite3.connect(sys.argv[1]).execute(
	"SELECT clearance, caveats FROM account WHERE name = ?", ("sato",)).fetchone()))' "$tmp/b.db")" = "SECRET|CRYPTO" ] ||
	fail "the clearance did not come back into SQLite"

# the three read the same, and check sound
for db in "$tmp/a.db" "$pgdb" "$tmp/b.db"; do
	c --db "$db" db check >/dev/null || fail "db check of $db"
done
c --db "$tmp/a.db" export json -o "$tmp/a.json" 2>/dev/null
c --db "$pgdb" export json -o "$tmp/pg.json" 2>/dev/null
c --db "$tmp/b.db" export json -o "$tmp/b.json" 2>/dev/null
cmp "$tmp/a.json" "$tmp/pg.json" || fail "the plan reads differently from PostgreSQL"
cmp "$tmp/a.json" "$tmp/b.json" || fail "the plan reads differently after the round trip"
c --db "$pgdb" version list >"$tmp/v-pg.txt"
c --db "$tmp/a.db" version list >"$tmp/v-a.txt"
cmp "$tmp/v-a.txt" "$tmp/v-pg.txt" || fail "versions differ"

# only into an empty database: exit 1, nothing changed
if c db copy "$tmp/a.db" "$pgdb" >/dev/null 2>"$tmp/err"; then
	fail "a copy into a database that is not empty succeeded"
else
	[ $? -eq 1 ] || fail "wrong exit status"
fi
grep -q "is not empty" "$tmp/err" || fail "unclear refusal: $(cat "$tmp/err")"
# bad usage: exit 2
set +e
c db copy "$tmp/a.db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "copy without DST is not a usage error"
set -e
echo "pg_db_copy: ok"
