#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cbc_store.py - read one CBC run on a library instance and store its row in cbc.tsv.

usage: cbc_store.py CBC.tsv NAME HASH LIMIT LP LOG SOL TIME
The row: name hash status objective bound unplaced soft medium_weight limit cpu_seconds.
unplaced and soft are those of CBC's plan: u_ variables at 1, and objective - M * unplaced
with M the LP's "medium weight" comment.  status: optimal, stopped (incumbent, bound) or
noint (no integer plan: objective, unplaced and soft are -1).
"""
import re
import sys

tsv, name, hsh, limit, lp, log, sol, tim = sys.argv[1:9]
medium = None
with open(lp) as f:
    for _ in range(20):
        m = re.match(r"\\ medium weight: (\d+)", f.readline())
        if m:
            medium = int(m.group(1))
            break
text = open(log).read()
status = "noint"
if "Result - Optimal solution found" in text:
    status = "optimal"
elif re.search(r"Objective value:\s+\S+", text):
    status = "stopped"
obj = bound = -1.0
m = re.search(r"Objective value:\s+(\S+)", text)
if m:
    obj = float(m.group(1))
m = re.search(r"Lower bound:\s+(\S+)", text)
if m:
    bound = float(m.group(1))
elif status == "optimal":
    bound = obj
else:
    # no incumbent: the best bound CBC printed last ("best possible")
    bp = re.findall(r"best possible (\S+)", text)
    if bp:
        bound = float(bp[-1])
unplaced = soft = -1
if status != "noint":
    unplaced = 0
    try:
        for line in open(sol):
            parts = line.split()
            if len(parts) >= 3 and parts[1].startswith("u_") and round(float(parts[2])) == 1:
                unplaced += 1
    except OSError:
        unplaced = -1
    if unplaced >= 0 and medium:
        soft = int(round(obj)) - medium * unplaced
cpu = -1.0
try:
    t = open(tim).read().split()
    cpu = float(t[t.index("cputime") + 1]) + float(t[t.index("cputime") + 2])
except (OSError, ValueError, IndexError):
    pass
row = "%s\t%s\t%s\t%.0f\t%.0f\t%d\t%d\t%d\t%s\t%.1f\n" % (
    name, hsh, status, obj, bound, unplaced, soft, medium or 0, limit, cpu)
try:
    lines = [l for l in open(tsv) if not l.startswith(name + "\t")]
except OSError:
    lines = []
if not lines or not lines[0].startswith("#"):
    lines.insert(0, "# name\thash\tstatus\tobjective\tbound\tunplaced\tsoft\tmedium_weight\tlimit_s\tcpu_s\n")
lines.append(row)
head, rest = lines[0], sorted(lines[1:], key=lambda l: (int(l.split("\t")[0][1:].split("-")[0]), l))
open(tsv, "w").write(head + "".join(rest))
print(row, end="")
