#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# test_server_tls.py - coplan serve over HTTPS with a certificate the test makes (openssl, a fresh
# key each run, never stored): the session cookie is then __Host-coplan, Secure, HttpOnly,
# SameSite=Strict, Path=/; Strict-Transport-Security is sent; a plain-HTTP client gets no answer;
# the server stops cleanly on SIGTERM.
import os, shutil, socket, ssl, subprocess, sys, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_harness as h

if not shutil.which("openssl"):
    print("SKIP: the openssl command is not installed")
    sys.exit(77)
work = h.workdir("server-tls")
key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
db = os.path.join(work, "tls.db")
h.coplan(db, "plan", h.EXAMPLE, "-o", os.path.join(work, "out"))
h.add_user(db, "rossi", "ITA", admin=True)
h.grant(db, 1, "rossi", "owner")
failures = []
srv = h.Server(db, os.path.join(work, "server.log"), ["--tls-cert", cert, "--tls-key", key])
try:
    if not srv.base.startswith("https://"):
        failures.append("the server does not say https: " + srv.base)
    ctx = ssl.create_default_context(cafile=cert)
    req = urllib.request.Request(srv.base + "/api/login", method="POST",
                                 data=b'{"name": "rossi", "password": "%s"}' % h.PASSWORD.encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
        cookie = r.headers.get("Set-Cookie", "")
        hsts = r.headers.get("Strict-Transport-Security", "")
    parts = [p.strip() for p in cookie.split(";")]
    if not parts[0].startswith("__Host-coplan=") or "Secure" not in parts or "HttpOnly" not in parts or \
            "SameSite=Strict" not in parts or "Path=/" not in parts:
        failures.append("the session cookie over TLS: " + cookie)
    if "max-age=" not in hsts:
        failures.append("no Strict-Transport-Security over TLS")
    # the cookie works
    req = urllib.request.Request(srv.base + "/api/plans", headers={"Cookie": parts[0]})
    with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
        if r.status != 200 or b"Cooperation Plan 2024" not in r.read():
            failures.append("the plans over TLS with the cookie")
    # plain HTTP to the TLS port is not answered as HTTP
    port = int(srv.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            answer = s.recv(100)
        except (ConnectionResetError, socket.timeout):
            answer = b""
    if answer.startswith(b"HTTP/1.1 200"):
        failures.append("plain HTTP answered on the TLS port")
finally:
    srv.stop()

if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures))
print("ok: HTTPS with a __Host- cookie, Secure, and HSTS")
