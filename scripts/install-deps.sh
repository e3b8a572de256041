#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages coplan needs to build, test and run, only those missing.
# Usage: scripts/install-deps.sh   (as root on Debian 12; a no-op when all are present)
set -eu

PACKAGES="
build-essential cmake pkg-config clang
libsqlite3-dev sqlite3
libpq-dev postgresql-15
libjansson-dev
libical-dev
libxml2-dev unicode-cldr-core
libcsv-dev
libcmocka-dev
python3 python3-icalendar python3-holidays python3-workalendar python3-jsonschema
tzdata iso-codes
libcairo2-dev libpango1.0-dev libfontconfig-dev libxlsxwriter-dev fonts-noto-cjk
poppler-utils python3-openpyxl
coinor-cbc time python3-matplotlib
libzip-dev
libssl-dev libunistring-dev
libsodium-dev
libmicrohttpd-dev libgnutls28-dev curl openssl
chromium chromium-driver python3-selenium wrk
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages and not root; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
