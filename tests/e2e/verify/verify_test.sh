#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: a python3 http.server unit hardened and verified in a disposable
# systemd container; a wrong drop-in (RestrictAddressFamilies=AF_UNIX for a TCP
# server) fails and bisect names that directive and the refused socket(AF_INET);
# a negative control fails when its directive is left out of the probe's
# sandbox (mutation test). Cost: about 1 minute (about 20 container boots).
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root to boot a systemd container"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing (systemd-container)"; exit 77; fi
if ! command -v curl >/dev/null; then echo "SKIP: curl missing"; exit 77; fi
check='curl -fsS -o /dev/null http://127.0.0.1:8080/'
out=$(mktemp -d /tmp/sdharden-e2e-XXXXXX)
trap 'rm -rf "$out"' EXIT
failures=0
expect() {  # expect NAME CONDITION-RESULT
  if [[ $2 -eq 0 ]]; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}

"$SDHARDEN" verify "$here/web.service" --dropin "$here/good.conf" --check "$check" --json > "$out/good.json"
rc=$?
expect "good drop-in verifies (exit $rc)" $((rc != 0))
python3 - "$out/good.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
items = {(i["stage"], i["name"]): i["status"] for i in v["items"]}
need = [("negative-control", "address families"), ("negative-control", "system call filter"),
        ("negative-control", "read-only system (ProtectSystem=strict)"), ("negative-control", "W^X memory"),
        ("negative-control", "namespaces"), ("negative-control", "capabilities"),
        ("negative-control", "IPC namespace"),
        ("directive", "RestrictAddressFamilies=AF_INET AF_INET6"), ("hardened", "check passes")]
bad = [n for n in need if items.get(n) != "passed"]
print("missing or not passed:", bad) if bad else None
sys.exit(1 if bad or not v["verified"] else 0)
PY
expect "good verdict lists passing controls" $?

"$SDHARDEN" verify "$here/web.service" --dropin "$here/bad.conf" --check "$check" > "$out/bad.txt"
rc=$?
expect "wrong drop-in fails verification (exit $rc, want 1)" $((rc != 1))

"$SDHARDEN" bisect "$here/web.service" --dropin "$here/bad.conf" --check "$check" > "$out/bisect.txt"
rc=$?
cat "$out/bisect.txt"
expect "bisect exits 0 (got $rc)" $((rc != 0))
grep -q '^  RestrictAddressFamilies=AF_UNIX ' "$out/bisect.txt"; expect "bisect names RestrictAddressFamilies=AF_UNIX" $?
[[ $(grep -c '(line ' "$out/bisect.txt") -eq 1 ]]; expect "culprit is that one directive" $?
grep -q 'socket(AF_INET' "$out/bisect.txt"; expect "bisect names the refused socket(AF_INET...)" $?

SDHARDEN_TEST_OMIT_FROM_PROBES=RestrictAddressFamilies \
  "$SDHARDEN" verify "$here/web.service" --dropin "$here/good.conf" --check "$check" > "$out/mutant.txt"
rc=$?
expect "without the directive in the sandbox verification fails (exit $rc, want 1)" $((rc != 1))
grep -q 'FAIL negative-control  address families' "$out/mutant.txt"; expect "the address-family control is the one failing" $?

"$SDHARDEN" verify "$here/web.service" --dropin "$here/good.conf" --check 'false' > /dev/null 2>&1
rc=$?
expect "a check failing without the drop-in is a usage error (exit $rc, want 2)" $((rc != 2))

if pgrep -x systemd-nspawn >/dev/null; then echo "note: a systemd-nspawn is running (maybe another test)"; fi
[[ $failures -eq 0 ]] && echo PASS
exit $((failures > 0))
