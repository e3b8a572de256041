#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_audit_tamper.py - the audit log against someone with the file: the guards are dropped with the
# sqlite3 command, then a row is modified, deleted, reordered, inserted (naively, and with leaves
# recomputed), a checkpoint's signature or root damaged: `coplan audit verify` catches each and names
# the first entry that differs.  Leaves and roots are recomputed here, independently, from the
# encoding docs/internals/audit.md documents.  The test makes its own CA and office key with openssl.
import hashlib, os, shutil, subprocess, sys

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
TMP = os.environ["COPLAN_TEST_TMP"]

if not shutil.which("sqlite3") or not shutil.which("openssl"):
    print("SKIP: needs the sqlite3 and openssl commands")
    sys.exit(77)

work = os.path.join(TMP, "audit_tamper.%d" % os.getpid())
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, COPLAN_AUTHOR="Lt Col Test", COPLAN_BUSY_TIMEOUT="2000")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(args, check=True, stdin=None):
    p = subprocess.run(args, env=env, capture_output=True, timeout=120, input=stdin)
    if check and p.returncode != 0:
        sys.exit("FAIL: setup: %s: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    return p


def coplan(db, *args, check=True, stdin=None):
    return run([BIN, "--db", db] + list(args), check=check, stdin=stdin)


def sql(db, statement, check=True):
    return run(["sqlite3", db, statement], check=check)


def rows(db, query):
    out = sql(db, query).stdout.decode()
    return [line.split("|") for line in out.splitlines()]


# ---- the encoding of docs/internals/audit.md, written again here -----------------------------

FIELDS = "seq, at, account_id, account_name, coalesce(nation, ''), action, object, outcome, error, " \
         "coalesce(before_sha256, ''), coalesce(after_sha256, ''), leaf_sha256"


def leaf(row):
    seq, at, account, name, nation, action, obj, outcome, error, before, after = row[:11]
    data = b""
    for field in ["coplan audit entry 1", seq, at, account, name, nation, action, obj, outcome,
                  error, before, after]:
        b = field.encode()
        data += len(b).to_bytes(4, "big") + b
    return hashlib.sha256(b"\x00" + data).hexdigest()


def mth(leaves):
    # RFC 9162 2.1.1
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def entries(db):
    return rows(db, "SELECT %s FROM audit_entry ORDER BY seq" % FIELDS)


# ---- a database with a history, two checkpoints, a CA --------------------------------------

def pki():
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", os.path.join(work, "ca.key"), "-out", os.path.join(work, "ca.pem"), "-days", "3650",
         "-subj", "/C=IT/O=coplan test/CN=ITA audit test CA",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", os.path.join(work, "office.key"), "-out", os.path.join(work, "office.csr"),
         "-subj", "/C=IT/O=coplan test/CN=ITA cooperation office"])
    with open(os.path.join(work, "office.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n")
    run(["openssl", "x509", "-req", "-in", os.path.join(work, "office.csr"),
         "-CA", os.path.join(work, "ca.pem"), "-CAkey", os.path.join(work, "ca.key"),
         "-CAcreateserial", "-out", os.path.join(work, "office.pem"), "-days", "365",
         "-extfile", os.path.join(work, "office.ext")])
    # another CA, which did not issue the office's certificate
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", os.path.join(work, "rogue.key"), "-out", os.path.join(work, "rogue.pem"),
         "-days", "3650", "-subj", "/C=XX/CN=rogue CA",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])


def checkpoint(db):
    coplan(db, "audit", "checkpoint", "--cert", os.path.join(work, "office.pem"),
           "--key", os.path.join(work, "office.key"))


def verify(db, ca=True):
    args = ["audit", "verify"] + (["--ca", os.path.join(work, "ca.pem")] if ca else [])
    p = coplan(db, *args, check=False)
    return p.returncode, (p.stdout + p.stderr).decode(errors="replace")


def build():
    live = os.path.join(work, "live.db")
    ex = os.path.join(SRC, "examples", "italy-japan-2024")
    coplan(live, "import", os.path.join(ex, "plan.json"))
    coplan(live, "import", os.path.join(ex, "activities.csv"))
    coplan(live, "schedule")
    coplan(live, "activity", "edit", "IT-01", "--title", "Staff talks, first round")
    coplan(live, "user", "add", "kim", "--nation", "ITA", stdin=b"a long enough password\n")
    # a refusal: an amendment of a plan that is not signed (a rule of the record)
    p = coplan(live, "amend", check=False)
    if p.returncode == 0:
        fail("amend of an unsigned plan was not refused")
    coplan(live, "version", "save", "--state", "draft")
    checkpoint(live)
    coplan(live, "activity", "edit", "IT-02", "--title", "Second round")
    coplan(live, "plan", "grant", "kim", "viewer")
    checkpoint(live)
    coplan(live, "activity", "edit", "IT-03", "--title", "Third round")
    # one file, no -wal beside it
    good = os.path.join(work, "good.db")
    coplan(live, "db", "backup", good)
    return good


def copy_without_guards(good, name):
    db = os.path.join(work, name + ".db")
    shutil.copy(good, db)
    sql(db, "DROP TRIGGER audit_entry_append_only; DROP TRIGGER audit_entry_kept; "
            "DROP TRIGGER audit_entry_new; DROP TRIGGER audit_checkpoint_append_only; "
            "DROP TRIGGER audit_checkpoint_kept; DROP TRIGGER audit_checkpoint_new;")
    return db


def expect_caught(db, what, needle):
    rc, out = verify(db)
    if rc != 1:
        fail("%s: audit verify exited %d, expected 1: %s" % (what, rc, out.strip()))
    elif needle not in out:
        fail("%s: the message does not say '%s': %s" % (what, needle, out.strip()))
    else:
        print("ok: %s: %s" % (what, out.strip()))


def main():
    pki()
    good = build()
    log = entries(good)
    n = len(log)
    actions = [r[5] for r in log]
    print("entries: %d (%s)" % (n, ", ".join(actions)))

    # every kind of change and the refusal are in the log, as the leaves say
    for action in ["import", "schedule", "activity edit", "user add", "amend", "version",
                   "audit checkpoint"]:
        if action not in actions:
            fail("no '%s' entry in the log" % action)
    if not any(r[7] == "refused" and r[5] == "amend" and r[8] == "-11" for r in log):
        fail("the refused amendment (COPLAN_ECONFLICT, -11) is not logged as refused")
    for r in log:
        if leaf(r) != r[11]:
            fail("entry %s: the leaf stored is not the documented encoding's" % r[0])
    for cid, size, root in rows(good, "SELECT id, tree_size, root_sha256 FROM audit_checkpoint"):
        want = mth([bytes.fromhex(leaf(r)) for r in log[:int(size)]]).hex()
        if want != root:
            fail("checkpoint %s: root %s, RFC 9162 gives %s" % (cid, root, want))

    # the guards refuse changes while they stand
    guarded = os.path.join(work, "guarded.db")
    shutil.copy(good, guarded)
    for statement in ["UPDATE audit_entry SET object = 'x' WHERE seq = 1",
                      "DELETE FROM audit_entry WHERE seq = 1",
                      "INSERT OR REPLACE INTO audit_entry SELECT * FROM audit_entry WHERE seq = 1",
                      "UPDATE audit_checkpoint SET tree_size = 1"]:
        if sql(guarded, statement, check=False).returncode == 0:
            fail("the guards let through: " + statement)

    # a clean database verifies, signatures and all
    rc, out = verify(good)
    if rc != 0 or "audit log intact: %d entries, 2 checkpoints, 2 signatures verified" % n not in out:
        fail("the clean log does not verify: %d %s" % (rc, out))
    else:
        print("ok: clean: " + out.strip())
    # and db check misses the guards once they are gone
    db = copy_without_guards(good, "noguards")
    p = coplan(db, "db", "check", check=False)
    if p.returncode == 0 or b"audit_entry_kept" not in p.stdout + p.stderr:
        fail("db check does not report the audit log's dropped guards")

    # modified: one row's object changed
    db = copy_without_guards(good, "modified")
    sql(db, "UPDATE audit_entry SET object = 'plan 1 activity IT-99' WHERE seq = 4")
    expect_caught(db, "a modified row", "entry 4 differs")

    # deleted: one row gone
    db = copy_without_guards(good, "deleted")
    sql(db, "DELETE FROM audit_entry WHERE seq = 3")
    expect_caught(db, "a deleted row", "entry 3 is missing")

    # the newest rows deleted: the checkpoint covers more than is left
    db = copy_without_guards(good, "truncated")
    sql(db, "DELETE FROM audit_entry WHERE seq >= 9")
    expect_caught(db, "the last rows deleted", "entry 9 onwards was deleted")

    # reordered: two rows swap their numbers
    db = copy_without_guards(good, "reordered")
    sql(db, "UPDATE audit_entry SET seq = 1000000 WHERE seq = 2; "
            "UPDATE audit_entry SET seq = 2 WHERE seq = 3; "
            "UPDATE audit_entry SET seq = 3 WHERE seq = 1000000;")
    expect_caught(db, "two rows swapped", "entry 2 differs")

    # inserted: a forged row at 5, the rest moved up, with another row's leaf
    db = copy_without_guards(good, "inserted")
    sql(db, "UPDATE audit_entry SET seq = seq + 1000000 WHERE seq >= 5; "
            "UPDATE audit_entry SET seq = seq - 999999 WHERE seq > 1000000; "
            "INSERT INTO audit_entry SELECT 5, at, account_id, account_name, nation, 'plan delete', "
            "'plan 1', 'done', 0, before_sha256, NULL, leaf_sha256 FROM audit_entry WHERE seq = 4;")
    expect_caught(db, "a forged row inserted", "entry 5 differs")

    # inserted by someone who knows the encoding: every leaf recomputed, only the signed root tells
    db = copy_without_guards(good, "forged")
    sql(db, "UPDATE audit_entry SET seq = seq + 1000000 WHERE seq >= 5; "
            "UPDATE audit_entry SET seq = seq - 999999 WHERE seq > 1000000; "
            "INSERT INTO audit_entry SELECT 5, at, account_id, account_name, nation, 'plan delete', "
            "'plan 1', 'done', 0, before_sha256, NULL, leaf_sha256 FROM audit_entry WHERE seq = 4;")
    for r in entries(db):
        sql(db, "UPDATE audit_entry SET leaf_sha256 = '%s' WHERE seq = %s" % (leaf(r), r[0]))
    expect_caught(db, "a forged row with leaves recomputed", "its root no longer matches")

    # a checkpoint whose signature is damaged
    db = copy_without_guards(good, "badsig")
    sql(db, "UPDATE audit_checkpoint SET signature = substr(signature, 1, 60) || zeroblob(4) || "
            "substr(signature, 65) WHERE id = 2")
    expect_caught(db, "a damaged signature", "checkpoint 2")
    rc, out = verify(db)
    if "signature does not verify" not in out:
        fail("a damaged signature: the message does not say so: " + out)
    # a signature checked against a CA that did not issue the certificate
    p = coplan(good, "audit", "verify", "--ca", os.path.join(work, "rogue.pem"), check=False)
    if p.returncode != 1 or b"signature does not verify" not in p.stderr:
        fail("a checkpoint verified against a CA that did not issue it: %d %s" % (p.returncode, p.stderr))

    # a checkpoint whose root was rewritten (signature left): caught by the root
    db = copy_without_guards(good, "badroot")
    sql(db, "UPDATE audit_checkpoint SET root_sha256 = '%s' WHERE id = 1" % ("0" * 64))
    expect_caught(db, "a checkpoint's root rewritten", "checkpoint 1")

    # the inclusion proof of an entry checks against the signed root, here too
    p = coplan(good, "audit", "proof", "3")
    lines = p.stdout.decode().splitlines()
    proof_leaf = bytes.fromhex(lines[1].split()[1])
    root = lines[3].split()[1]
    size = int(lines[2].split()[2])
    path = [bytes.fromhex(x) for x in lines[5:]]
    # RFC 9162 2.1.3.2
    fn, sn, r = 2, size - 1, proof_leaf
    for p_hash in path:
        if sn == 0:
            fail("proof longer than the tree")
            break
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p_hash + r).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = hashlib.sha256(b"\x01" + r + p_hash).digest()
        fn >>= 1
        sn >>= 1
    if r.hex() != root or sn != 0:
        fail("the inclusion proof of entry 3 does not lead to the checkpoint's root")

    if failures:
        sys.exit("%d failure(s)" % len(failures))
    shutil.rmtree(work, ignore_errors=True)
    print("all tamperings caught")


main()
