#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_lp.py - 'coplan export lp' solved by COIN-OR CBC: its optimum is coplan's score, its plan is valid.

On the shipped example: coplan plans it and prints its score; the LP export is
solved by CBC (Debian's coinor-cbc); CBC's optimum must equal coplan's score
on the same objective (medium weight * unplaced - soft), and CBC's plan must
pass the hard constraints, checked here from plan.json and 'coplan holidays'
(not from coplan's model) and again by 'coplan explain' on an imported copy
with CBC's dates.  The soft cost of CBC's plan is recomputed here from the
rules in docs/internals/scheduler.md and must equal CBC's objective.
"""
import csv
import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
import sys

BIN = os.environ["COPLAN_BIN"]
SRC = os.path.abspath(os.environ["COPLAN_SOURCE_DIR"])
TMP = os.path.join(os.path.abspath(os.environ["COPLAN_TEST_TMP"]), "lp.%d" % os.getpid())
CBC = shutil.which("cbc")
W = {"requested": 10, "soft_blackout": 5, "spread": 1, "weekend": 20}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(*args, db="coplan.db"):
    p = subprocess.run([BIN, "--db", os.path.join(TMP, db)] + list(args), cwd=TMP,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("FAIL: coplan %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def day(s):
    return dt.date.fromisoformat(s)


def main():
    if not CBC:
        print("cbc not installed (apt-get install coinor-cbc): skipped")
        return 77
    shutil.rmtree(TMP, ignore_errors=True)
    os.makedirs(TMP)
    run("plan", os.path.join(SRC, "examples", "italy-japan-2024"), "-o", "out")
    out = run("schedule", "--time-limit", "2", "--seed", "1", "--quiet")
    m = re.search(r"score: (\d+) broken hard constraints?, (\d+) unplaced, soft cost (\d+)", out)
    if not m:
        raise SystemExit("FAIL: no score in: " + out)
    hard, medium, soft = (-int(g) for g in m.groups())
    run("export", "lp", "-o", "plan.lp")
    run("export", "json", "-o", "plan.json")
    lp = open(os.path.join(TMP, "plan.lp")).read()
    weight = int(re.search(r"^\\ medium weight: (\d+)$", lp, re.M).group(1))
    day0 = day(re.search(r"^\\ day0: (\S+)$", lp, re.M).group(1))
    refs = dict((int(i), r) for i, r in re.findall(r"^\\ activity (\d+): (\S+)$", lp, re.M))
    coplan_obj = weight * -medium - soft

    p = subprocess.run([CBC, "plan.lp", "solve", "solu", "sol.txt"], cwd=TMP, capture_output=True,
                       text=True, timeout=600)
    sol = open(os.path.join(TMP, "sol.txt")).read().splitlines()
    m = re.match(r"Optimal - objective value (\S+)", sol[0]) if sol else None
    if not m:
        raise SystemExit("FAIL: CBC found no optimum: %s\n%s" % (sol[:1], p.stdout[-2000:]))
    cbc_obj = float(m.group(1))
    print("coplan: %d hard, %d medium, %d soft -> objective %d; CBC optimum %.1f" %
          (hard, medium, soft, coplan_obj, cbc_obj))
    if hard != 0:
        fail("coplan's plan breaks %d hard constraints" % -hard)
    if abs(cbc_obj - coplan_obj) > 1e-6:
        fail("CBC's optimum %.1f differs from coplan's score %d" % (cbc_obj, coplan_obj))

    # CBC's dates
    starts = {}
    for line in sol[1:]:
        f = line.split()
        # y_A_D = 1 from A's start on: the start is the first such day
        if len(f) >= 3 and f[1].startswith("y_") and abs(float(f[2]) - 1) < 1e-6:
            _, a, d = f[1].split("_")
            when = day0 + dt.timedelta(days=int(d))
            if refs[int(a)] not in starts or when < starts[refs[int(a)]]:
                starts[refs[int(a)]] = when
    doc = json.load(open(os.path.join(TMP, "plan.json")))
    acts = dict((a["ref"], a) for a in doc["activities"])
    if len(starts) != len(acts) - (-medium):
        fail("CBC places %d activities, coplan %d" % (len(starts), len(acts) + medium))

    # the hard constraints, from the plan as written and the holidays as 'coplan holidays' lists them
    off = {}
    for n in set(a["host"] for a in acts.values()):
        rows = csv.DictReader(run("holidays", n, "2024", "--format", "csv").splitlines())
        off[n] = set(day(r["date"]) for r in rows)

    def working(n, d):
        return d.weekday() < 5 and d not in off[n]

    pw = doc["plan"]["window"]
    ends = {}
    for ref, s in starts.items():
        a = acts[ref]
        lo = max(day(pw["from"]), day(a["window"]["earliest"])) if a.get("window", {}).get("earliest") else day(pw["from"])
        hi = min(day(pw["to"]), day(a["window"]["latest"])) if a.get("window", {}).get("latest") else day(pw["to"])
        if a["day_mode"] == "working":
            if not working(a["host"], s):
                fail("%s starts on %s, not a working day of %s" % (ref, s, a["host"]))
            e, left = s, a["duration"] - 1
            while left:
                e += dt.timedelta(days=1)
                left -= working(a["host"], e)
        else:
            e = s + dt.timedelta(days=a["duration"] - 1)
        ends[ref] = e
        if s < lo or e > hi:
            fail("%s at %s..%s outside its window %s..%s" % (ref, s, e, lo, hi))
        scopes = set([a["host"]] + a.get("participants", []) + a.get("units", []))
        for b in doc["blackouts"]:
            if b["hard"] and b["scope"] in scopes and day(b["from"]) <= e and day(b["to"]) >= s:
                fail("%s at %s..%s meets hard blackout %s" % (ref, s, e, b))
    placed = sorted(starts)
    for i, r1 in enumerate(placed):
        for r2 in placed[i + 1:]:
            shared = set(acts[r1].get("units", [])) & set(acts[r2].get("units", []))
            if shared and starts[r1] <= ends[r2] and starts[r2] <= ends[r1]:
                fail("%s and %s overlap on unit %s" % (r1, r2, sorted(shared)[0]))
    for p_ in doc["precedences"]:
        b, q = p_["before"], p_["after"]
        if q in starts:
            if b not in starts:
                fail("%s placed without its predecessor %s" % (q, b))
                continue
            gap = (starts[q] - ends[b]).days - 1
            if gap < p_.get("min_gap", 0) or (p_.get("max_gap") is not None and p_["max_gap"] >= 0 and gap > p_["max_gap"]):
                fail("%s -> %s gap %d breaks %s" % (b, q, gap, p_))

    # the soft cost of CBC's plan by the documented rules: must be CBC's objective
    total = weight * (len(acts) - len(starts))
    months = {}
    first = day(pw["from"])
    n_months = (day(pw["to"]).year - first.year) * 12 + day(pw["to"]).month - first.month + 1
    for ref, s in starts.items():
        a, e = acts[ref], ends[ref]
        rq = a.get("requested") or {}
        if rq.get("from") and s < day(rq["from"]):
            total += W["requested"] * (day(rq["from"]) - s).days
        if rq.get("to") and e > day(rq["to"]):
            total += W["requested"] * (e - day(rq["to"])).days
        scopes = set([a["host"]] + a.get("participants", []) + a.get("units", []))
        for b in doc["blackouts"]:
            if not b["hard"] and b["scope"] in scopes:
                ov = (min(e, day(b["to"])) - max(s, day(b["from"]))).days + 1
                total += W["soft_blackout"] * max(0, ov)
        if a["day_mode"] == "working":
            total += W["weekend"] * ((e - s).days + 1 - a["duration"])
        k = (a["host"], (s.year - first.year) * 12 + s.month - first.month)
        months[k] = months.get(k, 0) + 1
    for n in set(a["host"] for a in acts.values()):
        placed_n = sum(v for (h, _), v in months.items() if h == n)
        busiest = max([v for (h, _), v in months.items() if h == n] or [0])
        total += W["spread"] * max(0, busiest - math.ceil(placed_n / n_months))
    if abs(total - cbc_obj) > 1e-6:
        fail("CBC's plan costs %d by the documented rules, CBC says %.1f" % (total, cbc_obj))

    # coplan itself finds CBC's plan valid: import it with CBC's dates, explain every activity
    for a in doc["activities"]:
        if a["ref"] in starts:
            a["start"], a["end"] = starts[a["ref"]].isoformat(), ends[a["ref"]].isoformat()
        else:
            a.pop("start", None)
            a.pop("end", None)
    with open(os.path.join(TMP, "cbc.json"), "w") as f:
        json.dump(doc, f)
    run("import", "cbc.json", db="cbc.db")
    for ref in starts:
        ans = run("explain", ref, db="cbc.db")
        if "against its constraints" in ans or not ans.startswith(ref + " is placed on " + starts[ref].isoformat()):
            fail("coplan on CBC's plan: " + ans.strip())

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("lp: CBC's optimum equals coplan's score; CBC's plan of %d activities holds" % len(starts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
