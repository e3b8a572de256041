#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_server_csrf.py - every state-changing route of the server's table (coplan serve --list-routes)
# is refused without a session, without or with a wrong CSRF token, and when the browser says the
# request comes from another site (Sec-Fetch-Site: cross-site); the database is unchanged after all
# of them.  The same requests with the session's token are then accepted (so the refusals are the
# guards', not a bad request's).
import json, os, sys, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_harness as h

work = h.workdir("server-csrf")
db = os.path.join(work, "csrf.db")
h.coplan(db, "plan", h.EXAMPLE, "-o", os.path.join(work, "out"))
h.add_user(db, "rossi", "ITA", admin=True)
h.grant(db, 1, "rossi", "owner")

routes = []
for line in h.coplan(db, "serve", "--list-routes").stdout.decode().splitlines():
    method, pattern, kind, action, access, face = line.split()
    routes.append((method, pattern, kind, action, access, face))
state_routes = [r for r in routes if r[2] == "state"]
if len(state_routes) < 10:
    sys.exit("FAIL: only %d state-changing routes listed" % len(state_routes))
for r in state_routes:
    if r[0] != "POST":
        sys.exit("FAIL: a state-changing route that is not a POST: %s %s" % r[:2])

# a request each route would accept, were its guards missing
FORM = {"mode": "full", "state": "draft", "note": "csrf probe", "status": "executed", "title": "CHANGED",
        "orig-title": "x", "orig-mode": "full", "sequence": "-1", "name": "rossi", "password": h.PASSWORD}
API = {"mode": "full", "state": "draft", "note": "csrf probe", "status": "executed",
       "fields": {"title": "CHANGED"}, "name": "rossi", "password": h.PASSWORD}


def path_of(pattern):
    return (pattern.replace("{id}", "1").replace("{ref}", "IT-02").replace("{key}", "nokey")
            .replace("{format}", "json").replace("{token}", "none.ics"))


def send(client, route, csrf=None, site=None):
    method, pattern, _, _, _, face = route
    headers = {}
    if site:
        headers["Sec-Fetch-Site"] = site
    if face == "api":
        if csrf:
            headers["X-CSRF-Token"] = csrf
        return client.request(method, path_of(pattern), json.dumps(API).encode(), headers, "application/json")[0]
    form = dict(FORM)
    if csrf:
        form["csrf"] = csrf
    return client.request(method, path_of(pattern), urllib.parse.urlencode(form).encode(), headers,
                          "application/x-www-form-urlencoded")[0]


def snapshot():
    parts = []
    for args in (["export", "json"], ["version", "list", "--format", "json"],
                 ["activity", "history", "--format", "json"], ["talks", "list", "--format", "json"]):
        parts.append(h.coplan(db, *args).stdout)
    return parts


before = snapshot()
srv = h.Server(db, os.path.join(work, "server.log"))
failures = []
try:
    anon = h.Client(srv.base)
    user = h.Client(srv.base)
    user.login("rossi")
    checked = 0
    for route in state_routes:
        name = "%s %s" % route[:2]
        if route[4] == "session":
            st = send(anon, route)
            if st != 401:
                failures.append("%s without a session: %d, expected 401" % (name, st))
            st = send(user, route)
            if st != 403:
                failures.append("%s without a CSRF token: %d, expected 403" % (name, st))
            st = send(user, route, csrf="A" * 43)
            if st != 403:
                failures.append("%s with a wrong CSRF token: %d, expected 403" % (name, st))
        for site in ("cross-site", "same-site"):
            st = send(user, route, csrf=user.csrf, site=site)
            if st != 403:
                failures.append("%s with the token but Sec-Fetch-Site: %s: %d, expected 403" % (name, site, st))
        checked += 1
    after = snapshot()
    if after != before:
        failures.append("the database changed under refused requests")
    # the guards are what refused: the same requests with the token, same-origin, are accepted
    ok = {"POST /plans/{id}/versions": (303,), "POST /api/plans/{id}/versions": (201,),
          "POST /plans/{id}/activities/{ref}": (200,), "POST /api/plans/{id}/schedule": (202,)}
    for route in state_routes:
        key = "%s %s" % route[:2]
        if key in ok:
            st = send(user, route, csrf=user.csrf, site="same-origin")
            if st not in ok[key]:
                failures.append("%s with the token: %d, expected %s" % (key, st, ok[key]))
    if snapshot() == before:
        failures.append("the accepted requests changed nothing: the control is broken")
finally:
    srv.stop()

if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures))
print("ok: %d state-changing routes refused without a session, without or with a wrong CSRF token, "
      "and cross-site; the database unchanged" % checked)
