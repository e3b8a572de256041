#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_readme_tour.sh - the README's CLI tour, run as written, in order, in a scratch folder: it must all work.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"

work="$COPLAN_TEST_TMP/tour.$$"
rm -rf "$work"
mkdir -p "$work/build" "$work/tests"
trap 'rm -rf "$work"' EXIT
ln -s "$COPLAN_BIN" "$work/build/coplan"
ln -s "$COPLAN_SOURCE_DIR/examples" "$work/examples"
ln -s "$COPLAN_SOURCE_DIR/tests/data" "$work/tests/data"

# the indented block from "export PATH" to the last tour line, comments dropped, continuations joined
awk '/^    export PATH=/{on=1} on&&/^$/{exit} on' "$COPLAN_SOURCE_DIR/README.md" |
	sed -e 's/^    //' -e 's/  *# .*$//' |
	awk '{ if (sub(/\\$/, "")) printf "%s ", $0; else print }' >"$work/tour.sh"
lines=$(grep -c '^coplan' "$work/tour.sh")
[ "$lines" -ge 25 ] || { echo "FAIL: found only $lines tour commands in README.md"; exit 1; }

cd "$work" || exit 1
unset COPLAN_DB
if ! sh -e -x tour.sh >tour.out 2>&1; then
	tail -n 20 tour.out
	echo "FAIL: a command of the README's tour failed (above)"
	exit 1
fi
grep -q "28 activities: 11 in Italy, 17 in Japan" tour.out || { echo "FAIL: no summary in the tour"; exit 1; }
echo "README tour: $lines commands ran"
