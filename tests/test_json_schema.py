# SPDX-License-Identifier: Apache-2.0
"""test_json_schema.py - coplan's JSON export validates against docs/plan.schema.json (Debian's
python3-jsonschema), as do the hand-written plan files the project ships."""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    # CMake may have found another interpreter (pyenv) than Debian's, which holds python3-jsonschema.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: python3-jsonschema is not installed (scripts/install-deps.sh)")
    sys.exit(77)

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
DATA = os.environ["COPLAN_TEST_DATA"]


def run(*args):
    proc = subprocess.run([BIN, *args], capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"FAIL: coplan {' '.join(args)} exited {proc.returncode}: "
                 f"{proc.stderr.decode(errors='replace')}")
    return proc.stdout


def main():
    schema = json.load(open(os.path.join(SRC, "docs", "plan.schema.json"), encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failures = []

    def check(name, doc):
        for err in validator.iter_errors(doc):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
            failures.append(f"{name}: {path or '(document)'}: {err.message}")

    inputs = [os.path.join(DATA, "json", "plan-2024.json"), os.path.join(DATA, "json", "plan-weekends.json")]
    inputs += sorted(glob.glob(os.path.join(SRC, "examples", "*", "plan.json")))
    exported = None
    with tempfile.TemporaryDirectory(dir=os.environ.get("COPLAN_TEST_TMP")) as tmp:
        for n, path in enumerate(inputs):
            check(os.path.relpath(path, SRC), json.load(open(path, encoding="utf-8")))
            db = os.path.join(tmp, f"schema{n}.db")
            run("--db", db, "import", path)
            out = run("--db", db, "export", "json")
            doc = json.loads(out.decode("utf-8"))
            check(f"export of {os.path.basename(path)}", doc)
            if doc.get("format") != "coplan-plan" or doc.get("version") != 1:
                failures.append(f"export of {path}: format/version {doc.get('format')!r} {doc.get('version')!r}")
            if n == 0:
                exported = doc
            # a plan's own weekends go through the database and back unchanged
            want = json.load(open(path, encoding="utf-8")).get("weekends")
            if doc.get("weekends") != want:
                failures.append(f"export of {os.path.basename(path)}: weekends {doc.get('weekends')!r}, "
                                f"imported {want!r}")

    # the schema rejects what the reader rejects: a test that could not fail would prove nothing
    bad = copy.deepcopy(exported)
    bad["activities"][0]["host"] = "ita"
    bad["activities"][1]["start"] = "2024-13-01"
    bad["activities"][2]["hots"] = "ITA"
    bad["weekends"] = {"ISR": ["fri", "sabbath"], "isr": ["sun"]}
    if len(list(validator.iter_errors(bad))) < 5:
        failures.append("the schema accepts a bad host, a bad date, an unknown key or a bad weekend")

    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"ok: {len(inputs)} inputs and their exports validate")


if __name__ == "__main__":
    main()
