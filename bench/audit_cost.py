#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# audit_cost.py - what the audit log costs a command: `coplan import` of the example plan into a new
# database and an `activity edit` on the example, timed by turns with two builds of coplan (before
# and after), median and minimum wall time of N runs each.
# usage: bench/audit_cost.py BEFORE_BIN AFTER_BIN [N]
import os, statistics, subprocess, sys, tempfile, time

if len(sys.argv) < 3:
    sys.exit("usage: audit_cost.py BEFORE_BIN AFTER_BIN [N]")
bins = {"before": sys.argv[1], "after": sys.argv[2]}
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 41
ex = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "italy-japan-2024")
env = dict(os.environ, COPLAN_AUTHOR="bench")
work = tempfile.mkdtemp(prefix="audit_cost.")


def run(b, db, *args):
    subprocess.run([b, "--db", db] + list(args), env=env, check=True, capture_output=True)


def remove(db):
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)


times = {k: {"import": [], "edit": []} for k in bins}
for k, b in bins.items():
    db = os.path.join(work, k + "-edit.db")
    run(b, db, "import", os.path.join(ex, "plan.json"))
    run(b, db, "import", os.path.join(ex, "activities.csv"))
for i in range(runs):
    for k, b in bins.items():
        db = os.path.join(work, k + "-import.db")
        t = time.perf_counter()
        run(b, db, "import", os.path.join(ex, "plan.json"))
        times[k]["import"].append(time.perf_counter() - t)
        remove(db)
        t = time.perf_counter()
        run(b, os.path.join(work, k + "-edit.db"), "activity", "edit", "IT-01", "--title", "Title %d" % i)
        times[k]["edit"].append(time.perf_counter() - t)
for k in bins:
    for op in ("import", "edit"):
        v = times[k][op]
        print("%-6s %-6s median %6.1f ms  min %6.1f ms  (n=%d)" % (k, op, statistics.median(v) * 1000,
                                                               min(v) * 1000, len(v)))
for k in bins:
    remove(os.path.join(work, k + "-edit.db"))
os.rmdir(work)
