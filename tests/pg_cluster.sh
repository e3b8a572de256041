#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pg_cluster.sh - a throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in DIR, on a Unix socket in DIR only.
#
# Usage: tests/pg_cluster.sh start DIR   start a new cluster (an old one in DIR is stopped and removed);
#                                        prints the base URI the tests take as COPLAN_TEST_DB
#        tests/pg_cluster.sh stop DIR    stop it and remove DIR
#        tests/pg_cluster.sh run DIR CMD...  start, run CMD with COPLAN_TEST_DB set, stop (also on failure)
#
# No TCP port is opened (listen_addresses is empty): the socket lives in DIR, so no other server and
# no other test run can clash with it.  As root, initdb refuses to run: the cluster then belongs to
# the postgres user (runuser).  Exit status 77 (ctest's skip) when PostgreSQL is not installed.
# Durability is off (fsync) in this cluster only: it is thrown away (COPLAN_PG_DURABLE=1 keeps it on,
# for benchmarks).  wal_level is logical, so that a cluster can publish rows to another one (logical
# replication, tests/pg_replication.sh).
set -eu

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
	echo "usage: $0 start|stop|run DIR [CMD...]" >&2
	exit 2
fi
case "$dir" in
/*) ;;
*) dir="$(pwd)/$dir" ;;
esac

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
	bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

port=5432
# the URI's host is the socket's folder, percent-encoded
uri_host=$(printf '%s' "$dir" | sed 's|/|%2F|g')
uri="postgresql://postgres@${uri_host}:${port}"

stop() {
	if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bindir" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

start() {
	if [ -z "$bindir" ]; then
		echo "pg_cluster: PostgreSQL is not installed (initdb not found; Debian: postgresql-15): skipped" >&2
		exit 77
	fi
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "pg_cluster: running as root and there is no postgres user to own the cluster: skipped" >&2
		exit 77
	fi
	stop
	mkdir -p "$dir"
	chmod 755 "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
	fi
	if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		echo "pg_cluster: initdb failed" >&2
		rm -rf "$dir"
		exit 1
	fi
	durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB"
	if [ "${COPLAN_PG_DURABLE:-0}" = 1 ]; then
		durability="-c shared_buffers=128MB"
	fi
	if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k $dir -p $port -c listen_addresses= $durability -c max_connections=60 -c wal_level=logical" \
		start >/dev/null 2>&1; then
		cat "$dir/server.log" >&2 || true
		echo "pg_cluster: the server did not start" >&2
		stop
		exit 1
	fi
	printf '%s\n' "$uri" >"$dir/uri"
	chmod 644 "$dir/uri"
	printf '%s\n' "$uri"
}

case "$cmd" in
start)
	start
	;;
stop)
	stop
	;;
run)
	shift 2
	start >/dev/null
	trap stop EXIT INT TERM
	COPLAN_TEST_DB=$uri "$@"
	;;
*)
	echo "usage: $0 start|stop|run DIR [CMD...]" >&2
	exit 2
	;;
esac
