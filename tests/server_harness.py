# SPDX-License-Identifier: Apache-2.0
# server_harness.py - what the server's script tests share: a database from the example, users,
# `coplan serve` started on a free loopback port (port 0, read back from its log) and stopped by SIGTERM.
import http.cookiejar, json, os, re, shutil, signal, subprocess, sys, time, urllib.error, urllib.request

BIN = os.environ["COPLAN_BIN"]
SRC = os.environ["COPLAN_SOURCE_DIR"]
TMP = os.environ["COPLAN_TEST_TMP"]
EXAMPLE = os.path.abspath(os.path.join(SRC, "examples", "italy-japan-2024"))
PASSWORD = "correct horse battery staple"


def workdir(name):
    d = os.path.join(TMP, "%s.%d" % (name, os.getpid()))
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def coplan(db, *args, check=True, input=None):
    p = subprocess.run([BIN, "--db", db] + list(args), capture_output=True, timeout=300, input=input,
                       env=dict(os.environ, COPLAN_AUTHOR="test"))
    if check and p.returncode != 0:
        sys.exit("FAIL: coplan %s exited %d: %s" % (" ".join(args), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return p


def add_user(db, name, nation, admin=False, clearance=None, caveats=None):
    """A user with PASSWORD (coplan user add, the password on standard input), cleared as given."""
    args = ["user", "add", name, "--nation", nation]
    if admin:
        args.append("--admin")
    if clearance:
        args += ["--clearance", clearance]
    if caveats:
        args += ["--caveats", caveats]
    coplan(db, *args, input=(PASSWORD + "\n").encode())


def grant(db, plan, name, role):
    coplan(db, "plan", "grant", name, role, "--plan", str(plan))


class Server:
    """coplan serve on 127.0.0.1, any free port; stop() checks it stops cleanly on SIGTERM."""

    def __init__(self, db, log_path, extra=()):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen([BIN, "--db", db, "serve", "--listen", "127.0.0.1:0"] + list(extra),
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        self.base = None
        while time.time() < deadline and self.base is None:
            time.sleep(0.05)
            with open(log_path, "rb") as f:
                m = re.search(rb"listening on (https?://127\.0\.0\.1:\d+)", f.read())
            if m:
                self.base = m.group(1).decode()
            if self.proc.poll() is not None:
                break
        if not self.base:
            self.proc.kill()
            sys.exit("FAIL: the server did not start:\n" + open(log_path, errors="replace").read())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            sys.exit("FAIL: the server did not stop within 60 s of SIGTERM")
        self.log.close()
        text = open(self.log_path, errors="replace").read()
        if rc != 0 or "database closed" not in text:
            sys.exit("FAIL: the server stopped with status %d:\n%s" % (rc, text))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser-like client: its own cookies; answers as (status, headers, body bytes)."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.csrf = None

    def request(self, method, path, body=None, headers=None, ctype=None):
        h = dict(headers or {})
        if body is not None and ctype:
            h["Content-Type"] = ctype
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=120) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def api(self, method, path, obj=None, csrf=True, headers=None):
        h = dict(headers or {})
        if csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        body = json.dumps(obj).encode() if obj is not None else (b"" if method == "POST" else None)
        status, hdrs, data = self.request(method, "/api" + path, body, h, "application/json")
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, data

    def login(self, name, password=PASSWORD):
        status, body = self.api("POST", "/login", {"name": name, "password": password}, csrf=False)
        if status != 200:
            sys.exit("FAIL: log in as %s: %d %s" % (name, status, body))
        self.csrf = body["csrf"]
        return body

    def cookie(self):
        for c in self.jar:
            return c.name, c.value
        return None
