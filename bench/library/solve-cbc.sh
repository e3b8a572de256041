#!/bin/sh
# solve-cbc.sh - compute CBC's figure for instances of the benchmark library once, and store it.
#
# usage: bench/library/solve-cbc.sh SECONDS NAME...   (e.g. 120 h200-s1 h200-s2)
# Environment: BUILD (default build; needs bench/coplan_bench_library), WORK (default /tmp/coplan-lib:
#   the LP files and CBC's logs, not committed).
# For each NAME (hN-sS, see bench/bench_library.c): write the LP export, run CBC with the time limit
# SECONDS under /usr/bin/time, and replace NAME's row of bench/library/cbc.tsv with the instance's
# hash, CBC's status (optimal, or stopped: incumbent and bound at the limit, or noint: no plan),
# objective, best bound, unplaced and soft of its plan (from its solution and the LP's medium
# weight), the limit and the CPU seconds CBC used.  The LP file is deleted afterwards.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$here/build}
work=${WORK:-/tmp/coplan-lib}
sec=$1
shift
mkdir -p "$work"
for name in "$@"; do
	lp="$work/$name.lp"
	"$build/bench/coplan_bench_library" lp "$name" "$lp"
	hash=$("$build/bench/coplan_bench_library" list | awk -v n="$name" '$1 == n { print $4 }')
	echo "cbc $name ($(stat -c %s "$lp") bytes, limit $sec s)" >&2
	/usr/bin/time -f "cputime %U %S maxrss %M" -o "$work/$name.time" \
		cbc "$lp" sec "$sec" solve solu "$work/$name.sol" >"$work/$name.log" 2>&1 || true
	python3 "$here/bench/library/cbc_store.py" "$here/bench/library/cbc.tsv" "$name" "$hash" "$sec" \
		"$lp" "$work/$name.log" "$work/$name.sol" "$work/$name.time"
	rm -f "$lp"
done
