#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-server-soak.sh - is the web server's memory flat under load?  `coplan serve` on loopback,
# logged in, wrk with 64 connections on the plan page of a generated 1,000-activity plan and on
# the example's JSON, alternately, for SECONDS (default 600); the server's resident memory
# (VmRSS, /proc) every 30 s.  Usage: sh bench/run-server-soak.sh [BUILD] [SECONDS]
set -eu
BUILD=${1:-build}
TOTAL=${2:-600}
BIN=$BUILD/coplan
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
db=$work/soak.db
pass="correct horse battery staple"

$BIN --db $db plan examples/italy-japan-2024 -o $work/out >/dev/null 2>&1
$BUILD/bench/coplan_bench_plan_json 1000 $work/p1000.json
$BIN --db $db import $work/p1000.json >/dev/null
echo "$pass" | $BIN --db $db user add soak --nation ITA >/dev/null
for plan in 1 2; do $BIN --db $db plan grant soak planner --plan $plan >/dev/null; done

$BIN --db $db serve --listen 127.0.0.1:0 >$work/log 2>&1 &
pid=$!
for i in $(seq 100); do grep -q listening $work/log && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' $work/log)
headers=$work/headers
curl -s -D $headers -o $work/session.json -H 'Content-Type: application/json' \
	-d "{\"name\":\"soak\",\"password\":\"$pass\"}" $base/api/login
token=$(sed -n 's/^Set-Cookie: coplan=\([^;]*\).*/\1/p' $headers)
csrf=$(sed -n 's/.*"csrf": *"\([^"]*\)".*/\1/p' $work/session.json)
export COPLAN_COOKIE="coplan=$token"

rss() { awk '/^VmRSS:/ { print $2 }' /proc/$pid/status; }
echo "| elapsed | server RSS | requests/s in the last 30 s | errors |"
echo "| --- | --- | --- | --- |"
echo "| 0 s | $(rss) kB | | |"
elapsed=0
while [ $elapsed -lt $TOTAL ]; do
	if [ $((elapsed / 30 % 2)) = 0 ]; then url=$base/plans/2; else url=$base/api/plans/1; fi
	r=$(wrk -t2 -c64 -d30s --timeout 30s -s bench/server.lua $url | grep '^RESULT')
	# a change now and then, so that pages are rendered again and old ones dropped
	curl -s -o /dev/null -b "$COPLAN_COOKIE" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d "{\"fields\":{\"notes\":\"soak $elapsed\"}}" $base/api/plans/1/activities/IT-01
	elapsed=$((elapsed + 30))
	set -- $r
	echo "| $elapsed s | $(rss) kB | $4 | $5 |"
done
