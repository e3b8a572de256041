#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_layers.sh - the layers of docs/internals/layers.md, as far as a grep can see them.
set -u
src="${COPLAN_SOURCE_DIR:?}"
fail=0

# only the storage backends talk to a database, each to its own
hits=$(grep -rlE 'sqlite3' "$src/src" "$src/include" | grep -v "^$src/src/store/sqlite\.c$")
if [ -n "$hits" ]; then
	echo "FAIL: SQLite calls outside src/store/sqlite.c: $hits"
	fail=1
fi
hits=$(grep -rlE 'libpq-fe\.h|PQexec|PQconnect|PGconn' "$src/src" "$src/include" | grep -v "^$src/src/store/pg\.c$")
if [ -n "$hits" ]; then
	echo "FAIL: libpq calls outside src/store/pg.c: $hits"
	fail=1
fi
# the front ends and the service never include a backend's header
hits=$(grep -lE 'sqlite3|libpq' "$src"/src/cli/* "$src"/src/service/* 2>/dev/null)
if [ -n "$hits" ]; then
	echo "FAIL: a database client in the CLI or the service: $hits"
	fail=1
fi
# the service takes who acts and when from its context, and prints nothing
hits=$(grep -nE 'getenv|getlogin|printf\(|puts\(|stdout|stderr' "$src"/src/service/*.c | grep -vE 'snprintf|cp_buf_printf')
if [ -n "$hits" ]; then
	echo "FAIL: the service reads the environment or prints: $hits"
	fail=1
fi
# the service never reaches around the store's rules to the backend's operations
hits=$(grep -l 'store_backend\.h' "$src"/src/service/* "$src"/src/cli/* 2>/dev/null)
if [ -n "$hits" ]; then
	echo "FAIL: the backend's operations used above the store: $hits"
	fail=1
fi
[ $fail -eq 0 ] && echo "ok: layers as documented"
exit $fail
