#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_user_command.sh - coplan user and coplan plan grant/roles: users, passwords never on the command line, roles.
set -u
: "${COPLAN_BIN:?}" "${COPLAN_SOURCE_DIR:?}" "${COPLAN_TEST_TMP:?}"

work="$COPLAN_TEST_TMP/user.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export COPLAN_DB="$work/coplan.db"
run() { "$COPLAN_BIN" "$@" >"$work/out" 2>"$work/err"; }
expect() { want=$1; shift; run "$@"; got=$?; [ "$got" -eq "$want" ] || { cat "$work/err"; fail "'$*' exited $got, expected $want"; }; }

# the first user makes the database; the password comes from standard input
printf '%s\n' "a long passphrase" | "$COPLAN_BIN" user add admin --nation ita --admin >"$work/out" 2>"$work/err" ||
	{ cat "$work/err"; fail "user add admin"; }
grep -q "user admin (ITA), an administrator, added" "$work/out" || fail "add says what it did"
# or from a file, never from the command line
printf '%s\n' "planner passphrase" >"$work/pw"
expect 0 user add rossi --nation ITA --display-name "Col. Mario Rossi" --password-file "$work/pw"
expect 2 user add sato --nation JPN --password "on the command line"
expect 2 user add sato                                   # no nation
expect 1 user add "bad name" --nation JPN --password-file "$work/pw"
grep -q "user name" "$work/err" || fail "a bad name is named"
printf 'short\n' | "$COPLAN_BIN" user add sato --nation JPN >/dev/null 2>"$work/err" && fail "a short password was taken"
grep -q "at least 12" "$work/err" || fail "the short password's message"
expect 1 user add rossi --nation ITA --password-file "$work/pw"
grep -q "exists already" "$work/err" || fail "a second rossi"
expect 1 user add sato --nation XXX --password-file "$work/pw"

expect 0 user list
grep -q "^rossi  *ITA .*Col. Mario Rossi" "$work/out" || fail "list shows rossi"
grep -q "^admin  *ITA  admin" "$work/out" || fail "list shows the administrator"
expect 0 user list --format json
"${PYTHON:-python3}" - "$work/out" <<'PY' || fail "user list --format json"
import json, sys
users = json.load(open(sys.argv[1]))
assert [u["name"] for u in users] == ["admin", "rossi"], users
assert users[0]["is_admin"] is True and users[1]["display_name"] == "Col. Mario Rossi", users
assert all("hash" not in k and "password" not in k for u in users for k in u), users
PY
# kept as an argon2id hash of 19 MiB and 2 passes, never as itself
if command -v sqlite3 >/dev/null; then
	sqlite3 "$COPLAN_DB" "SELECT password_hash FROM account WHERE name = 'rossi'" |
		grep -q '^\$argon2id\$v=19\$m=19456,t=2,' || fail "rossi's password is not an argon2id hash"
fi
cat "$COPLAN_DB"* | grep -q 'planner passphrase' && fail "the password itself is in the database"

expect 0 user disable rossi
grep -q "disabled" "$work/out" || fail "disable says so"
expect 0 user list
grep -q "^rossi .*disabled" "$work/out" || fail "list shows rossi disabled"
expect 0 user enable rossi
expect 1 user disable nosuchuser
printf '%s\n' "another passphrase" | "$COPLAN_BIN" user passwd rossi >"$work/out" 2>"$work/err" ||
	{ cat "$work/err"; fail "passwd"; }
expect 2 user passwd                                     # which user?
expect 2 user frobnicate rossi

# roles on a plan
"$COPLAN_BIN" import "$COPLAN_SOURCE_DIR/examples/italy-japan-2024/plan.json" >/dev/null 2>&1 || fail "import"
expect 0 plan grant rossi planner
expect 0 plan grant admin owner --plan 1
expect 0 plan roles
grep -q "^rossi  *ITA  planner" "$work/out" || fail "roles lists rossi"
expect 0 plan roles --format json
"${PYTHON:-python3}" - "$work/out" <<'PY' || fail "plan roles --format json"
import json, sys
roles = {r["user"]: r["role"] for r in json.load(open(sys.argv[1]))}
assert roles == {"admin": "owner", "rossi": "planner"}, roles
PY
expect 2 plan grant rossi boss
expect 1 plan grant nosuchuser viewer
expect 1 plan grant admin planner                        # the last owner stays
grep -q "last owner" "$work/err" || fail "the last owner's message"
expect 0 plan grant rossi none
expect 0 plan roles
grep -q "rossi" "$work/out" && fail "rossi's role was not taken away"
# releasability: a clearance and caveats the label policy names (docs/labels.md), nothing else
expect 0 user add tanaka --nation JPN --clearance secret --caveats "CRYPTO ATOMAL" --password-file "$work/pw"
expect 1 user add suzuki --nation JPN --clearance SUPER --password-file "$work/pw"
grep -q "clearance 'SUPER': not a level of the label policy" "$work/err" || fail "an unknown clearance"
expect 1 user add suzuki --nation JPN --caveats NOFORN --password-file "$work/pw"
grep -q "caveats 'NOFORN'" "$work/err" || fail "an unknown caveat"
expect 2 user passwd tanaka --clearance SECRET
# labels where they are written: an activity's, checked against the policy
expect 0 import "$COPLAN_SOURCE_DIR/examples/italy-japan-2024/activities.csv" --plan 1
expect 0 activity edit JP-11 --label "RESTRICTED REL TO JPN" --plan 1
grep -q "JP-11 label: .*-> RESTRICTED REL TO JPN" "$work/out" || fail "the label change is reported"
expect 1 activity edit JP-11 --label "SECRETISH" --plan 1
grep -q "label 'SECRETISH'" "$work/err" || fail "a bad label is named"
expect 0 export json --plan 1
grep -q '"label": "RESTRICTED REL TO JPN"' "$work/out" || fail "the JSON carries the label and the marking"
echo "ok: user and role commands"
