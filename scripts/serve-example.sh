#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# serve-example.sh - what `make serve` does after building: the example's database when there is
# none, the first user (an administrator, owner of the example plan) when there is none, then serve.
# Usage: scripts/serve-example.sh COPLAN DB EXAMPLE [LISTEN]
set -eu
coplan=$1 db=$2 example=$3 listen=${4:-127.0.0.1:8080}
if [ ! -e "$db" ]; then
	"$coplan" --db "$db" plan "$example" -o out
fi
if ! "$coplan" --db "$db" user list --format json | grep -q "\"name\""; then
	printf 'No user yet: the first one is an administrator.\nUser name [admin]: '
	read -r name
	name=${name:-admin}
	printf 'Nation (ISO 3166-1 alpha-3) [ITA]: '
	read -r nation
	nation=${nation:-ITA}
	"$coplan" --db "$db" user add "$name" --nation "$nation" --admin
	for id in $("$coplan" --db "$db" talks list --format json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p'); do
		"$coplan" --db "$db" plan grant "$name" owner --plan "$id"
	done
fi
exec "$coplan" --db "$db" serve --listen "$listen"
