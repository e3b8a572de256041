#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-cbc.sh - the scheduler benchmark against COIN-OR CBC on the same plans, same machine, same run.
#
# usage: bench/run-cbc.sh [BUILD_DIR] [OUT_DIR]
#   BUILD_DIR  a Release build with the benchmarks (default build-rel; made if missing)
#   OUT_DIR    where the logs, solutions and summary go (default bench/results, not committed)
# Environment: RUNS (coplan runs per size, default 3), CBC_SEC (CBC's time limit, default 120),
#   CBC_MEM_KB (CBC's address-space limit, default 20000000), LIMITS (coplan's limits, default 1,10;
#   60 is added for 10,000 activities), CBC_MAX_N (largest plan given to CBC, default 1000: on the
#   2-core build machine CBC 2.10 had not finished reading and presolving the 5,000-activity LP
#   (210 MB) after 8 minutes and 3.2 GB, so larger plans get no CBC figure in a sane time; set
#   CBC_MAX_N=10000 to try anyway).  CBC stops at its limit plus a wall-clock cap of 4 times it.
# Per size (28/15/2 ... 10,000/1,000/100; tests/support/plan_gen.c, seed 1): coplan's time to the
# first valid plan, best score at each limit, evaluations per second and peak RSS (one process per
# size); then CBC on the LP export of the same plan with a time limit, under /usr/bin/time -v.
# At 5,000 activities, the re-planning test and CBC on its LP (large move weight).
# Then bench/cbc_report.py writes OUT_DIR/summary.md and bench/plot_scaling.py the plot.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build-rel}
out=${2:-$here/bench/results}
runs=${RUNS:-3}
cbc_sec=${CBC_SEC:-120}
cbc_mem=${CBC_MEM_KB:-20000000}
limits=${LIMITS:-1,10}
cbc_max_n=${CBC_MAX_N:-1000}

command -v cbc >/dev/null || { echo "run-cbc.sh: cbc missing (apt-get install coinor-cbc)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run-cbc.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
if [ ! -x "$build/bench/coplan_bench_schedule" ]; then
	cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPLAN_BUILD_TESTS=OFF >/dev/null
	cmake --build "$build" -j2 --target coplan_bench_schedule >/dev/null
fi
mkdir -p "$out/lp"
uname -srm >"$out/machine.txt"
grep -m1 "model name" /proc/cpuinfo >>"$out/machine.txt" || true
cbc -stop 2>/dev/null | grep -m1 Version >>"$out/machine.txt" || true

solve() {  # solve NAME: CBC on $out/lp/NAME.lp, log, time, solution
	name=$1
	sed -n '1,8p' "$out/lp/$name.lp" >"$out/$name.lphead"
	stat -c %s "$out/lp/$name.lp" >"$out/$name.lpsize"
	echo "  cbc $name (limit ${cbc_sec} s)" >&2
	( ulimit -v "$cbc_mem"; exec /usr/bin/time -v timeout $((cbc_sec * 4)) \
		cbc "$out/lp/$name.lp" sec "$cbc_sec" solve solu "$out/cbc-$name.sol" ) \
		>"$out/cbc-$name.log" 2>&1 || echo "  cbc $name exited $?" >&2
	rm -f "$out/lp/$name.lp"
}

for i in 0 1 2 3 4; do
	l=$limits
	flags=""
	[ "$i" -eq 4 ] && l="$limits,60"
	[ "$i" -eq 3 ] && flags="-R"
	echo "coplan size $i, limits $l, $runs runs" >&2
	# shellcheck disable=SC2086
	"$build/bench/coplan_bench_schedule" -r "$runs" -l "$l" -s "$i" -L "$out/lp" $flags >"$out/coplan-$i.txt"
	n=$(sed -n 's/^result n=\([0-9]*\) .*/\1/p' "$out/coplan-$i.txt")
	if [ "$n" -le "$cbc_max_n" ]; then
		solve "plan-$n"
		[ "$i" -eq 3 ] && solve "replan-$n"
	else
		echo "  cbc plan-$n not run (CBC_MAX_N=$cbc_max_n)" >&2
		rm -f "$out/lp/plan-$n.lp" "$out/lp/replan-$n.lp"
	fi
done
/usr/bin/python3 "$here/bench/cbc_report.py" "$out" >"$out/summary.md"
/usr/bin/python3 "$here/bench/plot_scaling.py" "$out" "$here/docs/bench/scaling.svg"
cat "$out/summary.md"
