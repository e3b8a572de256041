#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-import-bench.sh - coplan's import and export beside Python's csv and icalendar, on the same generated files.
# usage: bench/run-import-bench.sh [BUILD_DIR [ROWS [RUNS]]]   (default build-bench, 100000, 5)
# Builds coplan_bench_import in Release when BUILD_DIR lacks it; prints the table of medians and ratios.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-bench}
rows=${2:-100000}
runs=${3:-5}
python=${PYTHON:-/usr/bin/python3}   # Debian's Python: python3-icalendar is installed there

if [ ! -x "$build/bench/coplan_bench_import" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPLAN_BUILD_TESTS=OFF >/dev/null
	cmake --build "$build" -j2 --target coplan_bench_import >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/bench/coplan_bench_import" "$work" "$rows" "$runs" >"$work/coplan.txt"
"$python" "$src/bench/compare_import.py" "$work" --runs "$runs" --ics-runs "$runs" >"$work/python.txt"
"$python" "$src/bench/compare_import.py" --table "$work/coplan.txt" "$work/python.txt"
echo
echo "coplan:"; sed 's/^/  /' "$work/coplan.txt"
echo "python:"; sed 's/^/  /' "$work/python.txt"
