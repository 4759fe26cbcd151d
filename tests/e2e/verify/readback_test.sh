#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: a drop-in that resets each list directive and then sets it
# ("KEY=" then "KEY=values") is read back as those values from the real
# `systemctl show` of systemd 252 (this machine) and 257 (a debootstrapped
# trixie tree): every directive item passes, none reads the reset alone as
# "empty" (issue 22: a bounding set systemd applied exactly was removed).
# Cost: ~30 s, plus a few minutes the first time the trixie tree is built.
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root (systemd container)"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing"; exit 77; fi
work=$(mktemp -d /var/tmp/sdharden-readback-XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/sdh-readback.service" <<'UNIT'
[Service]
ExecStart=/bin/sleep infinity
UNIT
# Each list directive: a reset, then its values.
lists=(
  "CapabilityBoundingSet=CAP_CHOWN CAP_SETUID CAP_NET_BIND_SERVICE"
  "AmbientCapabilities=CAP_NET_BIND_SERVICE"
  "SystemCallFilter=@system-service"
  "SystemCallArchitectures=native"
  "RestrictAddressFamilies=AF_UNIX AF_INET"
  "RestrictNamespaces=net"
  "ReadWritePaths=-/var/tmp"
  "ReadOnlyPaths=-/srv"
  "InaccessiblePaths=-/etc/ssh -/etc/gshadow"
  "ExecPaths=/usr /bin"
  "NoExecPaths=/"
  "TemporaryFileSystem=/mnt:ro"
  "IPAddressDeny=any"
  "IPAddressAllow=localhost"
  "SupplementaryGroups=adm"
  "DeviceAllow=/dev/null rw"
)
{
  echo "[Service]"
  for line in "${lists[@]}"; do echo "${line%%=*}="; echo "$line"; done
} >"$work/dropin.conf"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() {  # NAME ARGS...: verify, then look at the directive items only
  local name=$1; shift
  timeout 300 "$SDHARDEN" verify "$work/sdh-readback.service" --dropin "$work/dropin.conf" --check true \
    --no-profile "$@" >"$work/$name.txt" 2>&1
  local passed failed
  passed=$(grep -c '^  PASS directive' "$work/$name.txt")
  failed=$(grep -c '^  FAIL directive' "$work/$name.txt")
  if [[ $passed -eq ${#lists[@]} && $failed -eq 0 ]]; then
    echo "ok: $name: all ${#lists[@]} reset-then-set lists read back as their values"
  else
    fail "$name: $passed of ${#lists[@]} directive items passed, $failed failed"
    grep -E '^  (PASS|FAIL|----) (directive|baseline|hardened)' "$work/$name.txt" | head -24
    grep '^error' "$work/$name.txt"
  fi
}
run "systemd $(systemctl --version | awk 'NR==1 {print $2}')"
if tree=$("$here/../../../scripts/os-tree.sh" trixie 2>"$work/tree.err"); then
  run "systemd 257 (trixie tree)" --os-tree "$tree"
else
  fail "could not build the trixie tree: $(tail -3 "$work/tree.err")"
fi
[[ $failures -eq 0 ]] && echo PASS
exit $((failures > 0))
