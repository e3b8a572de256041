# SPDX-License-Identifier: Apache-2.0
"""doc_check.py - what the document tests share: failures collected, commands run, pdftotext's text compared."""
import subprocess
import sys

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(*args, ok=True):
    r = subprocess.run(args, capture_output=True)
    if ok and r.returncode != 0:
        print("command failed: %s\n%s" % (" ".join(args), r.stderr.decode("utf-8", "replace")),
              file=sys.stderr)
        sys.exit(1)
    return r


def squash(text):
    """pdftotext breaks lines where a table cell wraps: compare without whitespace."""
    return "".join(text.split())
