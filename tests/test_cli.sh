#!/bin/sh
# test_cli.sh - the command's contract: help for every subcommand, exit codes, README tour, bad input.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"

work="$COPLAN_TEST_TMP/cli.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_status() {
	want=$1
	shift
	"$@" >"$work/out" 2>"$work/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want ($(head -c 300 "$work/err"))"
}
export COPLAN_DB="$work/coplan.db"

# every command in the table has --help, exits 0, prints its usage, and is in the README tour
commands=$("$COPLAN_BIN" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
[ -n "$commands" ] || fail "no commands listed by --help"
for c in $commands; do
	expect_status 0 "$COPLAN_BIN" "$c" --help
	grep -q "^usage: coplan.* $c" "$work/out" || fail "'$c --help' prints no usage line"
	grep -q "coplan $c" "$COPLAN_SOURCE_DIR/README.md" || fail "README.md tours no 'coplan $c'"
done
expect_status 0 "$COPLAN_BIN" --version
expect_status 0 "$COPLAN_BIN" help plan

# bad usage: exit 2
expect_status 2 "$COPLAN_BIN"
expect_status 2 "$COPLAN_BIN" frobnicate
expect_status 2 "$COPLAN_BIN" --no-such-option report
expect_status 2 "$COPLAN_BIN" export
expect_status 2 "$COPLAN_BIN" export pdfx
expect_status 2 "$COPLAN_BIN" schedule --time-limit soon
expect_status 2 "$COPLAN_BIN" holidays JPN
expect_status 2 "$COPLAN_BIN" import
expect_status 2 "$COPLAN_BIN" import notes.docx

# bad input: exit 1 with a message naming the file, and no database change
expect_status 1 "$COPLAN_BIN" report
grep -q "no plan yet" "$work/err" || fail "report on an empty database: $(cat "$work/err")"
expect_status 1 "$COPLAN_BIN" holidays ITL 2024
expect_status 1 "$COPLAN_BIN" import "$work/missing.json"

expect_status 0 "$COPLAN_BIN" import "$COPLAN_SOURCE_DIR/examples/italy-japan-2024/plan.json"
printf 'ref,title,host,duration\nX-1,Staff talks,ITA,2\nX-2,Visit,ITL,3\n' >"$work/bad.csv"
expect_status 1 "$COPLAN_BIN" import "$work/bad.csv"
grep -q "bad.csv:3:3: .*'ITL'" "$work/err" || fail "bad host error does not name file:line:col: $(cat "$work/err")"
expect_status 0 "$COPLAN_BIN" report
grep -q "^0 activities" "$work/out" || fail "a failed import changed the plan: $(cat "$work/out")"

# a good import, then a schedule, then exports
expect_status 0 "$COPLAN_BIN" import "$COPLAN_SOURCE_DIR/examples/italy-japan-2024/activities.csv"
expect_status 0 "$COPLAN_BIN" schedule --seed 7
grep -q "28 scheduled, 0 unplaced" "$work/out" || fail "schedule: $(cat "$work/out")"
for fmt in md html json ics; do
	expect_status 0 "$COPLAN_BIN" export "$fmt" -o "$work/plan.$fmt"
	[ -s "$work/plan.$fmt" ] || fail "export $fmt wrote nothing"
done
expect_status 0 "$COPLAN_BIN" export ics --host ITA
[ "$(grep -c '^BEGIN:VEVENT' "$work/out")" -eq 11 ] || fail "export ics --host ITA: expected 11 events"
expect_status 0 "$COPLAN_BIN" holidays JPN 2024
grep -q "2024-02-12" "$work/out" || fail "holidays JPN 2024 lacks the 12 Feb substitute holiday"

# a database path that is not a database
echo "not a database" >"$work/text.db"
expect_status 1 "$COPLAN_BIN" --db "$work/text.db" report

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "cli: ok"
