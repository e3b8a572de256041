#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_releasability_matrix.py - who may read what: nations x clearances x caveats x labels.

The expected answers come from an oracle written here, independently of
src/label.c, from the same policy file (data/label-policy.json): a reader
sees an activity when the label (the plan's, "UNCLASSIFIED", when the
activity has none) parses, the reader's clearance is at least its
classification, the reader's nation is in its REL TO list (when it has
one), and the reader holds each of its caveats.  A label that does not
parse denies.  The library's answers come from tests/tools/releasability_decide,
which loads the plan through the service layer as each reader.
"""
import itertools
import json
import os
import re
import subprocess
import sys

SRC = os.environ["COPLAN_SOURCE_DIR"]
DECIDE = os.environ["COPLAN_RELEASABILITY_DECIDE"]
TMP = os.environ["COPLAN_TEST_TMP"]

with open(os.path.join(SRC, "data", "label-policy.json"), encoding="utf-8") as f:
    POLICY = json.load(f)

LEVELS = {}
for i, c in enumerate(POLICY["classifications"]):
    for name in [c["name"]] + c.get("aliases", []):
        LEVELS[name.upper()] = i
CAVEATS = {c.upper() for c in POLICY["caveats"]}
POLICIES = {p.upper() for p in POLICY.get("policies", [])}
NATIONS = {"GBR", "ITA", "JPN", "FRA", "USA", "DEU"}


def parse(text):
    """(level, caveats, nations or None) or None when the label does not parse."""
    words = text.upper().replace(",", " , ").split()
    if not words:
        return None
    if words[0] in POLICIES and len(words) > 1:
        words = words[1:]
    level = None
    for n in range(len(words), 0, -1):  # the longest classification first ("TOP SECRET")
        name = " ".join(words[:n])
        if name in LEVELS:
            level, words = LEVELS[name], words[n:]
            break
    if level is None:
        return None
    caveats = set()
    while words and words[0] in CAVEATS:
        caveats.add(words.pop(0))
    if not words:
        return level, caveats, None
    if words[:2] != ["REL", "TO"]:
        return None
    nations = [w for w in words[2:] if w != ","]
    if not nations or any(not re.fullmatch(r"[A-Z]{3}", n) or n not in NATIONS for n in nations):
        return None
    return level, caveats, set(nations)


def permits(label, nation, clearance, held):
    parsed = parse(label if label != "-" else "UNCLASSIFIED")
    if parsed is None:
        return False
    level, caveats, nations = parsed
    mine = 0 if clearance == "-" else LEVELS[clearance.upper()]
    return mine >= level and (nations is None or nation in nations) and caveats <= held


LABELS = [
    "-",
    "UNCLASSIFIED",
    "NATO UNCLASSIFIED",
    "RESTRICTED",
    "RESTRICTED REL TO ITA, JPN",
    "RESTRICTED REL TO JPN",
    "restricted rel to gbr",
    "CONFIDENTIAL REL TO GBR, ITA",
    "RISERVATO REL TO ITA",
    "SECRET",
    "SECRET CRYPTO",
    "NATO SECRET CRYPTO REL TO GBR, ITA, JPN",
    "SECRET ATOMAL CRYPTO REL TO ITA",
    "TOP SECRET",
    "COSMIC TOP SECRET REL TO GBR",
    "UNCLASSIFIED CRYPTO REL TO FRA",
    "BOGUS",                      # no such classification
    "RESTRICTED REL TO",          # REL TO without a nation
    "SECRET NOFORN",              # a caveat the policy does not name
    "RESTRICTED REL TO ITA JPN",  # spaces between nations: allowed
]
READERS = list(itertools.product(["GBR", "ITA", "JPN"], ["-", "RESTRICTED", "SECRET", "TOP SECRET"],
                                 ["-", "CRYPTO", "ATOMAL CRYPTO"]))


def main():
    cases = "".join(f"L\t{l}\n" for l in LABELS)
    cases += "".join(f"U\t{n}\t{c}\t{v}\n" for n, c, v in READERS)
    db = os.path.join(TMP, f"releasability-matrix.{os.getpid()}.db")
    out = subprocess.run([DECIDE, db, os.path.join(SRC, "examples", "italy-japan-2024")],
                         input=cases, capture_output=True, text=True, check=False)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        return 1
    rows = [l.split("\t") for l in out.stdout.splitlines()]
    if len(rows) != len(LABELS) * len(READERS):
        print(f"FAIL: {len(rows)} decisions, expected {len(LABELS) * len(READERS)}", file=sys.stderr)
        return 1
    wrong = 0
    granted = 0
    for nation, clearance, caveats, label, got in rows:
        held = set() if caveats == "-" else set(caveats.upper().split())
        want = permits(label, nation, clearance, held)
        granted += want
        if want != (got == "1"):
            wrong += 1
            print(f"FAIL: {nation} cleared {clearance} holding {caveats}, label '{label}': "
                  f"library {'sees' if got == '1' else 'does not see'}, oracle says "
                  f"{'sees' if want else 'does not'}", file=sys.stderr)
    # the matrix must hold both answers plenty of times, or it proves little
    if granted < 50 or len(rows) - granted < 50:
        print(f"FAIL: a lopsided matrix ({granted} of {len(rows)} granted)", file=sys.stderr)
        return 1
    print(f"{len(rows)} decisions, {granted} granted, {wrong} wrong")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
