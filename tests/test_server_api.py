#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_server_api.py - the JSON API against docs/openapi.json: the document is OpenAPI 3.1 with valid
# JSON Schemas, every route of the server's table (coplan serve --list-routes) is in it and nothing
# else is; then each use case is called on a running server and every answer is checked against
# the schema of its status; the error table (401, 403, 404, 405, 400, 409, 413, 429) is exercised.
import json, os, re, sys, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_harness as h

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed")
    sys.exit(77)

failures = []
doc = json.load(open(os.path.join(h.SRC, "docs", "openapi.json")))
if doc.get("openapi") != "3.1.0" or "paths" not in doc or "info" not in doc:
    sys.exit("FAIL: docs/openapi.json is not an OpenAPI 3.1.0 document")
for name, schema in doc["components"]["schemas"].items():
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        failures.append("schema %s: %s" % (name, e.message))


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


for ref in refs(doc):
    node = doc
    for part in ref[2:].split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    if not ref.startswith("#/") or node is None:
        failures.append("unresolved $ref " + ref)

work = h.workdir("server-api")
db = os.path.join(work, "api.db")
h.coplan(db, "plan", h.EXAMPLE, "-o", os.path.join(work, "out"))
listed = set()
for line in h.coplan(db, "serve", "--list-routes").stdout.decode().splitlines():
    method, pattern = line.split()[:2]
    listed.add((method.lower(), pattern))
    if method.lower() not in doc["paths"].get(pattern, {}):
        failures.append("route %s %s is not in docs/openapi.json" % (method, pattern))
for pattern, ops in doc["paths"].items():
    for method in ops:
        if (method, pattern) not in listed:
            failures.append("docs/openapi.json has %s %s, which the server does not route" % (method.upper(), pattern))


def check(method, pattern, status, body):
    """Validate an answer against the document: the schema of its status, else 'default'."""
    responses = doc["paths"][pattern][method.lower()]["responses"]
    r = responses.get(str(status)) or responses.get("default")
    if r is None:
        failures.append("%s %s answered %d, which the document does not list" % (method, pattern, status))
        return
    if "$ref" in r:
        r = doc["components"]["responses"][r["$ref"].split("/")[-1]]
    schema = r.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return
    try:
        jsonschema.validate(body, dict(schema, components=doc["components"]),
                            cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError as e:
        failures.append("%s %s (%d): %s" % (method, pattern, status, e.message))


def call(c, method, path, pattern, obj=None, want=None, csrf=True):
    status, body = c.api(method, path, obj, csrf=csrf)
    check(method, pattern, status, body)
    if want is not None and status != want:
        failures.append("%s %s: %d %s, expected %d" % (method, path, status, body, want))
    return status, body


h.add_user(db, "rossi", "ITA", admin=True)
h.add_user(db, "sato", "JPN")
h.grant(db, 1, "rossi", "owner")
h.grant(db, 1, "sato", "planner")
srv = h.Server(db, os.path.join(work, "server.log"))
try:
    anon, it, jp = h.Client(srv.base), h.Client(srv.base), h.Client(srv.base)
    call(anon, "GET", "/plans", "/api/plans", want=401)
    st, _ = call(anon, "POST", "/login", "/api/login", {"name": "rossi", "password": "wrong password!!"}, want=401)
    for c, name in ((it, "rossi"), (jp, "sato")):
        st, s = call(c, "POST", "/login", "/api/login", {"name": name, "password": h.PASSWORD}, want=200, csrf=False)
        c.csrf = s["csrf"] if st == 200 else None
    call(it, "GET", "/session", "/api/session", want=200)
    st, plans = call(it, "GET", "/plans", "/api/plans", want=200)
    st, plan = call(it, "GET", "/plans/1", "/api/plans/{id}", want=200)
    call(it, "GET", "/plans/99", "/api/plans/{id}", want=403)  # no role on a plan (existing or not)
    call(it, "GET", "/plans/x1", "/api/plans/{id}", want=404)
    seq = {a["ref"]: a.get("sequence") for a in plan["activities"]}["JP-07"]
    # a stale edit: both read JP-07 at sequence seq; the first edit wins, the second gets 409
    call(it, "POST", "/plans/1/activities/JP-07", "/api/plans/{id}/activities/{ref}",
         {"fields": {"location": "Tokyo, Ichigaya (Joint Staff)"}, "sequence": seq}, want=200)
    st, e = call(jp, "POST", "/plans/1/activities/JP-07", "/api/plans/{id}/activities/{ref}",
                 {"fields": {"location": "Tokyo"}, "sequence": seq}, want=409)
    call(jp, "POST", "/plans/1/activities/JP-07", "/api/plans/{id}/activities/{ref}",
         {"fields": "no"}, want=400)
    st = jp.request("POST", "/api/plans/1/activities/JP-07", b"{" + b" " * 70000 + b"}",
                    {"X-CSRF-Token": jp.csrf}, "application/json")[0]
    if st != 413:
        failures.append("a 70 kB JSON body: %d, expected 413" % st)
    st = jp.request("DELETE", "/api/plans/1")[0]
    if st != 405:
        failures.append("DELETE /api/plans/1: %d, expected 405" % st)
    call(it, "GET", "/plans/1/activities/JP-07/explain?date=2024-05-03",
         "/api/plans/{id}/activities/{ref}/explain", want=200)
    call(it, "GET", "/plans/1/activities/IT-06/suggest?count=3", "/api/plans/{id}/activities/{ref}/suggest", want=200)
    call(it, "POST", "/plans/1/activities/IT-02/status", "/api/plans/{id}/activities/{ref}/status",
         {"status": "confirmed"}, want=200)
    call(it, "GET", "/plans/1/history", "/api/plans/{id}/history", want=200)
    st, job = call(it, "POST", "/plans/1/schedule", "/api/plans/{id}/schedule", {"mode": "preview"}, want=202)
    deadline = time.time() + 120
    while st == 202 and time.time() < deadline:
        st2, j = call(it, "GET", "/jobs/%d" % job["job"], "/api/jobs/{id}", want=200)
        if j.get("state") not in ("queued", "running"):
            if j.get("state") != "done":
                failures.append("the preview job ended %s" % j)
            break
        time.sleep(0.2)
    call(jp, "GET", "/jobs/%d" % job["job"], "/api/jobs/{id}", want=404)  # another's job is not seen
    call(it, "POST", "/plans/1/versions", "/api/plans/{id}/versions", {"state": "agreed", "note": "api"}, want=201)
    call(it, "GET", "/plans/1/versions", "/api/plans/{id}/versions", want=200)
    call(it, "GET", "/plans/1/compare?older=1&newer=current", "/api/plans/{id}/compare", want=200)
    call(it, "GET", "/plans/1/compare?older=nonsense", "/api/plans/{id}/compare", want=400)
    st, hdrs, pdf = it.request("GET", "/api/plans/1/export/pdf")
    if st != 200 or not pdf.startswith(b"%PDF-") or hdrs.get("Content-Type") != "application/pdf":
        failures.append("the PDF export: %d %s" % (st, hdrs.get("Content-Type")))
    # the calendar feed: an address of the user's own, read without a cookie
    st, _, page = it.request("GET", "/plans/1/feed")
    m = re.search(rb"/feed/([A-Za-z0-9_-]+)\.ics", page)
    if st != 200 or not m:
        failures.append("the feed page: %d, no /feed/TOKEN.ics address" % st)
    else:
        st, hdrs, ics = anon.request("GET", "/feed/%s.ics" % m.group(1).decode())
        if st != 200 or not ics.startswith(b"BEGIN:VCALENDAR") or not hdrs.get("Content-Type", "").startswith("text/calendar"):
            failures.append("the feed: %d %s" % (st, ics[:60]))
        st = anon.request("GET", "/feed/%s.ics" % ("A" * 43))[0]
        if st != 404:
            failures.append("an unknown feed token: %d, expected 404" % st)
    # what the server keeps of a plan (cache.c) never outlives a change: one made outside the
    # server (the command line on the same file), one made through it, a role taken away
    st, before = call(it, "GET", "/plans/1", "/api/plans/{id}", want=200)
    st, again = call(it, "GET", "/plans/1", "/api/plans/{id}", want=200)
    if before != again:
        failures.append("two reads of an unchanged plan differ")
    h.coplan(db, "activity", "set-status", "IT-03", "cancelled", "--reason", "called off by letter")
    st, after = call(it, "GET", "/plans/1", "/api/plans/{id}", want=200)
    status = {a["ref"]: a.get("status") for a in after.get("activities", [])}
    if status.get("IT-03") != "cancelled":
        failures.append("a change made at the command line is not in the next read: IT-03 %s" % status.get("IT-03"))
    it.request("GET", "/plans/1")  # the page, kept before the edit below
    h.coplan(db, "plan", "grant", "sato", "none", "--plan", "1")
    call(jp, "GET", "/plans/1", "/api/plans/{id}", want=403)
    h.coplan(db, "plan", "grant", "sato", "planner", "--plan", "1")
    # the pages offer only what the role allows, and a role changed at the command line shows at
    # once (the page is kept with the reader's role in its stamp)
    def offers(path):
        body = jp.request("GET", path)[2]
        return [w for w in (b">Schedule</button>", b">Save changes</button>", b">Record</button>",
                            b"Import activities") if w in body]
    for path in ("/plans/1", "/plans/1/activities/JP-07"):
        as_planner = offers(path)
        offers(path)  # served again from the cache
        h.coplan(db, "plan", "grant", "sato", "viewer", "--plan", "1")
        as_viewer = offers(path)
        h.coplan(db, "plan", "grant", "sato", "planner", "--plan", "1")
        if not as_planner or as_viewer:
            failures.append("%s offers a planner %s and a viewer %s: expected some, then none" %
                            (path, as_planner, as_viewer))
        if offers(path) != as_planner:
            failures.append("%s: the planner's forms do not come back with the role" % path)
    # blackouts, pins, roles and amendments, through the API and the pages
    def form(c, path, fields):
        body = urllib.parse.urlencode(dict(fields, csrf=c.csrf)).encode()
        return c.request("POST", path, body, None, "application/x-www-form-urlencoded")

    def blackouts(c):
        return call(c, "GET", "/plans/1", "/api/plans/{id}", want=200)[1].get("blackouts", [])

    n0 = len(blackouts(jp))
    call(jp, "POST", "/plans/1/blackouts", "/api/plans/{id}/blackouts",
         {"scope": "JPN", "from": "2024-09-02", "to": "2024-09-06", "kind": "soft", "reason": "staff college exams"}, want=200)
    call(jp, "POST", "/plans/1/blackouts", "/api/plans/{id}/blackouts",  # a planner: only their nation's
         {"scope": "ITA", "from": "2024-09-02", "to": "2024-09-06", "reason": "not theirs"}, want=403)
    call(jp, "POST", "/plans/1/blackouts", "/api/plans/{id}/blackouts",
         {"scope": "JPN", "from": "2024-13-01", "to": "2024-09-06", "reason": "x"}, want=422)
    listed = blackouts(jp)
    k = next((i + 1 for i, b in enumerate(listed) if b.get("reason") == "staff college exams"), 0)
    if len(listed) != n0 + 1 or not k:
        failures.append("the blackout added through the API is not in the plan: %s" % listed)
    page = jp.request("GET", "/plans/1/blackouts")[2]
    if b"staff college exams" not in page or b"/blackouts/%d/delete" % k not in page:
        failures.append("the blackouts page does not list the new blackout with its delete form")
    ita = [i + 1 for i, b in enumerate(listed) if b.get("scope") == "ITA"]
    if not ita or any(b"/blackouts/%d/delete" % i in page for i in ita):
        failures.append("the Japanese planner is offered the delete form of Italy's blackouts %s" % ita)
    # a delete of what the reader saw at k, after the list changed: 409, nothing deleted
    call(jp, "POST", "/plans/1/blackouts/%d/delete" % k, "/api/plans/{id}/blackouts/{n}/delete",
         {"scope": "JPN", "from": "2024-09-03", "to": "2024-09-06", "kind": "soft"}, want=409)
    st = form(jp, "/plans/1/blackouts/%d/delete" % k,
              {"scope": "JPN", "from": "2024-09-02", "to": "2024-09-06", "kind": "soft", "reason": "not needed"})[0]
    if st != 303 or len(blackouts(jp)) != n0:
        failures.append("deleting the blackout through its page form: %d, %d blackouts (expected 303, %d)" %
                        (st, len(blackouts(jp)), n0))
    call(jp, "POST", "/plans/1/blackouts/99/delete", "/api/plans/{id}/blackouts/{n}/delete", {}, want=404)
    acts = {a["ref"]: a for a in call(jp, "GET", "/plans/1", "/api/plans/{id}", want=200)[1]["activities"]}
    call(jp, "POST", "/plans/1/activities/JP-07/pin", "/api/plans/{id}/activities/{ref}/pin",
         {"pin": True, "sequence": acts["JP-07"]["sequence"] - 1}, want=409)
    call(jp, "POST", "/plans/1/activities/JP-07/pin", "/api/plans/{id}/activities/{ref}/pin",
         {"pin": True, "sequence": acts["JP-07"]["sequence"], "reason": "dates agreed by letter"}, want=200)
    acts = {a["ref"]: a for a in call(jp, "GET", "/plans/1", "/api/plans/{id}", want=200)[1]["activities"]}
    if not acts["JP-07"].get("pinned"):
        failures.append("JP-07 is not pinned after the pin request")
    if b">Unpin</button>" not in jp.request("GET", "/plans/1/activities/JP-07")[2]:
        failures.append("the activity page of a pinned activity offers no Unpin")
    st = form(jp, "/plans/1/activities/JP-07/pin", {"pin": "0", "sequence": str(acts["JP-07"]["sequence"])})[0]
    acts = {a["ref"]: a for a in call(jp, "GET", "/plans/1", "/api/plans/{id}", want=200)[1]["activities"]}
    if st != 303 or acts["JP-07"].get("pinned"):
        failures.append("unpinning through the page form: %d, pinned %s" % (st, acts["JP-07"].get("pinned")))
    h.add_user(db, "bianchi", "ITA")
    call(jp, "POST", "/plans/1/roles", "/api/plans/{id}/roles", {"user": "bianchi", "role": "viewer"}, want=403)
    call(it, "POST", "/plans/1/roles", "/api/plans/{id}/roles", {"user": "bianchi", "role": "chief"}, want=422)
    call(it, "POST", "/plans/1/roles", "/api/plans/{id}/roles", {"user": "bianchi", "role": "viewer"}, want=200)
    roles = {g["user"]: g["role"] for g in call(jp, "GET", "/plans/1/roles", "/api/plans/{id}/roles", want=200)[1]}
    if roles.get("bianchi") != "viewer" or roles.get("sato") != "planner":
        failures.append("the roles listed: %s" % roles)
    if b">Give</button>" in jp.request("GET", "/plans/1/roles")[2] or \
            b">Give</button>" not in it.request("GET", "/plans/1/roles")[2]:
        failures.append("the grant form: offered to a planner, or not to the owner")
    call(it, "POST", "/plans/1/amend", "/api/plans/{id}/amend", {"note": "x"}, want=409)  # not signed yet
    # users: an administrator's (rossi), not a planner's
    call(jp, "GET", "/users", "/api/users", want=403)
    call(jp, "POST", "/users", "/api/users", {"name": "verdi", "nation": "ITA", "password": h.PASSWORD}, want=403)
    call(it, "POST", "/users", "/api/users", {"name": "verdi", "nation": "ITA", "password": "short"}, want=422)
    call(it, "POST", "/users", "/api/users", {"name": "verdi", "nation": "ITA", "password": h.PASSWORD,
                                                "display_name": "Magg. Luca Verdi"}, want=200)
    call(it, "POST", "/users", "/api/users", {"name": "verdi", "nation": "ITA", "password": h.PASSWORD}, want=409)
    users = {u["name"]: u for u in call(it, "GET", "/users", "/api/users", want=200)[1]}
    if users.get("verdi", {}).get("display_name") != "Magg. Luca Verdi":
        failures.append("the user added through the API: %s" % users.get("verdi"))
    verdi = h.Client(srv.base)
    verdi.login("verdi")
    call(it, "POST", "/users/verdi/disable", "/api/users/{name}/disable", {}, want=200)
    if verdi.api("GET", "/plans")[0] != 401:
        failures.append("a disabled user's session still answers")
    page = it.request("GET", "/users")[2]
    if b"verdi" not in page or b">Enable</button>" not in page or b'href="/users"' not in page:
        failures.append("the users page does not show verdi disabled with an Enable button, or no Users link:\n%s" % page[:3000])
    st = form(it, "/users/verdi/disable", {"disabled": "0"})[0]
    users = {u["name"]: u for u in call(it, "GET", "/users", "/api/users", want=200)[1]}
    if st != 303 or users["verdi"]["disabled"]:
        failures.append("enabling verdi through the page form: %d, disabled %s" % (st, users["verdi"]["disabled"]))
    # the feed's address, and an import through the API: checked first (nothing saved), then saved
    st, feed = call(jp, "GET", "/plans/1/feed", "/api/plans/{id}/feed", want=200)
    if st == 200 and anon.request("GET", urllib.parse.urlsplit(feed["url"]).path)[0] != 200:
        failures.append("the feed address the API gave does not answer: %s" % feed)
    sheet = open(os.path.join(h.EXAMPLE, "activities.csv"), "rb").read()
    def upload(c, query, body):
        st, hdrs, data = c.request("POST", "/api/import?" + query, body,
                                   {"X-CSRF-Token": c.csrf} if c.csrf else {}, "text/csv")
        try:
            return st, json.loads(data)
        except ValueError:
            return st, data
    before = call(it, "GET", "/plans/1", "/api/plans/{id}", want=200)[1]
    st, res = upload(it, "name=activities.csv&plan=1&check=1&update=1", sheet)
    check("POST", "/api/import", st, res)
    if st != 200 or res.get("saved") or res.get("kind") != "activities" or res.get("rows_read") != 28:
        failures.append("the import check through the API: %d %s" % (st, res))
    if call(it, "GET", "/plans/1", "/api/plans/{id}", want=200)[1] != before:
        failures.append("an import check changed the plan")
    st, res = upload(it, "name=activities.csv&plan=1", b"ref,title\nX-1,\"unterminated\n")
    if st not in (400, 422) or "activities.csv" not in json.dumps(res):
        failures.append("a bad sheet through the API: %d %s (expected 4xx naming the file)" % (st, res))
    st, res = upload(it, "name=../etc/passwd&plan=1", sheet)
    if st != 400:
        failures.append("an import name with a path: %d, expected 400" % st)
    if upload(anon, "name=activities.csv&plan=1", sheet)[0] != 401:
        failures.append("an import without a session was not refused with 401")
    st, res = upload(it, "name=activities.csv&plan=1&update=1", sheet)
    if st != 200 or not res.get("saved") or res.get("plan_id") != 1:
        failures.append("the import through the API: %d %s" % (st, res))
    # the pages are escaped and carry the headers
    call(it, "POST", "/plans/1/activities/IT-05", "/api/plans/{id}/activities/{ref}",
         {"fields": {"title": "Seminar <script>alert(1)</script> & \"talks\""}}, want=200)
    st, hdrs, page = it.request("GET", "/plans/1")
    if b"Seminar &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;talks&quot;" not in page:
        failures.append("a title with markup is not escaped on the plan page")
    csp = hdrs.get("Content-Security-Policy", "")
    if "default-src 'none'" not in csp or "frame-ancestors 'none'" not in csp or hdrs.get("X-Content-Type-Options") != "nosniff":
        failures.append("the plan page's security headers: %s" % dict(hdrs))
    if b"<script" in page:
        failures.append("a page with a script")
    call(it, "POST", "/logout", "/api/logout", want=200)
    call(it, "GET", "/plans", "/api/plans", want=401)
    # too many failed logins of one name: 429, even with the right password
    for _ in range(6):
        anon.api("POST", "/login", {"name": "sato", "password": "not the password"}, csrf=False)
    call(anon, "POST", "/login", "/api/login", {"name": "sato", "password": h.PASSWORD}, want=429, csrf=False)
finally:
    srv.stop()
m = re.search(r"\((\d+) served again from the cache\)", open(os.path.join(work, "server.log")).read())
if not m or int(m.group(1)) < 1:
    failures.append("no read of an unchanged plan was served from the cache (server.log)")

if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures))
print("ok: docs/openapi.json lists every route; the API's answers match it; the error table holds")
