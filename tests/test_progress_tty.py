#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_progress_tty.py - 'coplan schedule' draws a progress line (elapsed, score, unplaced) on standard
# error when it is a terminal (a pseudo-terminal here) and the search runs for more than a second;
# nothing when standard error is a file or a pipe, or with --quiet.
import os, pty, random, re, select, shutil, subprocess, sys, time

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
TMP = os.environ["COPLAN_TEST_TMP"]

work = os.path.join(TMP, "progress.%d" % os.getpid())
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, COPLAN_AUTHOR="Lt Col Test")
DB = os.path.join(work, "plan.db")
LINE = re.compile(rb"\r +\d+\.\d s  score -?\d+hard/-?\d+medium/-?\d+soft  \d+ unplaced")


def coplan(*args):
    p = subprocess.run([BIN, "--db", DB] + list(args), env=env, capture_output=True, timeout=120)
    if p.returncode != 0:
        sys.exit("FAIL: coplan %s exited %d: %s" % (" ".join(args), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return p


def on_tty(*args):
    """Run coplan with its standard error (and output) on a pseudo-terminal; return all it wrote."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(BIN, [BIN, "--db", DB] + list(args), env)
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("FAIL: coplan %s on a terminal exited %d: %s" % (
            " ".join(args), os.waitstatus_to_exitcode(status), out.decode(errors="replace")))
    return out


def main():
    rng = random.Random(15)
    sheet = os.path.join(work, "generated.csv")
    with open(sheet, "w") as f:
        f.write("ref,title,area,kind,host,participants,units,duration,mode,earliest,latest,"
                "requested,after,location,notes\n")
        for i in range(400):
            f.write("G-%05d,Generated activity %d,training,course,%s,ITA;JPN,Unit %d,%d,working,,,"
                    "2024-%02d,,Somewhere,\n" % (i, i, rng.choice(["ITA", "JPN"]), i % 20,
                                                 rng.randint(3, 9), rng.randint(2, 12)))
    coplan("import", os.path.join(SRC, "examples", "italy-japan-2024", "plan.json"))
    coplan("import", sheet)
    out = on_tty("schedule", "--time-limit", "2")
    lines = LINE.findall(out)
    if not lines:
        sys.exit("FAIL: no progress line on the terminal in: %r" % out[:2000])
    last = float(lines[-1].split(b"s  score")[0].strip(b"\r "))
    if last < 1.0:
        sys.exit("FAIL: a progress line before the first second: %r" % lines[-1])
    quiet = on_tty("schedule", "--time-limit", "2", "--quiet")
    if LINE.search(quiet) or b" unplaced " in quiet.split(b"\n")[0]:
        sys.exit("FAIL: --quiet still drew a progress line: %r" % quiet[:500])
    piped = coplan("schedule", "--time-limit", "2")
    if b"\r" in piped.stderr or LINE.search(piped.stderr):
        sys.exit("FAIL: a progress line on a pipe: %r" % piped.stderr[:500])
    print("progress: %d lines on a terminal (last at %.1f s), none with --quiet or on a pipe" % (
        len(lines), last))


main()
