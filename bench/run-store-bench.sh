#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-store-bench.sh - import, schedule and the plan's JSON on SQLite and on PostgreSQL, with time, memory and database size.
# usage: bench/run-store-bench.sh [BUILD_DIR [ACTIVITIES [NATIONS [SCHEDULE_SECONDS]]]]
#        (default build-bench, 100000, 50, 60)
# Builds coplan and coplan_bench_store_gen in Release when BUILD_DIR lacks them.  PostgreSQL runs on a
# throwaway cluster (tests/pg_cluster.sh) with durability on, as SQLite's synchronous = FULL.
# Prints a Markdown table: one row per backend and step, wall time, CPU time of the coplan process
# (user + system: what a busy machine changes least; PostgreSQL's server work is not in it) and peak
# memory from /usr/bin/time -v, and the database's size after the step.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-bench}
n=${2:-100000}
k=${3:-50}
limit=${4:-60}

if [ ! -x "$build/coplan" ] || [ ! -x "$build/bench/coplan_bench_store_gen" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPLAN_BUILD_TESTS=OFF >/dev/null
	cmake --build "$build" -j2 --target coplan_cli coplan_bench_store_gen >/dev/null
fi
work=$(mktemp -d /tmp/coplan-store-bench.XXXXXX)
chmod 755 "$work"
cluster="$work/pg"
cleanup() {
	COPLAN_PG_DURABLE=1 sh "$src/tests/pg_cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$build/bench/coplan_bench_store_gen" "$n" "$k" "$work/plan.json"
base=$(COPLAN_PG_DURABLE=1 sh "$src/tests/pg_cluster.sh" start "$cluster")
psql -qX "$base/postgres" -c "CREATE DATABASE bench" >/dev/null
export COPLAN_AUTHOR="bench"

# step NAME DB ARGS...: run coplan, print "NAME wall_seconds cpu_seconds peak_kB"
step() {
	name=$1
	db=$2
	shift 2
	/usr/bin/time -v -o "$work/time.txt" "$build/coplan" --db "$db" "$@" >"$work/out.txt" 2>&1 || {
		cat "$work/out.txt" >&2
		echo "run-store-bench: $name failed" >&2
		exit 1
	}
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
	cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.1f", s }' \
		"$work/time.txt")
	printf '%s %s %s %s\n' "$name" "$wall" "$cpu" "$rss"
}

size_of() {
	case "$1" in
	postgresql://*)
		psql -qXAt "$1" -c "SELECT pg_database_size(current_database())" ;;
	*)
		du -cb "$1" "$1-wal" 2>/dev/null | tail -1 | cut -f1 ;;
	esac
}

echo "| backend | step | wall time (s) | coplan's CPU time (s) | peak memory (MB) | database after (MB) |"
echo "| --- | --- | --- | --- | --- | --- |"
for db in "$work/bench.db" "$base/bench"; do
	case "$db" in postgresql://*) label=PostgreSQL ;; *) label=SQLite ;; esac
	for s in import schedule json; do
		case "$s" in
		import) r=$(step "import" "$db" import "$work/plan.json") ;;
		schedule) r=$(step "schedule ($limit s search)" "$db" schedule --time-limit "$limit" --quiet) ;;
		json) r=$(step "plan JSON" "$db" export json -o "$work/out.json") ;;
		esac
		name=${r% * * *}
		rest=${r#"$name "}
		wall=${rest%% *}
		rest=${rest#* }
		cpu=${rest% *}
		rss=${rest#* }
		size=$(size_of "$db")
		printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$name" "$wall" "$cpu" \
			"$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')" \
			"$(awk -v b="$size" 'BEGIN { printf "%.0f", b / 1048576 }')"
	done
done
