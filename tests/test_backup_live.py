#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_backup_live.py - 'coplan db backup' of a database another process is writing: one writer
# commits a change after another (activity edits, version saves, status changes), logging each
# change once its command has exited 0; meanwhile 'db backup' runs again and again.  Each backup
# must restore ('db restore' into a new database) to one that passes 'db check', holds every
# change committed before the backup started, and holds the changes as a prefix of the writer's
# sequence (a consistent moment, never a mix).  A third connection stays open on the database
# meanwhile, as a server's would: then no coplan command is the last to close it, the WAL is not
# folded into the database file at each exit, and a plain copy of the file would miss changes.
import json, os, shutil, sqlite3, subprocess, sys, threading, time

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
TMP = os.environ["COPLAN_TEST_TMP"]
BACKUPS = int(sys.argv[1]) if len(sys.argv) > 1 else 6

work = os.path.join(TMP, "backup-live.%d" % os.getpid())
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, COPLAN_AUTHOR="Lt Col Test")
DB = os.path.join(work, "live.db")


def coplan(*args, db=DB, check=True):
    p = subprocess.run([BIN, "--db", db] + list(args), env=env, capture_output=True, timeout=300)
    if check and p.returncode != 0:
        sys.exit("FAIL: coplan %s exited %d: %s" % (" ".join(args), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return p


# The writer's changes, in order: change i leaves a mark that a database either holds or not.
def change(i):
    kind = i % 3
    if kind == 0:
        return ["version", "save", "--state", "draft", "--note", "change %d" % i]
    if kind == 1:
        return ["activity", "edit", "IT-01", "--location", "Naples %d" % i]
    return ["activity", "set-status", "JP-03", "confirmed" if i % 2 else "planned",
            "--reason", "change %d" % i]


def marks(db):
    """The changes db holds (version notes, status reasons) and IT-01's location."""
    held = set()
    for v in json.loads(coplan("version", "list", "--format", "json", db=db).stdout):
        if (v.get("note") or "").startswith("change "):
            held.add(int(v["note"].split()[1]))
    for e in json.loads(coplan("activity", "history", "JP-03", "--format", "json", db=db).stdout):
        if (e.get("reason") or "").startswith("change "):
            held.add(int(e["reason"].split()[1]))
    plan = json.loads(coplan("export", "json", db=db).stdout)
    location = next(a.get("location") for a in plan["activities"] if a["ref"] == "IT-01")
    return held, location


def main():
    ex = os.path.join(SRC, "examples", "italy-japan-2024")
    coplan("import", os.path.join(ex, "plan.json"))
    coplan("import", os.path.join(ex, "activities.csv"))
    coplan("schedule", "--seed", "1")
    holder = sqlite3.connect(DB)
    holder.execute("SELECT count(*) FROM sqlite_schema").fetchall()
    committed = []          # (i, monotonic time its command exited 0)
    stop = threading.Event()
    failures = []

    def writer():
        i = 0
        while not stop.is_set():
            p = coplan(*change(i), check=False)
            if p.returncode != 0:
                failures.append("change %d: %s" % (i, p.stderr.decode(errors="replace")))
                return
            committed.append((i, time.monotonic()))
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    results = []
    try:
        while len(committed) < 3 and t.is_alive():
            time.sleep(0.05)
        for b in range(BACKUPS):
            path = os.path.join(work, "backup-%d.db" % b)
            started = time.monotonic()
            before = [i for i, at in committed if at < started]
            coplan("db", "backup", path)
            results.append((path, before))
            time.sleep(0.1)
    finally:
        stop.set()
        t.join()
        holder.close()
    if failures:
        sys.exit("FAIL: the writer's command failed while backups ran: %s" % failures[0])
    for path, before in results:
        restored = path + ".restored.db"
        coplan("init", db=restored)
        coplan("db", "restore", path, db=restored)
        check = coplan("db", "check", db=restored, check=False)
        if check.returncode != 0 or ": ok (" not in check.stdout.decode():
            sys.exit("FAIL: %s restored fails db check: %s %s" % (path, check.stdout.decode(),
                                                                  check.stderr.decode()))
        held, location = marks(restored)
        # the last change the backup holds, from whichever mark tells it
        last = max([i for i in held] + [-1])
        loc = int(location.split()[-1]) if location and location.startswith("Naples ") else -1
        last = max(last, loc)
        missing = [i for i in before if i % 3 != 1 and i not in held]
        if missing:
            sys.exit("FAIL: %s lacks changes committed before it started: %s" % (path, missing[:5]))
        if before and loc < max(i for i in before if i % 3 == 1):
            sys.exit("FAIL: %s holds IT-01 at '%s', older than a change committed before it started"
                     % (path, location))
        holes = [i for i in range(last + 1) if i % 3 != 1 and i not in held]
        if holes:
            sys.exit("FAIL: %s holds change %d but not change %d: not one moment" % (path, last, holes[0]))
    print("db backup during writes: %d backups while %d changes were committed; each restored "
          "passes db check and holds every change committed before it began (%s of them), as one "
          "consistent prefix" % (len(results), len(committed),
                                 ", ".join(str(len(b)) for _, b in results)))
    shutil.rmtree(work, ignore_errors=True)
    return 0


sys.exit(main())
