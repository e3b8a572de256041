#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
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
# the docs name only commands that exist (docs/documents.md once named a 'coplan document')
for c in $(cat "$COPLAN_SOURCE_DIR"/docs/*.md "$COPLAN_SOURCE_DIR"/docs/internals/*.md |
	grep -oE '`coplan [a-z][a-z-]*' | sed 's/^`coplan //' | sort -u); do
	echo "$commands" | grep -qx "$c" || fail "the docs name 'coplan $c', which --help does not list"
done
# 'coplan --help' lists every export format that 'coplan export --help' takes
formats=$("$COPLAN_BIN" export --help | sed -n 's/^usage: coplan export (\([a-z|]*\)).*/\1/p' | tr '|' ' ')
[ -n "$formats" ] || fail "no formats in the export usage line"
for f in $formats; do
	"$COPLAN_BIN" --help | grep '^  export ' | grep -qw "$f" || fail "'coplan --help' leaves out export format $f"
done
# every option a command's help describes is in its usage line (plan once lacked --delimiter)
"$COPLAN_BIN" plan --help >"$work/out"
sed -n '/^usage:/,/^$/p' "$work/out" >"$work/usage"
for o in $(sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-z-]*\).*/\1\2/p' "$work/out" | tr -d ' '); do
	short=${o%%,*} long=${o#*,}   # "-o,--output" or "--seed"
	grep -q -- "$long" "$work/usage" || { [ "$short" != "$o" ] && grep -q -- "$short " "$work/usage"; } ||
		fail "'plan' usage line lacks $long"
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
grep -q "no coplan database here" "$work/err" || fail "report without a database: $(cat "$work/err")"
[ ! -e "$COPLAN_DB" ] || fail "report created a database"
expect_status 0 "$COPLAN_BIN" init
expect_status 1 "$COPLAN_BIN" report
grep -q "no plan yet" "$work/err" || fail "report on an empty database: $(cat "$work/err")"
expect_status 2 "$COPLAN_BIN" --db "" report
expect_status 1 "$COPLAN_BIN" holidays ITL 2024
expect_status 1 "$COPLAN_BIN" import "$work/missing.json"

expect_status 0 "$COPLAN_BIN" import "$COPLAN_SOURCE_DIR/examples/italy-japan-2024/plan.json"
printf 'ref,title,host,duration\nX-1,Staff talks,ITA,2\nX-2,Visit,ITL,3\n' >"$work/bad.csv"
expect_status 1 "$COPLAN_BIN" import "$work/bad.csv"
grep -q "bad.csv:3:3: .*'ITL'" "$work/err" || fail "bad host error does not name file:line:col: $(cat "$work/err")"
expect_status 0 "$COPLAN_BIN" report
grep -q "^0 activities" "$work/out" || fail "a failed import changed the plan: $(cat "$work/out")"

# a sheet with its own column names, through the user's header map
printf 'Codice,Esercitazione,Nazione ospite,Giorni\nM-1,Esercitazione congiunta,ITA,3\n' >"$work/own.csv"
printf 'header,field\nEsercitazione,title\nNazione ospite,host\n' >"$work/map.csv"
expect_status 1 "$COPLAN_BIN" import "$work/own.csv" --dry-run
grep -q "title" "$work/err" || fail "an unmapped sheet: $(cat "$work/err")"
expect_status 0 "$COPLAN_BIN" import "$work/own.csv" --headers "$work/map.csv" --dry-run
grep -q "would import 1 activity" "$work/out" || fail "header map: $(cat "$work/out" "$work/err")"
printf 'header,field\nEsercitazione,titolo\n' >"$work/badmap.csv"
expect_status 1 "$COPLAN_BIN" import "$work/own.csv" --headers "$work/badmap.csv" --dry-run
grep -q "badmap.csv:2:2: unknown field 'titolo'" "$work/err" || fail "bad header map: $(cat "$work/err")"

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

# the record of the talks, versions, execution
expect_status 0 "$COPLAN_BIN" talks
grep -q "Brigadier General Alessandro Grassano" "$work/out" || fail "talks: no head of the Italian delegation"
grep -q "areas of cooperation agreed: training" "$work/out" || fail "talks: no areas agreed"
expect_status 2 "$COPLAN_BIN" talks frobnicate
expect_status 1 "$COPLAN_BIN" version save --state signed --author tester
grep -q "only a version saved as agreed" "$work/err" || fail "signing a draft: $(cat "$work/err")"
expect_status 0 "$COPLAN_BIN" version save --state agreed --author tester
expect_status 0 "$COPLAN_BIN" version save --state signed --author tester
expect_status 1 "$COPLAN_BIN" schedule --seed 8
grep -q "is signed" "$work/err" || fail "a signed plan was rescheduled: $(cat "$work/err")"
expect_status 1 "$COPLAN_BIN" activity set-status JP-03 cancelled --author tester
grep -q "needs a reason" "$work/err" || fail "a cancellation without reason: $(cat "$work/err")"
printf 'ref,status,from,to,reason,author\nIT-02,executed,,,,a\nJP-12,postponed,2024-10-15,,typhoon,b\n' >"$work/log.csv"
expect_status 1 "$COPLAN_BIN" activity import "$work/log.csv"
grep -q "log.csv:3: " "$work/err" || fail "a bad execution log row is not named by line: $(cat "$work/err")"
expect_status 0 "$COPLAN_BIN" activity history
grep -q "no changes recorded" "$work/out" || fail "a refused execution log recorded something"
expect_status 0 "$COPLAN_BIN" activity import "$COPLAN_SOURCE_DIR/examples/italy-japan-2024/execution.csv"
expect_status 0 "$COPLAN_BIN" report --execution
grep -Eq "^  all +[0-9]+ +[0-9]+ +[0-9]+ +1 +1 +28$" "$work/out" || fail "execution report: $(cat "$work/out")"
expect_status 0 "$COPLAN_BIN" version compare
grep -q "status planned → cancelled" "$work/out" || fail "compare shows no cancellation: $(cat "$work/out")"
for fmt in pdf png svg xlsx; do
	expect_status 0 "$COPLAN_BIN" report --format "$fmt" -o "$work/doc.$fmt"
	[ -s "$work/doc.$fmt" ] || fail "report --format $fmt wrote nothing"
done
expect_status 2 "$COPLAN_BIN" report --format docx
expect_status 2 "$COPLAN_BIN" report --format pdf --width 900

# a database path that is not a database
echo "not a database" >"$work/text.db"
expect_status 1 "$COPLAN_BIN" --db "$work/text.db" report

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "cli: ok"
