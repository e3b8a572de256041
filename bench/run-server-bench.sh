#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-server-bench.sh - wrk against `coplan serve` on loopback: the plan page and the plan as JSON
# at 28 (the example), 1,000 and 10,000 generated activities; 64 connections, 2 wrk threads.
# Prints a Markdown table: p50 and p99 with one connection, then with 64 (requests/s and errors
# with 64; a request unanswered when the run ends is not counted).  Usage: sh bench/run-server-bench.sh [BUILD]
set -eu
BUILD=${1:-build}
SECONDS_EACH=${COPLAN_BENCH_SECONDS:-10}
CONNS=${COPLAN_BENCH_CONNECTIONS:-64}
BIN=$BUILD/coplan
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
db=$work/bench.db
pass="correct horse battery staple"

$BIN --db $db plan examples/italy-japan-2024 -o $work/out >/dev/null 2>&1
for n in 1000 10000; do
	$BUILD/bench/coplan_bench_plan_json $n $work/p$n.json
	$BIN --db $db import $work/p$n.json >/dev/null
done
echo "$pass" | $BIN --db $db user add bench --nation ITA >/dev/null
for plan in 1 2 3; do $BIN --db $db plan grant bench viewer --plan $plan >/dev/null; done

$BIN --db $db serve --listen 127.0.0.1:0 --threads ${COPLAN_BENCH_THREADS:-2} >$work/log 2>&1 &
pid=$!
for i in $(seq 100); do grep -q listening $work/log && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' $work/log)
token=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"name\":\"bench\",\"password\":\"$pass\"}" $base/api/login | sed -n 's/^Set-Cookie: coplan=\([^;]*\).*/\1/p')
export COPLAN_COOKIE="coplan=$token"

echo "| what | activities | 1 connection: p50 / p99 | $CONNS connections: p50 / p99 | requests/s | errors |"
echo "| --- | --- | --- | --- | --- | --- |"
for plan in 1 2 3; do
	n=$(curl -s -b "$COPLAN_COOKIE" $base/api/plans/$plan | grep -o '"ref"' | wc -l)
	for what in page json; do
		if [ $what = page ]; then url=$base/plans/$plan; else url=$base/api/plans/$plan; fi
		# the 10,000-activity page and JSON are ~5 MB each: fewer connections would not change p99 much
		one=$(wrk -t1 -c1 -d${SECONDS_EACH}s --timeout 30s -s bench/server.lua $url | grep '^RESULT')
		r=$(wrk -t2 -c$CONNS -d${SECONDS_EACH}s --timeout 30s -s bench/server.lua $url | grep '^RESULT')
		set -- $one
		single="$2 / $3 ms"
		set -- $r
		echo "| plan $what | $n | $single | $2 / $3 ms | $4 | $5 |"
	done
done
