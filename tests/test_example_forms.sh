#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_example_forms.sh - the example's proposals as CSV, as Italian Excel's CSV and as a workbook give one plan.
set -eu
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"

ex="$COPLAN_SOURCE_DIR/examples/italy-japan-2024"
work="$COPLAN_TEST_TMP/forms.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# proposte.csv is what Italian Excel saves: BOM, ';', CRLF, Italian names, day-first dates
head -c 3 "$ex/proposte.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "proposte.csv: no UTF-8 BOM"
head -n 1 "$ex/proposte.csv" | grep -q "$(printf '\r')\$" || fail "proposte.csv: not CRLF"
head -n 1 "$ex/proposte.csv" | grep -q '^.*rif;titolo;' || fail "proposte.csv: not Italian with ';'"
grep -q ';22/01/2024;15/03/2024;02/2024;' "$ex/proposte.csv" || fail "proposte.csv: dates not day first"

# plan_with NAME FILE [IMPORT OPTIONS]: plan.json, then the proposals, scheduled, exported as JSON
plan_with() {
	name=$1
	file=$2
	shift 2
	db="$work/$name.db"
	"$COPLAN_BIN" --db "$db" import "$ex/plan.json" >/dev/null || fail "$name: import plan.json"
	"$COPLAN_BIN" --db "$db" import "$file" "$@" >"$work/$name.import" 2>&1 \
		|| { cat "$work/$name.import"; fail "$name: import $file"; }
	grep -q "imported 28 activities" "$work/$name.import" || { cat "$work/$name.import"; fail "$name: not 28"; }
	grep -q "28 rows, 28 activities, 2 precedences" "$work/$name.import" \
		|| { cat "$work/$name.import"; fail "$name: report"; }
	"$COPLAN_BIN" --db "$db" schedule --seed 1 >/dev/null || fail "$name: schedule"
	"$COPLAN_BIN" --db "$db" export json -o "$work/$name.with-ids.json" >/dev/null || fail "$name: export"
	# each database gives its plan and activities their own identities: compare the rest
	grep -q '"uuid": "' "$work/$name.with-ids.json" || fail "$name: no identities in the export"
	grep -v '"uuid": "' "$work/$name.with-ids.json" >"$work/$name.json"
}

plan_with csv "$ex/activities.csv"
plan_with it "$ex/proposte.csv" --locale it
plan_with xlsx "$ex/activities.xlsx"
grep -q "activities.xlsx: XLSX, locale en-GB" "$work/xlsx.import" || fail "xlsx: report line"
grep -q "proposte.csv: UTF-8 (BOM), delimiter ';', locale it" "$work/it.import" || fail "it: report line"

grep -q '"ref": "JP-17"' "$work/csv.json" || fail "export json holds no activity"
cmp -s "$work/csv.json" "$work/it.json" || { diff "$work/csv.json" "$work/it.json" | head -20; fail "proposte.csv gives another plan"; }
cmp -s "$work/csv.json" "$work/xlsx.json" || { diff "$work/csv.json" "$work/xlsx.json" | head -20; fail "activities.xlsx gives another plan"; }

# in the en-GB default, 02/2024 and 22/01/2024 still read day first; en-US must refuse 22/01/2024
if "$COPLAN_BIN" --db "$work/us.db" import "$ex/plan.json" >/dev/null &&
	"$COPLAN_BIN" --db "$work/us.db" import "$ex/proposte.csv" --locale en-US >/dev/null 2>"$work/us.err"; then
	fail "proposte.csv read month first without an error"
fi
grep -q "proposte.csv:3:10: earliest: " "$work/us.err" || { cat "$work/us.err"; fail "en-US error position"; }

# coplan plan takes activities.xlsx when the folder has no activities.csv
mkdir "$work/folder"
cp "$ex/plan.json" "$ex/activities.xlsx" "$work/folder/"
"$COPLAN_BIN" --db "$work/folder.db" plan "$work/folder" -o "$work/folder/out" >"$work/folder.out" 2>"$work/folder.err" \
	|| { cat "$work/folder.err"; fail "plan on a folder with activities.xlsx"; }
sed -n 2p "$work/folder.out" | grep -qxF "28 activities: 11 in Italy, 17 in Japan — 28 scheduled, 0 unplaced" \
	|| { cat "$work/folder.out"; fail "plan with activities.xlsx: summary"; }
grep -q "activities.xlsx: XLSX" "$work/folder.err" || fail "plan with activities.xlsx: report line"

# --sheet picks a sheet; the legend is not a list of proposals, and the error names its header row
if "$COPLAN_BIN" --db "$work/xlsx.db" import "$ex/activities.xlsx" --sheet Legend --dry-run >/dev/null 2>"$work/legend.err"; then
	fail "the Legend sheet imported"
fi
grep -q "activities.xlsx:Legend!1:1: missing required column 'ref'" "$work/legend.err" || { cat "$work/legend.err"; fail "legend error"; }
if "$COPLAN_BIN" --db "$work/xlsx.db" import "$ex/activities.csv" --sheet Plan >/dev/null 2>&1; then
	fail "--sheet accepted for a CSV file"
fi
echo "ok: activities.csv, proposte.csv (it) and activities.xlsx give the same plan"
