#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""plot_curves.py - soft cost against time, per library instance, as one SVG (no plotting library).

usage: bench/library/plot_curves.py CBC.tsv OUT.svg CURVE.tsv...
CURVE.tsv: coplan_bench_library run -C -c output (name, CPU seconds, unplaced, soft: the best so far at
each progress report).  One panel per instance: the soft cost of the best plan found so far, from
the moment its unplaced count is the final one (before that the soft costs are not comparable),
on a logarithmic time axis; a dashed line at CBC's stored soft cost when CBC's plan leaves as many
unplaced.
"""
import math
import sys

cbc = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    f = line.split("\t")
    cbc[f[0]] = (f[2], int(f[5]), int(f[6]))
curves = {}
for path in sys.argv[3:]:
    for line in open(path):
        f = line.split("\t")
        if f[0] == "name":
            continue
        curves.setdefault(f[0], []).append((float(f[1]), int(f[2]), int(f[3])))
names = sorted(curves, key=lambda n: (int(n[1:].split("-")[0]), n))
W, H, cols = 330, 220, 3
rows = (len(names) + cols - 1) // cols
out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
       % (W * cols, H * rows + 30),
       '<rect width="100%" height="100%" fill="white"/>',
       '<text x="10" y="18" font-size="13">coplan: soft cost of the best plan so far against time in CPU seconds '
       '(log scale); dashed: CBC\'s plan with as many unplaced</text>']
for idx, name in enumerate(names):
    pts = curves[name]
    final_u = pts[-1][1]
    pts = [p for p in pts if p[1] == final_u and p[0] > 0]
    ox, oy = (idx % cols) * W + 55, (idx // cols) * H + 40
    pw, ph = W - 75, H - 70
    ref = cbc.get(name)
    ys = [p[2] for p in pts] + ([ref[2]] if ref and ref[1] == final_u else [])
    if not pts:
        continue
    y0, y1 = min(ys), max(ys)
    if y1 == y0:
        y1 = y0 + 1
    x0, x1 = math.log10(min(0.01, pts[0][0])), math.log10(max(pts[-1][0], 1.0))
    X = lambda t: ox + (math.log10(max(t, 10 ** x0)) - x0) / (x1 - x0) * pw
    Y = lambda v: oy + ph - (v - y0) / (y1 - y0) * ph
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>' % (ox, oy, pw, ph))
    label = "%s: %d unplaced" % (name, final_u)
    if ref:
        label += ", CBC %s %d" % (ref[0], ref[1])
    out.append('<text x="%d" y="%d">%s</text>' % (ox, oy - 6, label))
    for t in range(int(math.floor(x0)), int(math.ceil(x1)) + 1):
        if x0 <= t <= x1:
            out.append('<text x="%.1f" y="%d" text-anchor="middle">%gs</text>' % (X(10 ** t), oy + ph + 13, 10 ** t))
    for v in (y0, y1):
        out.append('<text x="%d" y="%.1f" text-anchor="end">%d</text>' % (ox - 3, Y(v) + 4, v))
    path = []
    last = None
    for t, _, v in pts:
        if last is not None:
            path.append("L%.1f,%.1f" % (X(t), Y(last)))
        path.append(("M" if not path else "L") + "%.1f,%.1f" % (X(t), Y(v)))
        last = v
    out.append('<path d="%s" fill="none" stroke="#1f77b4" stroke-width="1.5"/>' % " ".join(path))
    if ref and ref[1] == final_u:
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#d62728" stroke-dasharray="4,3"/>'
                   % (ox, ox + pw, Y(ref[2]), Y(ref[2])))
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
