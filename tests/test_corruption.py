#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_corruption.py - seeded damaged copies of the example database (byte flips, zeroed runs,
# truncations) x 5 reading commands: no crash, and no run that exits 0 with output other than
# the undamaged database's (each either matches or is refused with a message).
import os, random, shutil, subprocess, sys

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
TMP = os.environ["COPLAN_TEST_TMP"]
COPIES = int(os.environ.get("COPLAN_CORRUPTION_COPIES", "20" if "ASAN_OPTIONS" in os.environ else "80"))
SEED = int(os.environ.get("COPLAN_CORRUPTION_SEED", "18"))
COMMANDS = [
    ["version", "list"],
    ["activity", "history"],
    ["report", "--execution"],
    ["export", "json"],
    ["version", "compare", "1", "2"],
]

work = os.path.join(TMP, "corruption.%d" % os.getpid())
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, COPLAN_AUTHOR="Lt Col Test", COPLAN_BUSY_TIMEOUT="2000")


def coplan(db, *args, check=False):
    p = subprocess.run([BIN, "--db", db] + list(args), env=env, capture_output=True, timeout=60)
    if check and p.returncode != 0:
        sys.exit("FAIL: setup: coplan %s: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    return p


def main():
    good = os.path.join(work, "good.db")
    ex = os.path.join(SRC, "examples", "italy-japan-2024")
    coplan(good, "plan", ex, "-o", os.path.join(work, "out"), check=True)
    coplan(good, "version", "save", "--state", "agreed", check=True)
    coplan(good, "version", "save", "--state", "signed", check=True)
    coplan(good, "activity", "import", os.path.join(ex, "execution.csv"), check=True)
    # one file, no -wal beside it: what a copied database looks like
    coplan(good, "db", "backup", os.path.join(work, "example.db"), check=True)
    example = os.path.join(work, "example.db")
    expected = []
    for cmd in COMMANDS:
        p = coplan(example, *cmd)
        if p.returncode != 0:
            sys.exit("FAIL: undamaged: %s exited %d: %s" % (cmd, p.returncode, p.stderr.decode()))
        expected.append(p.stdout)
    data = open(example, "rb").read()
    rng = random.Random(SEED)
    crashes = wrong = refused = matched = 0
    for i in range(COPIES):
        damaged = bytearray(data)
        kind = i % 4
        if kind == 0:      # a few single-byte flips anywhere past the header
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(100, len(damaged))
                damaged[at] ^= 1 << rng.randrange(8)
        elif kind == 1:    # a run of zeros, as a torn or lost write leaves
            at = rng.randrange(100, len(damaged) - 512)
            n = rng.randint(16, 512)
            damaged[at:at + n] = bytes(n)
        elif kind == 2:    # truncated
            damaged = damaged[:rng.randrange(100, len(damaged))]
        else:              # a random byte rewritten on each of a few pages
            for _ in range(rng.randint(1, 3)):
                page = rng.randrange(1, len(damaged) // 4096)
                at = page * 4096 + rng.randrange(4096)
                damaged[at] = rng.randrange(256)
        path = os.path.join(work, "damaged.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
        with open(path, "wb") as f:
            f.write(damaged)
        for cmd, want in zip(COMMANDS, expected):
            p = coplan(path, *cmd)
            err = p.stderr.decode(errors="replace")
            if p.returncode < 0 or p.returncode > 2 or "Sanitizer" in err or "runtime error" in err:
                crashes += 1
                print("CRASH: copy %d (kind %d), %s: exit %d\n%s" % (i, kind, cmd, p.returncode, err[-2000:]))
            elif p.returncode == 0 and p.stdout != want:
                wrong += 1
                print("WRONG: copy %d (kind %d), %s exited 0 with other output" % (i, kind, cmd))
            elif p.returncode == 0:
                matched += 1
            else:
                refused += 1
                if "coplan: error:" not in err:
                    wrong += 1
                    print("SILENT: copy %d, %s exited %d without a message" % (i, cmd, p.returncode))
    runs = COPIES * len(COMMANDS)
    print("corruption: %d damaged copies x %d commands = %d runs: %d matched, %d refused, "
          "%d crashed, %d wrong" % (COPIES, len(COMMANDS), runs, matched, refused, crashes, wrong))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if crashes or wrong else 0


sys.exit(main())
