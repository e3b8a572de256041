#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_schedule_lock.sh - a long schedule locks no one out: a status change made during the search
# is recorded without waiting for the search, and the schedule then does not overwrite it (it refuses, naming why).
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}" "${PYTHON:?}"

work="$COPLAN_TEST_TMP/schedule-lock.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export COPLAN_DB="$work/coplan.db" COPLAN_AUTHOR="Lt Col Sato"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

"$COPLAN_BIN" plan "$COPLAN_SOURCE_DIR/examples/italy-japan-2024" -o "$work/out" >/dev/null 2>&1 || { echo "FAIL: plan"; exit 1; }

timed_status() {
	"$PYTHON" - "$COPLAN_BIN" "$1" "$2" <<'PY'
import subprocess, sys, time
t = time.monotonic()
r = subprocess.run([sys.argv[1], "activity", "set-status", sys.argv[2], sys.argv[3]], capture_output=True)
print("%.3f %d" % (time.monotonic() - t, r.returncode))
PY
}
# the same kind of command with no schedule running: what it costs on this machine now (a
# sanitizer build on a loaded machine takes more than a second by itself)
alone=$(timed_status JP-03 confirmed)
set -- $alone
[ "$2" -eq 0 ] || fail "the status change alone failed"
alone=$1

# a schedule of 4 s of search, and meanwhile another officer records an execution
"$COPLAN_BIN" schedule --replan --time-limit 4 --quiet >"$work/schedule.out" 2>&1 &
pid=$!
sleep 1
took=$(timed_status IT-02 executed)
set -- $took
[ "$2" -eq 0 ] || fail "the status change during the schedule failed"
"$PYTHON" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) + 1.0 else 1)' "$1" "$alone" \
	|| fail "the status change during the schedule took $1 s, more than a second over its $alone s alone"
wait "$pid"
status=$?
[ "$status" -eq 1 ] || fail "the schedule whose plan changed under it exited $status, expected 1: $(cat "$work/schedule.out")"
grep -q "changed while it was being scheduled" "$work/schedule.out" || fail "the refusal says not why: $(cat "$work/schedule.out")"
"$COPLAN_BIN" activity history IT-02 | grep -q "executed" || fail "the status change was lost"

# without a change meanwhile, the schedule is saved
"$COPLAN_BIN" schedule --replan --time-limit 1 --quiet >"$work/again.out" 2>&1 || fail "the schedule again: $(cat "$work/again.out")"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "ok: a writer during a schedule went through in $1 s ($alone s alone); the schedule did not overwrite it"
