#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""plot_scaling.py - the scheduler's scaling plot from bench/run-cbc.sh's summary.json.

usage: bench/plot_scaling.py OUT_DIR docs/bench/scaling.svg   (Debian's python3-matplotlib)
Left: coplan's time to the first valid plan and CBC's wall time, by plan size.
Right: the share of activities coplan leaves unplaced after each time limit (the generated plans
hold impossible ones), CBC's optimum where it finished, and the least its best bound allows.
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
            if c:
                xs.append(d["n"])
                ys.append(100 * c["unplaced"] / d["n"])
        ax2.semilogx(xs, ys, "o-", label="coplan after %g s" % l)
    xs = [d["n"] for d in rows if d["cbc"] and d["cbc"].get("unplaced") is not None]
    ax2.semilogx(xs, [100 * d["cbc"]["unplaced"] / d["n"] for d in rows
                      if d["cbc"] and d["cbc"].get("unplaced") is not None], "ks", label="CBC optimum")
    xs = [d["n"] for d in rows if d["cbc"] and d["cbc"].get("bound") and d["cbc"].get("unplaced") is None]
    ax2.semilogx(xs, [100 * (d["cbc"]["bound"] // d["cbc"]["M"]) / d["n"] for d in rows
                      if d["cbc"] and d["cbc"].get("bound") and d["cbc"].get("unplaced") is None],
                 "kx", label="CBC bound (at least)")
    ax2.set_xlabel("activities")
    ax2.set_ylabel("% of activities unplaced")
    ax2.set_title("unplaced (lower is better)")
    ax2.grid(True, which="both", alpha=0.3)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    fig.savefig(dest)


if __name__ == "__main__":
    main()
