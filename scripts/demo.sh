#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's main job, on a fresh Debian 12 machine (as root):
#   build sdharden, install nginx from Debian's packages without starting it on
#   this host, score its unit, harden it, prove the drop-in under a real systemd
#   in a disposable container (check: curl -fsS http://127.0.0.1/ inside it),
#   and print the exposure before -> after and the drop-in.
# `sdharden auto` (profile -> propose -> verify -> bisect/relax) is used when
# this build has it; otherwise a hand-picked drop-in is verified.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "demo: run as root (installs nginx, boots a systemd container)"; exit 2; }

BUILD_DIR=${BUILD_DIR:-build}
echo "== build"
scripts/install-deps.sh
BUILD_DIR=$BUILD_DIR scripts/build.sh
SDH=$(cd "$BUILD_DIR" && pwd)/src/cli/sdharden
work=$(mktemp -d /tmp/sdharden-demo-XXXXXX)
policy=/usr/sbin/policy-rc.d
restore_policy() {
  if [[ -e $work/policy-rc.d.saved ]]; then mv -f "$work/policy-rc.d.saved" "$policy"
  elif [[ -e $work/policy-rc.d.ours ]]; then rm -f "$policy"; fi
}
trap 'restore_policy; rm -rf "$work"' EXIT

echo "== install nginx from Debian's packages (not started on this host)"
if ! dpkg-query -W -f='${Status}' nginx 2>/dev/null | grep -q "install ok installed"; then
  if [[ -e $policy ]]; then cp -a "$policy" "$work/policy-rc.d.saved"; else touch "$work/policy-rc.d.ours"; fi
  printf '#!/bin/sh\n# sdharden demo: never start daemons while installing\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
  restore_policy
  rm -f "$work/policy-rc.d.saved" "$work/policy-rc.d.ours"
fi
unit=nginx.service
check='curl -fsS -o /dev/null http://127.0.0.1/'

echo "== exposure before"
"$SDH" score "$unit" --summary | sed "/^$/d" | tail -1

dropin=$work/50-sdharden.conf
start=$(date +%s)
if "$SDH" auto --help 2>/dev/null | grep -q -- '--check'; then
  echo "== sdharden auto $unit --check '$check'"
  "$SDH" auto "$unit" --check "$check" -o "$dropin"
else
  echo "== verify a hand-picked drop-in in a disposable systemd container"
  cat > "$dropin" <<'CONF'
[Service]
ProtectSystem=strict
ReadWritePaths=/var/log/nginx /var/lib/nginx /run
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateMounts=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
ProcSubset=pid
NoNewPrivileges=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
SystemCallFilter=@system-service
SystemCallFilter=~@resources @privileged
SystemCallFilter=setuid setgid setgroups chown
SystemCallErrorNumber=EPERM
SystemCallArchitectures=native
CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_CHOWN CAP_DAC_OVERRIDE
UMask=0077
CONF
  "$SDH" verify "$unit" --dropin "$dropin" --check "$check"
fi
took=$(( $(date +%s) - start ))

echo "== exposure after (the unit plus the drop-in, scored offline)"
fragment=$(systemctl show -P FragmentPath "$unit" 2>/dev/null || true)
[[ -n $fragment && -f $fragment ]] || fragment=/lib/systemd/system/$unit
mkdir -p "$work/root/lib/systemd/system" "$work/root/etc/systemd/system/$unit.d"
cp "$fragment" "$work/root/lib/systemd/system/$unit"
cp "$dropin" "$work/root/etc/systemd/system/$unit.d/50-sdharden.conf"
before=$("$SDH" score "$unit" --summary | sed -n 's/.*exposure for [^:]*: \([0-9.]*\).*/\1/p')
after=$("$SDH" score --root "$work/root" "$unit" --summary | sed -n 's/.*exposure for [^:]*: \([0-9.]*\).*/\1/p')
echo "exposure of $unit: $before -> $after (verified in ${took} s)"
echo "== the drop-in (install it with: sdharden apply $unit --dropin FILE --check '$check')"
cat "$dropin"
