#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cbc_report.py - the benchmark's summary (Markdown) from bench/run-cbc.sh's output directory.

usage: bench/cbc_report.py OUT_DIR > OUT_DIR/summary.md
Objective of a plan on the LP: M * unplaced + soft cost (M = "medium weight" in the LP's header);
coplan's is M * -medium - soft.  CBC's figures come from its log (Result, Objective value,
Lower bound) and /usr/bin/time -v (wall clock, maximum resident set size).
"""
import glob
import json
import os
import re
import sys


def kv(line):
    return dict(re.findall(r"(\S+)=(\S+)", line))


def cbc(out, name):
    r = {"name": name}
    try:
        log = open(os.path.join(out, "cbc-%s.log" % name)).read()
    except OSError:
        return None
    head = open(os.path.join(out, "%s.lphead" % name)).read()
    r["M"] = int(re.search(r"medium weight: (\d+)", head).group(1))
    r["lp_mb"] = int(open(os.path.join(out, "%s.lpsize" % name)).read()) / 1e6
    m = re.search(r"^Result - (.*)$", log, re.M)
    r["result"] = m.group(1).strip() if m else None
    m = re.search(r"^Objective value:\s+(\S+)", log, re.M)
    r["obj"] = float(m.group(1)) if m else None
    m = re.search(r"^Lower bound:\s+(\S+)", log, re.M)
    r["bound"] = float(m.group(1)) if m else (r["obj"] if r["result"] and "Optimal" in r["result"] else None)
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", log)
    if m:
        parts = [float(x) for x in m.group(1).split(":")]
        r["wall"] = sum(v * 60 ** (len(parts) - 1 - k) for k, v in enumerate(parts))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", log)
    r["rss_mb"] = int(m.group(1)) / 1024 if m else None
    if not r["result"]:
        tail = [l for l in log.splitlines() if l.strip() and not l.startswith("\t")]
        r["result"] = "no result: " + (tail[-1][:120] if tail else "empty log")
    r["unplaced"] = None
    r["starts"] = {}
    try:
        sol = open(os.path.join(out, "cbc-%s.sol" % name)).read().splitlines()
        u = 0
        for line in sol[1:]:
            f = line.split()
            if len(f) >= 3 and abs(float(f[2]) - 1) < 1e-6:
                if f[1].startswith("u_"):
                    u += 1
                elif f[1].startswith("x_"):
                    _, a, d = f[1].split("_")
                    r["starts"][int(a)] = int(d)
        # a solution only when CBC found an integer one (not "continuous used")
        ok = sol and "objective value" in sol[0] and "no integer solution" not in sol[0]
        r["unplaced"] = u if ok else None
        if not ok:
            r["starts"] = None
    except OSError:
        pass
    return r


def fmt(v, spec="%.0f"):
    return "—" if v is None else spec % v


def main():
    out = sys.argv[1]
    rows = []
    replan = None
    for path in sorted(glob.glob(os.path.join(out, "coplan-*.txt"))):
        text = open(path).read().splitlines()
        res = [kv(l) for l in text if l.startswith("result ")]
        if not res:
            continue
        c = res[0]
        n = int(c["n"])
        limits = sorted(float(k.split("@")[1]) for k in c if k.startswith("medium@"))
        b = cbc(out, "plan-%d" % n)
        rows.append((n, c, limits, b))
        for l in text:
            if l.startswith("replan "):
                replan = (kv(l), cbc(out, "replan-%d" % n), out)
    rows.sort(key=lambda r: r[0])
    data = []
    print("| activities/units/nations | coplan first valid plan (s) | coplan after %s s: unplaced / soft | CBC: result, unplaced / soft, best bound | CBC time (s), peak RSS (MB), LP (MB) | coplan gap to CBC's solution (unplaced; soft) and to its bound | coplan evals/s | coplan RSS (MB) |"
          % ", ".join("%g" % l for l in rows[-1][2]))
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n, c, limits, b in rows:
        cells = []
        objs = {}
        for l in limits:
            med, soft = float(c["medium@%g" % l]), float(c["soft@%g" % l])
            cells.append("%g s: %d / %d" % (l, -med, -soft))
            if b:
                objs[l] = b["M"] * -med - soft
        d = {"n": n, "units": int(c["units"]), "nations": int(c["nations"]), "first": float(c["first"]),
             "evals": float(c["evals_per_s"]), "rss": float(c["rss_mb"]), "coplan": {}, "cbc": None}
        for l in limits:
            d["coplan"][l] = {"unplaced": -float(c["medium@%g" % l]), "soft": -float(c["soft@%g" % l]),
                              "obj": objs.get(l)}
        gap = "—"
        if b and (b["obj"] is not None or b["bound"] is not None):
            last = limits[-1]
            parts = []
            for l in limits:
                g = []
                cu, cs = -float(c["medium@%g" % l]), -float(c["soft@%g" % l])
                if b["obj"] is not None and b["unplaced"] is not None:
                    bs = b["obj"] - b["M"] * b["unplaced"]
                    g.append("unplaced %+d, soft %+.1f%%" % (cu - b["unplaced"], 100 * (cs - bs) / max(bs, 1)))
                if b["bound"] is not None and b["bound"] != b["obj"]:
                    # the bound in the same units: unplaced at least floor(bound / M), soft the rest
                    bu = int(b["bound"] // b["M"])
                    bsb = b["bound"] - b["M"] * bu
                    g.append("to bound: unplaced %+d, soft %+.1f%%" % (cu - bu, 100 * (cs - bsb) / max(bsb, 1)))
                parts.append("%g s: %s" % (l, "; ".join(g)))
            gap = "<br>".join(parts)
            d["cbc"] = {"obj": b["obj"], "bound": b["bound"], "wall": b.get("wall"), "rss": b.get("rss_mb"),
                        "unplaced": b["unplaced"], "M": b["M"]}
        if b:
            cs = "—"
            if b["obj"] is not None and b["unplaced"] is not None:
                cs = "%d / %d" % (b["unplaced"], b["obj"] - b["M"] * b["unplaced"])
            cbc_cell = "%s, %s, bound %s" % (b["result"], cs, fmt(b["bound"]))
            cbc_res = "%s, %s, %.0f" % (fmt(b.get("wall"), "%.1f"), fmt(b.get("rss_mb")), b["lp_mb"])
        else:
            cbc_cell, cbc_res = "not run", "—"
        print("| %d/%s/%s | %.3f | %s | %s | %s | %s | %.2f M | %.0f |" % (
            n, c["units"], c["nations"], float(c["first"]), "<br>".join(cells), cbc_cell, cbc_res, gap,
            float(c["evals_per_s"]) / 1e6, float(c["rss_mb"])))
        data.append(d)
    if replan:
        r, b, _ = replan
        line = "\nRe-planning at %s activities (one activity's window moved past its start): coplan %.1f ms, %s activities moved" % (
            r["n"], 1000 * float(r["seconds"]), r["moved"])
        if b and b["starts"] is not None and b["obj"] is not None:
            prev = {}
            for l in open(os.path.join(out, "replan-%s.prev" % r["n"])):
                i, d = l.split()
                prev[int(i)] = int(d)
            moved = sum(1 for i, d in prev.items() if b["starts"].get(i, -1) != d)
            line += "; CBC with a move weight of 1,000 per day (%s, %.0f s): %d moved" % (b["result"], b.get("wall") or 0, moved)
            data.append({"replan": {"coplan_ms": 1000 * float(r["seconds"]), "coplan_moved": int(r["moved"]), "cbc_moved": moved}})
        elif b:
            line += "; CBC: %s" % b["result"]
        print(line + ".")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(data, f, indent=1)


if __name__ == "__main__":
    main()
