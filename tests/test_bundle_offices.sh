#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_bundle_offices.sh - two offices, two databases: ITA sends the plan to JPN, both edit, bundles cross
# both ways, a conflict is resolved, both end with the same canonical plan; every refusal of a bundle.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"

work="$COPLAN_TEST_TMP/bundle_offices.$$"
rm -rf "$work"
mkdir -p "$work/pki"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
EX="$COPLAN_SOURCE_DIR/examples/italy-japan-2024"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ita() { COPLAN_CERT=pki/ita.pem COPLAN_KEY=pki/ita.key "$COPLAN_BIN" --db ita.db "$@"; }
jpn() { COPLAN_CERT=pki/jpn.pem COPLAN_KEY=pki/jpn.key "$COPLAN_BIN" --db jpn.db "$@"; }
# refused CMD...: exit 1 and the message on stderr holds the words expected ($want)
refused() {
	if "$@" >out.txt 2>err.txt; then
		fail "accepted: $* (expected a refusal: $want)"
	elif ! grep -q -- "$want" err.txt; then
		fail "$*: refused without '$want':"; cat err.txt
	fi
}
export COPLAN_AUTHOR=tester

# ---- the test PKI, made here every run (no private key is committed) ----
(
	cd pki || exit 1
	ca() {
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.pem" \
			-days 3650 -subj "$2" -addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || exit 1
		: >"$1.idx"
		echo 01 >"$1.srl"
		printf '[%s]\ndir = %s\ndatabase = $dir/%s.idx\nnew_certs_dir = $dir\ncertificate = $dir/%s.pem\n' \
			"$1" "$PWD" "$1" "$1" >>ca.cnf
		printf 'private_key = $dir/%s.key\nserial = $dir/%s.srl\ndefault_md = sha256\ndefault_days = 365\n' \
			"$1" "$1" >>ca.cnf
		printf 'policy = any\ncopy_extensions = none\nunique_subject = no\n\n' >>ca.cnf
	}
	office() {
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:"$5" -nodes -keyout "$1.key" -out "$1.csr" \
			-subj "$2" 2>/dev/null || exit 1
		printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' >"$1.ext"
		# shellcheck disable=SC2086
		openssl ca -batch -config ca.cnf -name "$3" -in "$1.csr" -out "$1.pem" -notext -extfile "$1.ext" $4 \
			2>/dev/null || exit 1
	}
	ca ita_ca "/C=IT/O=Stato Maggiore della Difesa/CN=ITA coplan test CA"
	ca jpn_ca "/C=JP/O=Joint Staff/CN=JPN coplan test CA"
	ca rogue_ca "/C=IT/O=Nobody/CN=rogue CA"
	printf '[any]\ncountryName = optional\norganizationName = optional\ncommonName = supplied\n' >>ca.cnf
	office ita "/C=IT/O=Stato Maggiore della Difesa/CN=III Reparto" ita_ca "" P-256
	office jpn "/C=JP/O=Joint Staff/CN=J5" jpn_ca "" P-384
	office gbr "/C=GB/CN=UK office" ita_ca "" P-256
	office ita_old "/C=IT/CN=ITA old office" ita_ca "-startdate 20200101000000Z -enddate 20210101000000Z" P-256
	office rogue "/C=IT/O=Stato Maggiore della Difesa/CN=III Reparto" rogue_ca "" P-256
) || { echo "FAIL: cannot make the test PKI with openssl"; exit 1; }

# ---- ITA has the plan; each office trusts the other's CA ----
ita import "$EX/plan.json" >/dev/null 2>&1 && ita import "$EX/activities.csv" >/dev/null 2>&1 ||
	{ echo "FAIL: cannot import the example"; exit 1; }
jpn init >/dev/null || exit 1
ita keys import-ca JPN pki/jpn_ca.pem --talks 1 >keys.txt || fail "ITA cannot import JPN's CA"
grep -q "exchanged at" keys.txt || fail "the CA is not recorded with the staff talks"
jpn keys import-ca ITA pki/ita_ca.pem >/dev/null || fail "JPN cannot import ITA's CA"
jpn keys list | grep -q "^ITA  [0-9a-f]\{64\}" || fail "keys list shows no ITA fingerprint"
want="kept already" refused jpn keys import-ca ITA pki/ita_ca.pem
want="not a CA's own certificate" refused jpn keys import-ca ITA pki/ita.pem

# ---- ITA exports; openssl accepts the signature; JPN verifies and imports ----
ita bundle export --to JPN -o b1.coplan 2>/dev/null || fail "ITA cannot export"
mkdir x && (cd x && unzip -q ../b1.coplan) || fail "the bundle is not a zip"
openssl cms -verify -binary -inform DER -in x/manifest.sig -content x/manifest.json -CAfile pki/ita_ca.pem \
	-out /dev/null 2>/dev/null || fail "openssl cms -verify refuses coplan's bundle"
jpn bundle verify b1.coplan >verify.txt || { fail "JPN refuses ITA's bundle"; cat verify.txt; }
grep -q "verified: signed by CN=III Reparto" verify.txt || fail "verify does not name the signer"
jpn bundle import b1.coplan >import.txt || fail "JPN cannot import ITA's bundle"
grep -q "created from the bundle" import.txt || fail "the first import made no plan"

# ---- the refusals ----
want="taken already (a replay)" refused jpn bundle import b1.coplan
ita bundle export --to JPN -o b2.coplan 2>/dev/null && ita bundle export --to JPN -o b3.coplan 2>/dev/null ||
	fail "ITA cannot export again"
# a flipped bit: in the zip's header, the manifest, the signature, the payload
for at in 10 60 600 1500 8000 -30; do
	"$PYTHON" - "$at" <<'EOF' || fail "cannot flip a bit"
import sys
data = bytearray(open("b2.coplan", "rb").read())
i = int(sys.argv[1]) % len(data)
data[i] ^= 0x10
open("flipped.coplan", "wb").write(bytes(data))
EOF
	want="flipped.coplan: " refused jpn bundle verify flipped.coplan
done
COPLAN_CERT=pki/rogue.pem COPLAN_KEY=pki/rogue.key "$COPLAN_BIN" --db ita.db bundle export --to JPN \
	-o rogue.coplan 2>/dev/null || fail "the rogue office cannot even export"
want="not issued by a trusted CA" refused jpn bundle verify rogue.coplan
COPLAN_CERT=pki/ita_old.pem COPLAN_KEY=pki/ita_old.key "$COPLAN_BIN" --db ita.db bundle export --to JPN \
	-o old.coplan 2>/dev/null || fail "the expired office cannot export"
want="certificate expired on 2021-01-01" refused jpn bundle verify old.coplan
# the example is UNCLASSIFIED REL TO ITA, JPN: nothing of it goes to GBR
want="not releasable to GBR" refused ita bundle export --to GBR -o gbr.coplan
[ ! -e gbr.coplan ] || fail "a refused export wrote its file"
"$COPLAN_BIN" --db gbr.db init >/dev/null
want="the bundle is for JPN, not for this office (GBR)" refused env COPLAN_CERT=pki/gbr.pem \
	"$COPLAN_BIN" --db gbr.db bundle verify b2.coplan
jpn bundle import b3.coplan >/dev/null || fail "JPN cannot import bundle 3"
want="is older than bundle" refused jpn bundle import b2.coplan
want="no CA of ITA is trusted" refused env COPLAN_CERT=pki/jpn.pem "$COPLAN_BIN" --db gbr.db bundle verify b2.coplan
# an unknown base: JPN's bundle names ITA's bundle 3 as its base; a third office that never sent it refuses
jpn bundle export --to ITA -o j0.coplan 2>/dev/null || fail "JPN cannot export"
COPLAN_CERT=pki/ita.pem "$COPLAN_BIN" --db "$COPLAN_TEST_TMP/none.$$.db" init >/dev/null 2>&1
COPLAN_CERT=pki/ita.pem "$COPLAN_BIN" --db "$COPLAN_TEST_TMP/none.$$.db" keys import-ca JPN pki/jpn_ca.pem >/dev/null
want="unknown base" refused env COPLAN_CERT=pki/ita.pem "$COPLAN_BIN" --db "$COPLAN_TEST_TMP/none.$$.db" \
	bundle verify j0.coplan
rm -f "$COPLAN_TEST_TMP/none.$$.db"*
ita bundle import j0.coplan >/dev/null || fail "ITA cannot import JPN's unchanged plan"

# ---- both edit: disjoint fields and one field differently ----
ita activity edit IT-01 --location "Rome, CASD" --reason "venue" >/dev/null || fail "ITA cannot edit"
ita activity edit JP-03 --title "Amerigo Vespucci port call (ITA)" --reason "title" >/dev/null
jpn activity edit JP-01 --location "Tokyo" --reason "venue" >/dev/null || fail "JPN cannot edit"
jpn activity edit JP-03 --title "Amerigo Vespucci port call, Tokyo (JPN)" --reason "title" >/dev/null
jpn bundle export --to ITA -o j1.coplan 2>/dev/null || fail "JPN cannot export its edits"
ita bundle import j1.coplan >import.txt || fail "ITA cannot import JPN's edits"
grep -q "1 conflict to resolve" import.txt || { fail "not exactly one conflict"; cat import.txt; }
ita merge list >list.txt || fail "merge list fails"
grep -q "^JP-03 title: OPEN" list.txt || { fail "the conflict is not JP-03's title"; cat list.txt; }
want="still open" refused ita merge apply
want="a merge of a partner's bundle is waiting" refused ita bundle export --to JPN -o early.coplan
[ ! -e early.coplan ] || fail "a refused export wrote its file"
ita merge take JP-03 title --value "Training ship Amerigo Vespucci port call, Tokyo" >/dev/null ||
	fail "cannot resolve the conflict"
ita merge apply >/dev/null || fail "cannot apply the merge"
ita bundle export --to JPN -o b4.coplan 2>/dev/null || fail "ITA cannot export the merge"
jpn bundle import b4.coplan >import.txt || fail "JPN cannot import the merge"

# ---- both end with byte-identical canonical plans, each history naming both sides ----
ita export json -o ita.json >/dev/null 2>&1 && jpn export json -o jpn.json >/dev/null 2>&1 ||
	fail "cannot export the plans"
cmp -s ita.json jpn.json || fail "the two offices' plans differ"
grep -q '"Rome, CASD"' jpn.json && grep -q '"Tokyo"' ita.json && grep -q 'port call, Tokyo"' ita.json ||
	fail "an edit is missing from the merged plan"
for side in ita jpn; do
	$side version list >versions.txt || fail "$side: version list fails"
	grep -q "merge of .*ITA.*JPN\|merge of .*JPN.*ITA" versions.txt ||
		{ fail "$side: no version names both sides"; cat versions.txt; }
	$side db check >/dev/null || fail "$side: db check fails"
done
# the digests say the same: the canonical JSON's SHA-256 through the bundle's payload
ita bundle export --to JPN -o b5.coplan 2>/dev/null
jpn bundle export --to ITA -o j5.coplan 2>/dev/null
pa=$(jpn bundle verify b5.coplan | sed -n 's/^payload SHA-256 \([0-9a-f]*\).*/\1/p')
pb=$(ita bundle verify j5.coplan | sed -n 's/^payload SHA-256 \([0-9a-f]*\).*/\1/p')
[ -n "$pa" ] && [ "$pa" = "$pb" ] || fail "the canonical plans' SHA-256 differ ($pa, $pb)"

# ---- what is not releasable to the partner stays home, and the next merge keeps it ----
ita activity edit IT-02 --label "UNCLASSIFIED REL TO ITA" --reason "national only" >/dev/null ||
	fail "ITA cannot label IT-02"
ita bundle export --to JPN -o b6.coplan --note "after the 9th staff talks" 2>/dev/null ||
	fail "ITA cannot export with a national activity"
rm -rf y && mkdir y && (cd y && unzip -q ../b6.coplan) || fail "bundle 6 is not a zip"
! grep -q '"IT-02"' y/plan.json || fail "an activity REL TO ITA only went into the bundle for JPN"
grep -q '"label": *"UNCLASSIFIED REL TO ITA, JPN"' y/manifest.json ||
	{ fail "the manifest's label is not the marking of what it holds"; cat y/manifest.json; }
jpn bundle verify b6.coplan | grep -q "^note after the 9th staff talks" || fail "verify does not show the sender's note"
jpn bundle import b6.coplan >import.txt || { fail "JPN cannot import bundle 6"; cat import.txt; }
jpn export json -o jpn6.json >/dev/null 2>&1
! grep -q '"IT-02"' jpn6.json || fail "JPN's plan holds IT-02 after the import"
jpn activity edit JP-01 --location "Tokyo, Ichigaya" --reason "venue" >/dev/null || fail "JPN cannot edit again"
jpn bundle export --to ITA -o j6.coplan 2>/dev/null || fail "JPN cannot export bundle 6"
ita bundle import j6.coplan >import.txt || { fail "ITA cannot import JPN's bundle 6"; cat import.txt; }
ita merge apply >/dev/null 2>&1
ita export json -o ita6.json >/dev/null 2>&1
grep -q '"IT-02"' ita6.json || fail "the merge took away ITA's national activity (absent on JPN's side is not deleted)"
grep -q '"Tokyo, Ichigaya"' ita6.json || fail "JPN's edit did not arrive with bundle 6"

[ "$fails" -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "two offices: bundles crossed both ways, one conflict resolved, the same plan on both sides"
