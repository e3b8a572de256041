#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_export_csv.sh - the plan as a CSV sheet for Excel in three locales, read back by coplan's importer.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${PYTHON:?}"

work="$COPLAN_TEST_TMP/export_csv.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
example="$COPLAN_SOURCE_DIR/examples/italy-japan-2024"

"$COPLAN_BIN" --db "$work/a.db" plan "$example" -o "$work/out" >/dev/null 2>&1 || fail "plan"
"$COPLAN_BIN" --db "$work/a.db" export json -o "$work/a.json" || fail "export json"

for locale in it ja en-US; do
	csv="$work/plan-$locale.csv"
	"$COPLAN_BIN" --db "$work/a.db" export csv --locale "$locale" -o "$csv" || fail "export csv $locale"
	# Excel's expectations: a BOM, CRLF line ends, the locale's delimiter
	head -c 3 "$csv" | od -An -tx1 | grep -q "ef bb bf" || fail "$locale: no UTF-8 byte order mark"
	[ "$(grep -c "$(printf '\r')\$" "$csv")" -eq 30 ] || fail "$locale: expected 30 CRLF lines"
	# the sheet's marking in cell A1 (docs/labels.md), a row the importer skips
	head -n 1 "$csv" | grep -q "^.*# UNCLASSIFIED REL TO ITA, JPN\"*$(printf '\r')\$" ||
		fail "$locale: no marking in the first row: $(head -n 1 "$csv")"
	case $locale in
	it) sed -n 2p "$csv" | grep -q "^rif;titolo;" || fail "it: not ';'-delimited Italian headers" ;;
	ja) sed -n 2p "$csv" | grep -q "^番号,活動名," || fail "ja: not Japanese headers" ;;
	*) sed -n 2p "$csv" | grep -q "^ref,title," || fail "$locale: not English headers" ;;
	esac
	# read back into a new plan: same activities, dates, precedences and statuses
	db="$work/b-$locale.db"
	"$COPLAN_BIN" --db "$db" import "$example/plan.json" >/dev/null || fail "$locale: import plan.json"
	"$COPLAN_BIN" --db "$db" import "$csv" --locale "$locale" >/dev/null 2>"$work/err" ||
		fail "$locale: the exported sheet does not import: $(cat "$work/err")"
	"$COPLAN_BIN" --db "$db" export json -o "$work/b-$locale.json" || fail "$locale: export json"
	"$PYTHON" - "$work/a.json" "$work/b-$locale.json" <<'PY' || fail "$locale: the plan read back differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for doc in (a, b):
    doc["plan"].pop("uuid", None)   # each database gives its plans and activities their own identity
    for act in doc["activities"]:
        act.pop("sequence", None)   # the store counts revisions of its own copy
        act.pop("uuid", None)
if a != b:
    for x, y in zip(a["activities"], b["activities"]):
        if x != y:
            print("first difference:", x, "\n                  ", y)
            break
    sys.exit(1)
PY
done

# a title Excel would run as a formula is written as text, and reads back as it was
printf 'ref,title,host,duration\nF-1,"=HYPERLINK(""http://x"",""y"")",ITA,2\nF-2,-Staff talks,ITA,1\n' >"$work/formula.csv"
"$COPLAN_BIN" --db "$work/f.db" import "$example/plan.json" >/dev/null || fail "formula: plan.json"
"$COPLAN_BIN" --db "$work/f.db" import "$work/formula.csv" >/dev/null 2>&1 || fail "formula: import"
"$COPLAN_BIN" --db "$work/f.db" export csv -o "$work/f.csv" || fail "formula: export csv"
grep -q "^F-1,\"'=HYPERLINK(" "$work/f.csv" || fail "formula: the cell is not guarded: $(grep '^F-1' "$work/f.csv")"
grep -q "^F-2,'-Staff talks," "$work/f.csv" || fail "formula: a leading '-' is not guarded"
"$COPLAN_BIN" --db "$work/g.db" import "$example/plan.json" >/dev/null || fail "formula: plan.json (2)"
"$COPLAN_BIN" --db "$work/g.db" import "$work/f.csv" >/dev/null 2>&1 || fail "formula: read back"
"$COPLAN_BIN" --db "$work/g.db" export json | grep -q '"title": "=HYPERLINK(\\"http://x\\",\\"y\\")"' ||
	fail "formula: the title did not read back as written"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "export csv: ok"
