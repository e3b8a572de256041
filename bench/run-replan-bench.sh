#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-replan-bench.sh - the whole `coplan schedule --replan` command after one changed activity, CPU and wall time.
# usage: bench/run-replan-bench.sh [BUILD_DIR [ACTIVITIES [RUNS]]]   (default build-bench, 5000, 5)
# A generated plan (coplan_bench_store_gen ACTIVITIES 100: one unit per five activities, 100 nations)
# is imported into a fresh SQLite store and scheduled; then A00010's window is moved past its start
# (activity edit --earliest 2024-07-01) and the re-plan runs RUNS times, each on a fresh copy of that
# store.  Prints one line per run: CPU time (user + system) and wall time of the coplan process and
# its peak memory, from /usr/bin/time; then the re-plan's last lines (what moved).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-bench}
n=${2:-5000}
runs=${3:-5}

if [ ! -x "$build/coplan" ] || [ ! -x "$build/bench/coplan_bench_store_gen" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPLAN_BUILD_TESTS=OFF >/dev/null
	cmake --build "$build" -j2 --target coplan_cli coplan_bench_store_gen >/dev/null
fi
work=$(mktemp -d /tmp/coplan-replan-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
export COPLAN_AUTHOR=bench
"$build/bench/coplan_bench_store_gen" "$n" 100 "$work/plan.json" >/dev/null 2>&1
"$build/coplan" --db "$work/base.db" import "$work/plan.json" >/dev/null 2>&1
"$build/coplan" --db "$work/base.db" schedule --quiet >/dev/null 2>&1
"$build/coplan" --db "$work/base.db" activity edit A00010 --earliest 2024-07-01 >/dev/null 2>&1
for i in $(seq 1 "$runs"); do
	rm -f "$work/r.db" "$work/r.db-wal" "$work/r.db-shm"
	cp "$work/base.db" "$work/r.db"
	/usr/bin/time -f '%U %S %e %M' -o "$work/time.txt" \
		"$build/coplan" --db "$work/r.db" schedule --replan --quiet >"$work/out.txt" 2>/dev/null
	awk -v i="$i" '{ printf "run %d: CPU %.2f s, wall %.2f s, peak %.0f MB\n", i, $1 + $2, $3, $4 / 1024 }' \
		"$work/time.txt"
done
grep -v '^  unplaced' "$work/out.txt" | tail -4
