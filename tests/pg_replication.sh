#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pg_replication.sh - per-nation logical replication between two throwaway clusters: coplan db publish --nation JPN
# on a coalition server, a subscription on Japan's server, exactly the rows releasable to Japan downstream; a
# label narrowed takes its row away there, a label widened brings it (issue 14).
#
# Usage: tests/pg_replication.sh (COPLAN_BIN, COPLAN_SOURCE_DIR, COPLAN_TEST_TMP set, as ctest does).  It starts
# its own two clusters with tests/pg_cluster.sh (wal_level = logical) and stops both on any exit; 77 (skipped)
# only when PostgreSQL is not installed.
set -eu
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"
cluster="$COPLAN_SOURCE_DIR/tests/pg_cluster.sh"
tmp="$COPLAN_TEST_TMP/pg_replication_$$"
# the sockets' folders: short paths (a Unix socket's path has a length limit)
up_dir="/tmp/coplan-repl-up-$$"
down_dir="/tmp/coplan-repl-down-$$"
cleanup() {
	# the subscription first, so that the publisher's slot goes with it; then both clusters, whatever happened
	if [ -n "${down:-}" ]; then
		psql -qX "$down/nat" -c "DROP SUBSCRIPTION IF EXISTS jpn_from_coalition" >/dev/null 2>&1 || true
	fi
	sh "$cluster" stop "$down_dir" || true
	sh "$cluster" stop "$up_dir" || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$tmp"
mkdir -p "$tmp"

set +e
up=$(sh "$cluster" start "$up_dir")
rc=$?
set -e
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || fail "the coalition cluster did not start"
down=$(sh "$cluster" start "$down_dir") || fail "the national cluster did not start"

COPLAN_AUTHOR="Maj Test"
export COPLAN_AUTHOR
c() { "$COPLAN_BIN" "$@"; }
q_up() { psql -tAX "$up/coal" -c "$1"; }
q_down() { psql -tAX "$down/nat" -c "$1"; }

# the coalition's plan (parties ITA and JPN), made in SQLite and copied into the coalition's server
c --db "$tmp/a.db" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" -o "$tmp/out" >/dev/null 2>&1 || fail "plan"
psql -qX "$up/postgres" -c "CREATE DATABASE coal" >/dev/null || fail "createdb coal"
c db copy "$tmp/a.db" "$up/coal" >/dev/null || fail "db copy into the coalition's server"
pg="$up/coal"
# REL TO ITA (Italy's only), REL TO ITA, JPN, no REL TO list; the others take the unlabelled plan's: its parties
c --db "$pg" activity edit IT-01 --label "RESTRICTED REL TO ITA" --reason "national" >/dev/null || fail "label IT-01"
c --db "$pg" activity edit IT-02 --label "RESTRICTED REL TO ITA, JPN" --reason "bilateral" >/dev/null ||
	fail "label IT-02"
c --db "$pg" activity edit JP-01 --label "RESTRICTED" --reason "no nation list" >/dev/null || fail "label JP-01"
c --db "$pg" blackout add --nation ITA --from 2024-11-11 --to 2024-11-13 --reason "national exercise" --soft \
	--label "CONFIDENTIAL REL TO ITA" >/dev/null || fail "label a blackout"
[ "$(q_up "SELECT rel_to FROM activity WHERE ref = 'IT-01'")" = " ITA " ] || fail "IT-01's rel_to"
[ "$(q_up "SELECT rel_to FROM activity WHERE ref = 'JP-01'")" = "*" ] || fail "JP-01's rel_to"
[ "$(q_up "SELECT rel_to FROM activity WHERE ref = 'JP-02'")" = " ITA JPN " ] || fail "JP-02's rel_to"
c --db "$pg" db check >/dev/null || fail "db check of the coalition's server"

# publish for Japan; Japan's server: coplan's schema by coplan init, then the subscription
c --db "$pg" db publish --nation JPN >"$tmp/publish.txt" || fail "db publish: $(cat "$tmp/publish.txt")"
grep -q "coplan_rel_jpn" "$tmp/publish.txt" || fail "no publication named: $(cat "$tmp/publish.txt")"
c --db "$pg" db publish --nation JPN >/dev/null || fail "db publish again (replace)"
psql -qX "$down/postgres" -c "CREATE DATABASE nat" >/dev/null || fail "createdb nat"
c --db "$down/nat" init >/dev/null || fail "coplan init on Japan's server"
q_down "CREATE SUBSCRIPTION jpn_from_coalition CONNECTION 'host=$up_dir port=5432 user=postgres dbname=coal' \
	PUBLICATION coplan_rel_jpn" >/dev/null || fail "create subscription"

# what Japan may receive, worked out apart from the filter: every activity but IT-01, every blackout but one
q_up "SELECT ref FROM activity ORDER BY ref" | grep -vx "IT-01" >"$tmp/want"
[ "$(wc -l <"$tmp/want")" -gt 20 ] || fail "too few activities upstream"
n_blackouts=$(q_up "SELECT count(*) FROM blackout")

# wait (at most 60 s) until Japan's activities are the list in file $1
wait_for() {
	i=0
	while [ $i -lt 120 ]; do
		q_down "SELECT ref FROM activity ORDER BY ref" >"$tmp/got" 2>/dev/null || true
		cmp -s "$1" "$tmp/got" && return 0
		sleep 0.5
		i=$((i + 1))
	done
	diff "$1" "$tmp/got" >&2 || true
	return 1
}
wait_for "$tmp/want" || fail "the initial copy is not exactly the rows releasable to JPN"
[ "$(q_down "SELECT count(*) FROM blackout")" = "$((n_blackouts - 1))" ] ||
	fail "blackouts downstream: $(q_down "SELECT count(*) FROM blackout") of $n_blackouts (one is REL TO ITA)"
q_down "SELECT count(*) FROM blackout WHERE label = 'CONFIDENTIAL REL TO ITA'" | grep -qx 0 ||
	fail "Italy's blackout reached Japan"
[ "$(q_down "SELECT title FROM activity WHERE ref = 'IT-02'")" = "$(q_up "SELECT title FROM activity WHERE ref = 'IT-02'")" ] ||
	fail "IT-02's content differs downstream"

# a change to a releasable row follows it
c --db "$pg" activity edit JP-02 --title "Staff talks on logistics (changed)" --reason "title" >/dev/null ||
	fail "edit JP-02"
i=0
until [ "$(q_down "SELECT title FROM activity WHERE ref = 'JP-02'")" = "Staff talks on logistics (changed)" ]; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "an edit did not reach Japan"
	sleep 0.5
done

# narrow JP-03 to Italy: it leaves Japan's server
c --db "$pg" activity edit JP-03 --label "RESTRICTED REL TO ITA" --reason "narrowed" >/dev/null || fail "narrow JP-03"
grep -vx "JP-03" "$tmp/want" >"$tmp/want2"
wait_for "$tmp/want2" || fail "the narrowed activity JP-03 is still downstream"

# widen IT-01 to Japan: it arrives
c --db "$pg" activity edit IT-01 --label "RESTRICTED REL TO ITA, JPN" --reason "widened" >/dev/null ||
	fail "widen IT-01"
{ cat "$tmp/want2"; echo "IT-01"; } | LC_ALL=C sort >"$tmp/want3"
LC_ALL=C sort -c "$tmp/want" 2>/dev/null || fail "the reference list is not in byte order"
wait_for "$tmp/want3" || fail "the widened activity IT-01 did not reach Japan"

# the record still checks sound with every row's rel_to recomputed by the store
c --db "$pg" db check >/dev/null || fail "db check after the edits"

# rel_to is the store's, never the user's: a forged value is a problem db check names
q_up "UPDATE activity SET rel_to = ' ITA JPN ' WHERE ref = 'JP-03'" >/dev/null
c --db "$pg" db check >"$tmp/check.txt" && fail "db check missed a forged rel_to"
grep -q "activity JP-03: releasable-to nations" "$tmp/check.txt" || fail "db check: $(cat "$tmp/check.txt")"

# SQLite has no publications: a clear refusal, exit 2 (bad usage)
set +e
c --db "$tmp/a.db" db publish --nation JPN >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "publish on SQLite: exit $rc"
grep -q "no publications" "$tmp/err" || fail "unclear refusal: $(cat "$tmp/err")"
echo "pg_replication: ok"
