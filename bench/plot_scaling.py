#!/usr/bin/env python3
"""plot_scaling.py - the scheduler's scaling plot from bench/run-cbc.sh's summary.json.

usage: bench/plot_scaling.py OUT_DIR docs/bench/scaling.svg   (Debian's python3-matplotlib)
Left: coplan's time to the first valid plan and CBC's wall time, by plan size.
Right: coplan's objective after each time limit relative to CBC's best solution, and CBC's
best bound relative to the same (1.0 = CBC's solution; below the bound line is impossible).
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    out, dest = sys.argv[1], sys.argv[2]
    rows = [d for d in json.load(open(os.path.join(out, "summary.json"))) if "n" in d]
    n = [d["n"] for d in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.loglog(n, [max(d["first"], 1e-4) for d in rows], "o-", label="coplan: first valid plan")
    cn = [d["n"] for d in rows if d["cbc"] and d["cbc"].get("wall")]
    ax1.loglog(cn, [d["cbc"]["wall"] for d in rows if d["cbc"] and d["cbc"].get("wall")], "s--",
               label="CBC: wall time (stopped at its limit)")
    ax1.set_xlabel("activities")
    ax1.set_ylabel("seconds")
    ax1.set_title("time")
    ax1.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=8)
    limits = sorted({float(l) for d in rows for l in d["coplan"]})
    for l in limits:
        xs, ys = [], []
        for d in rows:
            c = d["coplan"].get(str(l)) or d["coplan"].get(l)
            if c and c.get("obj") and d["cbc"] and d["cbc"].get("obj"):
                xs.append(d["n"])
                ys.append(c["obj"] / d["cbc"]["obj"])
        if xs:
            ax2.semilogx(xs, ys, "o-", label="coplan after %g s" % l)
    xs = [d["n"] for d in rows if d["cbc"] and d["cbc"].get("obj") and d["cbc"].get("bound")]
    ax2.semilogx(xs, [d["cbc"]["bound"] / d["cbc"]["obj"] for d in rows
                      if d["cbc"] and d["cbc"].get("obj") and d["cbc"].get("bound")], "k:", label="CBC best bound")
    ax2.axhline(1.0, color="grey", lw=0.8)
    ax2.set_xlabel("activities")
    ax2.set_ylabel("objective / CBC's best solution")
    ax2.set_title("quality (lower is better)")
    ax2.grid(True, which="both", alpha=0.3)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    fig.savefig(dest)


if __name__ == "__main__":
    main()
