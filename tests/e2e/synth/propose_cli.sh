#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e2e: the propose/explain command lines: refusal of an incomplete profile
# (exit 2) unless --allow-incomplete, atomic -o, --json, several profiles.
# Usage: SCRIPT SDHARDEN DATA_DIR
set -u
sdharden=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$data/localonly.json" "$tmp/lost.json" <<'PY' || fail "cannot write the lossy profile"
import json, sys
p = json.load(open(sys.argv[1]))
p["lost_events"] = 12
json.dump(p, open(sys.argv[2], "w"))
PY
"$sdharden" propose "$data/units/localonly.service" --profile "$tmp/lost.json" -o "$tmp/a.conf" 2>"$tmp/err"
[ $? -eq 2 ] || fail "an incomplete profile must be refused with exit 2"
grep -q "incomplete profile" "$tmp/err" || fail "no reason given for the refusal"
[ ! -e "$tmp/a.conf" ] || fail "a refused proposal must not write its output"

"$sdharden" propose "$data/units/localonly.service" --profile "$tmp/lost.json" --allow-incomplete -o "$tmp/a.conf" 2>/dev/null ||
  fail "--allow-incomplete must proceed"
grep -q "^# WARNING: INCOMPLETE PROFILE" "$tmp/a.conf" || fail "the drop-in must carry the warning"
ls "$tmp" | grep -q '\.tmp\.' && fail "temporary file left behind"

"$sdharden" propose "$data/units/nss-ldap.service" --profile "$data/nss-ldap.json" "$data/jit.json" --json >"$tmp/plan.json" ||
  fail "--json with two profiles failed"
python3 - "$tmp/plan.json" <<'PY' || fail "JSON plan malformed"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["evidence"]["runs"] == 6, p["evidence"]
assert p["exposure_after"] < p["exposure_before"]
assert all(d["justification"] for d in p["directives"])
assert all(n["reason"] for n in p["not_set"])
assert p["dropin"].startswith("# Hardening drop-in")
PY

"$sdharden" propose "$data/units/localonly.service" --profile "$tmp/missing.json" 2>/dev/null
[ $? -eq 2 ] || fail "a missing profile is an input error (exit 2)"

"$sdharden" explain "$data/units/localonly.service" --dropin "$data/golden/localonly.conf" -o "$tmp/posture.md" ||
  fail "explain failed"
grep -q "^## Restricted" "$tmp/posture.md" || fail "explain output lacks its sections"
echo "ok"
