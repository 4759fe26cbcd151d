#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: `sdharden auto --os-tree` hardens a real daemon (memcached, its
# unit stripped of sandboxing) under Debian 13's systemd 257, booted from a
# debootstrapped trixie tree: the drop-in must be verified, carry directives
# systemd 252 does not know, show them in effect (`systemctl show` inside the
# container) and pass their negative controls. The tree is built once and
# cached (scripts/os-tree.sh); the test works on a copy of it.
# Cost: ~20 s, plus a few minutes the first time the tree is built.
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root (debootstrap, eBPF profiler, systemd container)"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing"; exit 77; fi
work=$(mktemp -d /var/tmp/sdharden-os-tree-XXXXXX)
trap 'rm -rf "$work"' EXIT
if ! "$SDHARDEN" profile -o "$work/probe.json" -- /bin/true >/dev/null 2>"$work/probe.err"; then
  echo "SKIP: the eBPF profiler does not work here: $(head -2 "$work/probe.err")"; exit 77
fi
if ! tree=$("$here/../../../scripts/os-tree.sh" trixie memcached netcat-openbsd 2>"$work/tree.err"); then
  echo "FAIL: could not build the trixie tree:"; tail -5 "$work/tree.err"; exit 1
fi
copy=$work/trixie
cp -a "$tree" "$copy"
cat > "$copy/etc/systemd/system/memcached.service" <<'UNIT'
[Unit]
Description=memcached daemon (Debian's unit stripped of sandboxing)
After=network.target

[Service]
ExecStart=/usr/bin/memcached -u memcache -l 127.0.0.1 -p 11211 -m 64

[Install]
WantedBy=multi-user.target
UNIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check='printf "stats\r\nquit\r\n" | nc -q1 127.0.0.1 11211 | grep -q "STAT pid"'
timeout 600 "$SDHARDEN" auto memcached.service --os-tree "$copy" --check "$check" \
  -o "$work/dropin.conf" --report "$work/report.json" > "$work/auto.txt" 2>&1
rc=$?
grep -E '^(== profile|exposure|VERIFIED|NOT VERIFIED)' "$work/auto.txt"
[[ $rc == 0 ]] || { fail "auto exit $rc"; tail -30 "$work/auto.txt"; }
grep -q 'systemd 257' "$work/auto.txt" || fail "not run under the tree's systemd 257"
# Directives 252 does not know, in effect inside the container, controls holding.
newer=0
for d in PrivatePIDs=yes PrivateTmp=disconnected ProtectControlGroups=strict; do
  grep -qx "$d" "$work/dropin.conf" 2>/dev/null || continue
  newer=$((newer + 1))
  grep -qE "PASS directive +$d +\(shows" "$work/auto.txt" || fail "$d not shown in effect by systemctl show"
done
((newer > 0)) || fail "no directive of systemd 257 in the drop-in"
if grep -qx "PrivatePIDs=yes" "$work/dropin.conf" 2>/dev/null; then
  grep -qE "PASS negative-control +PID namespace" "$work/auto.txt" || fail "PID namespace control did not hold"
fi
if grep -qx "PrivateTmp=disconnected" "$work/dropin.conf" 2>/dev/null; then
  grep -qE "PASS negative-control +private /tmp" "$work/auto.txt" || fail "private /tmp control did not hold"
fi
# The same drop-in is not for 252: lint with 252's rules flags what it does not know.
mkdir -p "$work/lint/memcached.service.d"
cp "$copy/etc/systemd/system/memcached.service" "$work/lint/"
cp "$work/dropin.conf" "$work/lint/memcached.service.d/50-sdharden.conf" 2>/dev/null
"$SDHARDEN" lint --systemd 252 "$work/lint/memcached.service" > "$work/lint252.txt" 2>&1
grep -q "systemd 257 and later" "$work/lint252.txt" || fail "lint --systemd 252 does not flag 257's directives"
"$SDHARDEN" lint --systemd 257 "$work/lint/memcached.service" > "$work/lint257.txt" 2>&1
grep -q "unknown directive" "$work/lint257.txt" && fail "lint --systemd 257 flags its own directives"
python3 - "$work/report.json" <<'PY' || fail "report wrong"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verified"] is True, r["error"]
assert r["justified"]["justified"] == r["justified"]["lines"], r["justified"]
assert float(r["exposure_after"]) < float(r["exposure_before"]), (r["exposure_before"], r["exposure_after"])
PY
echo "os_tree: $failures failure(s)"
((failures == 0))
