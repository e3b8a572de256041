#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pg_run.sh - run one test program on the throwaway PostgreSQL cluster in DIR (tests/pg_cluster.sh start DIR).
# Usage: tests/pg_run.sh DIR PROGRAM [ARGS...]; exit 77 (skipped) when the cluster is not there
# because PostgreSQL is not installed.
set -eu
dir=$1
shift
if [ ! -f "$dir/uri" ]; then
	if ! command -v pg_config >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
		echo "pg_run: PostgreSQL is not installed (Debian: postgresql-15): skipped" >&2
		exit 77
	fi
	echo "pg_run: no cluster in $dir: run tests/pg_cluster.sh start $dir first (ctest does)" >&2
	exit 1
fi
COPLAN_TEST_DB=$(cat "$dir/uri")
export COPLAN_TEST_DB
exec "$@"
