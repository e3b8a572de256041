#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_server_releasability.py - releasability through HTTP (docs/labels.md): a GBR user gets 404, never
# 403, for a JPN-only activity on every route that names it (pages and API, read and write), in the
# status of one that does not exist, and finds no trace of its ref, title, unit or dates, nor of a
# JPN-only blackout, in any page, API answer, export or calendar feed he can reach; then the
# releasability matrix (tests/test_releasability_matrix.py's oracle, labels x nations x clearances x
# caveats) through the API: each reader's plan holds exactly what the oracle lets them see, and every
# other activity is 404 on the API routes that name one.
import json, os, re, shutil, sqlite3, subprocess, sys, time, urllib.parse, zipfile, io

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_harness as h

os.environ.setdefault("COPLAN_RELEASABILITY_DECIDE", "")
import test_releasability_matrix as matrix

failures = []
HIDDEN, MISSING = "JP-11", "JP-99"
HIDDEN_BLACKOUT = "Kenbu cyber exercise"

work = h.workdir("server-releasability")
db = os.path.join(work, "rel.db")
ex = os.path.join(work, "example")
shutil.copytree(h.EXAMPLE, ex)
doc = json.load(open(os.path.join(ex, "plan.json"), encoding="utf-8"))
doc["plan"]["label"] = "UNCLASSIFIED REL TO GBR, ITA, JPN"   # GBR takes part in the GCAP activities
with open(os.path.join(ex, "plan.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
h.coplan(db, "plan", ex, "-o", os.path.join(work, "out"))
h.coplan(db, "activity", "edit", HIDDEN, "--label", "RESTRICTED REL TO JPN", "--reason", "Japan's only")
h.coplan(db, "blackout", "add", "--nation", "JPN", "--from", "2024-11-11", "--to", "2024-11-13",
         "--reason", HIDDEN_BLACKOUT, "--label", "CONFIDENTIAL REL TO JPN")
h.coplan(db, "schedule", "--replan")
h.coplan(db, "version", "save", "--state", "draft", "--note", "before the talks")
full = json.loads(h.coplan(db, "export", "json", "-o", "-").stdout)
hidden = next(a for a in full["activities"] if a["ref"] == HIDDEN)
needles = [HIDDEN, hidden["title"], HIDDEN_BLACKOUT] + hidden.get("units", [])
# the hidden activity's dates betray it unless something the user sees has the same ones
seen_dates = set()
for a in full["activities"]:
    if a["ref"] != HIDDEN:
        seen_dates.update(d for d in (a.get("start"), a.get("end")) if d)
for b in full["blackouts"]:
    if b.get("reason") != HIDDEN_BLACKOUT:
        seen_dates.update((b["from"], b["to"]))
date_needles = [d for d in (hidden.get("start"), hidden.get("end")) if d and d not in seen_dates]
if not hidden.get("start"):
    failures.append("the hidden activity is not placed: its dates prove nothing")

h.add_user(db, "gary", "GBR", clearance="SECRET", caveats="CRYPTO")
h.add_user(db, "jun", "JPN", clearance="RESTRICTED")
h.grant(db, 1, "gary", "owner")
h.grant(db, 1, "jun", "viewer")


def text_of(path, body):
    """What a reader of the answer reads: a PDF's text, a workbook's XML, else the bytes."""
    if body.startswith(b"%PDF-"):
        if not shutil.which("pdftotext"):
            return None
        p = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True)
        return p.stdout.decode(errors="replace")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode(errors="replace") for n in z.namelist())
    if body.startswith(b"\x89PNG"):
        return None  # pixels: its SVG twin is read instead
    return body.decode(errors="replace")


def no_trace(what, body, allow=(), dates=True):
    """No needle in the answer; the hidden dates too where the answer lists the plan's activities (an
    explanation's or a suggestion's days are the asked activity's, and may be the same by chance)."""
    text = text_of(what, body)
    if text is None:
        return
    for n in needles + (date_needles if dates else []):
        if n not in allow and n in text:
            failures.append("%s holds '%s'" % (what, n))


srv = h.Server(db, os.path.join(work, "server.log"))
try:
    gary, jun = h.Client(srv.base), h.Client(srv.base)
    gary.login("gary")
    jun.login("jun")

    def page(c, path):
        st, _, body = c.request("GET", path)
        return st, body

    def form(c, path, fields):
        data = urllib.parse.urlencode(dict(fields, csrf=c.csrf)).encode()
        st, _, body = c.request("POST", path, data, {"Sec-Fetch-Site": "same-origin"},
                                "application/x-www-form-urlencoded")
        return st, body

    # every route that names an activity: the hidden one is 404 as a missing one is, never 403
    routes = [
        ("page", lambda r: page(gary, "/plans/1/activities/%s" % r)),
        ("history page", lambda r: page(gary, "/plans/1/activities/%s/history" % r)),
        ("explain page", lambda r: page(gary, "/plans/1/activities/%s/explain?date=2024-05-03" % r)),
        ("suggest page", lambda r: page(gary, "/plans/1/activities/%s/suggest" % r)),
        ("edit form", lambda r: form(gary, "/plans/1/activities/%s" % r, {"title": "mine now", "sequence": "1"})),
        ("status form", lambda r: form(gary, "/plans/1/activities/%s/status" % r, {"status": "confirmed"})),
        ("API edit", lambda r: gary.api("POST", "/plans/1/activities/%s" % r, {"fields": {"title": "mine now"}})),
        ("API status", lambda r: gary.api("POST", "/plans/1/activities/%s/status" % r, {"status": "confirmed"})),
        ("API explain", lambda r: gary.api("GET", "/plans/1/activities/%s/explain?date=2024-05-03" % r)),
        ("API suggest", lambda r: gary.api("GET", "/plans/1/activities/%s/suggest?count=3" % r)),
        ("pin form", lambda r: form(gary, "/plans/1/activities/%s/pin" % r, {"pin": "1"})),
        ("API pin", lambda r: gary.api("POST", "/plans/1/activities/%s/pin" % r, {"pin": True})),
    ]
    for name, call in routes:
        st_hidden, body_hidden = call(HIDDEN)
        st_missing, _ = call(MISSING)
        if st_hidden != 404 or st_missing != 404:
            failures.append("%s: %d for %s, %d for %s; expected 404 both" % (name, st_hidden, HIDDEN, st_missing, MISSING))
        body = body_hidden if isinstance(body_hidden, bytes) else json.dumps(body_hidden).encode()
        no_trace("%s of %s" % (name, HIDDEN), body, allow=(HIDDEN,), dates=False)  # only the ref he typed
        # jun, of Japan, sees it
        if name == "page" and page(jun, "/plans/1/activities/%s" % HIDDEN)[0] != 200:
            failures.append("jun (JPN) does not get the page of %s" % HIDDEN)

    # nothing he can reach holds a trace: pages, API answers, every export, the feed
    st, plan = gary.api("GET", "/plans/1")
    if st != 200:
        failures.append("GET /api/plans/1: %d" % st)
        plan = {"activities": []}
    visible = [a["ref"] for a in plan.get("activities", [])]
    if HIDDEN in visible or len(visible) != len(full["activities"]) - 1:
        failures.append("gary's plan holds %d activities (%s)" % (len(visible), HIDDEN in visible))
    reached = [("/api/plans/1", json.dumps(plan).encode())]
    for path in ("/", "/plans/1", "/plans/1/versions", "/plans/1/compare?older=1&newer=current", "/plans/1/feed",
                 "/import", "/plans/1/blackouts", "/plans/1/roles"):
        st, body = page(gary, path)
        if st != 200:
            failures.append("GET %s: %d" % (path, st))
        reached.append((path, body))
    for path in ("/plans", "/plans/1/history", "/plans/1/versions", "/plans/1/compare?older=1&newer=current",
                 "/session", "/plans/1/roles", "/plans/1/feed"):
        st, body = gary.api("GET", path)
        if st != 200:
            failures.append("GET /api%s: %d" % (path, st))
        reached.append(("/api" + path, json.dumps(body).encode()))
    for fmt in ("text", "execution", "execution-json", "md", "html", "json", "ics", "svg", "csv", "lp", "pdf",
                "xlsx", "png"):
        for prefix in ("", "/api"):
            st, _, body = gary.request("GET", "%s/plans/1/export/%s" % (prefix, fmt))
            if st != 200:
                failures.append("GET %s/plans/1/export/%s: %d" % (prefix, fmt, st))
            reached.append(("%s/plans/1/export/%s" % (prefix, fmt), body))
    m = re.search(rb"/feed/([A-Za-z0-9_-]+)\.ics", dict(reached)["/plans/1/feed"])
    if not m:
        failures.append("no feed address on the feed page")
    else:
        st, _, body = h.Client(srv.base).request("GET", "/feed/%s.ics" % m.group(1).decode())
        if st != 200 or not body.startswith(b"BEGIN:VCALENDAR"):
            failures.append("the feed: %d" % st)
        reached.append(("the calendar feed", body))
    for ref in visible:
        for kind in ("", "/history", "/explain", "/suggest"):
            st, body = page(gary, "/plans/1/activities/%s%s" % (ref, kind))
            if st != 200:
                failures.append("GET /plans/1/activities/%s%s: %d" % (ref, kind, st))
            reached.append(("/plans/1/activities/%s%s" % (ref, kind), body))
        for kind in ("explain", "suggest?count=3"):
            st, body = gary.api("GET", "/plans/1/activities/%s/%s" % (ref, kind))
            reached.append(("/api/plans/1/activities/%s/%s" % (ref, kind), json.dumps(body).encode()))
    # a hidden commitment still stops a date, and is named only as one
    st, body = gary.api("GET", "/plans/1/activities/JP-08/explain?date=2024-11-11")
    if st != 200 or body.get("can_start") is not False or "a commitment not releasable to you" not in json.dumps(body):
        failures.append("explain JP-08 on the hidden blackout's day: %d %s" % (st, body))
    # a re-plan preview he runs: what the job returns
    st, job = gary.api("POST", "/plans/1/schedule", {"mode": "preview"})
    deadline = time.time() + 120
    while st == 202 and time.time() < deadline:
        st2, j = gary.api("GET", "/jobs/%d" % job["job"])
        if j.get("state") not in ("queued", "running"):
            reached.append(("the re-plan preview job", json.dumps(j).encode()))
            st3, jp = page(gary, "/jobs/%d" % job["job"])
            reached.append(("the re-plan preview page", jp))
            break
        time.sleep(0.2)
    for what, body in reached:
        no_trace(what, body, dates="/activities/" not in what)
    # and the refusals are in the audit log (read as the local operator)
    log = h.coplan(db, "audit", "list", "--format", "json").stdout.decode()
    if log.count("activity %s not releasable" % HIDDEN) < len(routes):
        failures.append("the audit log holds %d refusals of %s, expected %d or more"
                        % (log.count("activity %s not releasable" % HIDDEN), HIDDEN, len(routes)))
finally:
    srv.stop()

# ---- the matrix through the API -------------------------------------------------------------
# tests/tools/releasability_decide builds the database: the example with the plan UNCLASSIFIED, the
# matrix's labels on its first activities (invalid ones included, written past the checks with the
# plan's seal made for them, as an older or damaged file could hold them), one viewer per reader
mdb = os.path.join(work, "matrix.db")
cases = "".join("L\t%s\n" % l for l in matrix.LABELS)
cases += "".join("U\t%s\t%s\t%s\n" % r for r in matrix.READERS)
p = subprocess.run([os.environ["COPLAN_RELEASABILITY_DECIDE"], mdb, h.EXAMPLE], input=cases,
                   capture_output=True, text=True)
if p.returncode != 0:
    sys.exit("FAIL: releasability_decide: " + p.stderr)
con = sqlite3.connect(mdb)
labelled = {ref: label if label is not None else "-"
            for ref, label in con.execute("SELECT ref, label FROM activity WHERE plan_id = 1 ORDER BY position")}
con.close()
labelled = dict(list(labelled.items())[:len(matrix.LABELS)])
if sorted(labelled.values()) != sorted(matrix.LABELS):
    sys.exit("FAIL: the matrix database does not hold the matrix's labels")
names = {"reader%d" % k: r for k, r in enumerate(matrix.READERS)}
srv = h.Server(mdb, os.path.join(work, "matrix-server.log"))
decisions = wrong = granted = 0
try:
    for name, (nation, clearance, caveats) in names.items():
        c = h.Client(srv.base)
        c.login(name, "a long enough password")
        st, plan = c.api("GET", "/plans/1")
        got = {a["ref"] for a in plan.get("activities", [])} if st == 200 else set()
        held = set() if caveats == "-" else set(caveats.upper().split())
        for ref, label in labelled.items():
            want = matrix.permits(label, nation, clearance, held)
            decisions += 1
            granted += want
            if want != (ref in got):
                wrong += 1
                failures.append("matrix: %s cleared %s holding %s, label '%s': the API %s it, the oracle says %s"
                                % (nation, clearance, caveats, label, "shows" if ref in got else "hides",
                                   "show" if want else "hide"))
            if not want:
                for path in ("/plans/1/activities/%s/explain" % ref, "/plans/1/activities/%s/suggest" % ref):
                    st2, _ = c.api("GET", path)
                    if st2 != 404:
                        failures.append("matrix: %s (%s %s %s) GET /api%s: %d, expected 404"
                                        % (name, nation, clearance, caveats, path, st2))
finally:
    srv.stop()
if granted < 50 or decisions - granted < 50:
    failures.append("a lopsided matrix (%d of %d granted)" % (granted, decisions))

if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures[:60]))
print("ok: 404 on every route naming a hidden activity, no trace in %d answers; the matrix through the API: "
      "%d decisions, %d granted, %d wrong" % (len(reached), decisions, granted, wrong))
