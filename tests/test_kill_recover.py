#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_kill_recover.py - kill -9 at random moments during import, schedule and version save of a
# generated larger plan: each time the database is as before or as after (never partly changed),
# passes 'coplan db check', and the next command works.
import json, os, random, shutil, signal, subprocess, sys, time

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
TMP = os.environ["COPLAN_TEST_TMP"]
# The number of kills (split over the three commands): the first argument, else
# COPLAN_KILL_TRIALS, else 100 (issue 18's figure) in the plain build.  Under the sanitizers
# every command runs many times slower: 30 kills of a smaller plan there.
SANITIZED = "ASAN_OPTIONS" in os.environ
TRIALS = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("COPLAN_KILL_TRIALS",
                                                                         "30" if SANITIZED else "100"))
ROWS = int(os.environ.get("COPLAN_KILL_ROWS", "300" if SANITIZED else "1500"))
SEED = int(os.environ.get("COPLAN_KILL_SEED", "18"))

work = os.path.join(TMP, "kill.%d" % os.getpid())
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, COPLAN_AUTHOR="Lt Col Test")
DB = os.path.join(work, "live.db")


def coplan(*args, db=DB, check=True):
    p = subprocess.run([BIN, "--db", db] + list(args), env=env, capture_output=True, timeout=120)
    if check and p.returncode != 0:
        sys.exit("FAIL: coplan %s exited %d: %s" % (" ".join(args), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return p


def strip_uuids(value):
    """An import gives new activities random UUIDs: compare all else."""
    if isinstance(value, dict):
        return {k: strip_uuids(v) for k, v in value.items() if k != "uuid"}
    if isinstance(value, list):
        return [strip_uuids(v) for v in value]
    return value


def state():
    """What a command may change: the plan as JSON and the versions (number, state, author)."""
    plan = json.dumps(strip_uuids(json.loads(coplan("export", "json").stdout)), sort_keys=True)
    versions = json.loads(coplan("version", "list", "--format", "json").stdout)
    return plan, [(v["number"], v["state"], v["author"]) for v in versions]


def put(src):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(DB + suffix):
            os.unlink(DB + suffix)
    shutil.copyfile(src, DB)


def main():
    ex = os.path.join(SRC, "examples", "italy-japan-2024")
    rng = random.Random(SEED)
    sheet = os.path.join(work, "generated.csv")
    with open(sheet, "w") as f:
        f.write("ref,title,area,kind,host,participants,units,duration,mode,earliest,latest,"
                "requested,after,location,notes\n")
        for i in range(ROWS):
            f.write("G-%05d,Generated activity %d,training,course,%s,ITA;JPN,Unit %d,%d,working,,,"
                    "2024-%02d,,Somewhere,\n" % (i, i, rng.choice(["ITA", "JPN"]), i % 40,
                                                 rng.randint(1, 5), rng.randint(2, 12)))
    # the three starting points, each a file with no -wal beside it
    coplan("import", os.path.join(ex, "plan.json"))
    coplan("db", "backup", os.path.join(work, "before-import.db"))
    cases = []
    for name, args in (("import", ["import", sheet]),
                       ("schedule", ["schedule", "--seed", "1"]),
                       ("version save", ["version", "save", "--state", "draft", "--note", "killed?"])):
        start = os.path.join(work, "before-%s.db" % name.replace(" ", "-"))
        coplan("db", "backup", start)
        before = state()
        t0 = time.monotonic()
        coplan(*args)
        took = time.monotonic() - t0
        after = state()
        if before == after:
            sys.exit("FAIL: %s changed nothing: the trial could not tell a partial change" % name)
        cases.append((name, args, start, before, after, took))
    counts = {"before": 0, "after": 0}
    for t in range(TRIALS):
        name, args, start, before, after, took = cases[t % len(cases)]
        put(start)
        delay = rng.uniform(0, took * 1.1)
        p = subprocess.Popen([BIN, "--db", DB] + args, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        check = coplan("db", "check", check=False)
        if check.returncode != 0:
            sys.exit("FAIL: trial %d (%s killed after %.3f s): db check: %s %s" % (
                t, name, delay, check.stdout.decode(), check.stderr.decode()))
        now = state()
        if now == before:
            counts["before"] += 1
        elif now == after:
            counts["after"] += 1
        else:
            shutil.copyfile(DB, os.path.join(TMP, "kill-partial.db"))
            sys.exit("FAIL: trial %d (%s killed after %.3f s): the database is partly changed "
                     "(kept as %s/kill-partial.db); versions now %s, before %s, after %s" % (
                         t, name, delay, TMP, now[1], before[1], after[1]))
        # the next command works (and the same command run again too)
        coplan("version", "save", "--state", "draft", "--note", "after the kill")
    print("kill -9: %d trials (import of %d rows, schedule, version save): %d left the database as "
          "before, %d as after, 0 partial; db check ok and the next command worked every time" % (
              TRIALS, ROWS, counts["before"], counts["after"]))
    shutil.rmtree(work, ignore_errors=True)
    return 0


sys.exit(main())
