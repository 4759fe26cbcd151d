#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: `sdharden auto` (profile -> propose -> verify -> bisect/relax)
# on the python3 http.server unit, and on nginx when it is installed: each
# must end with a verified drop-in that lowers the exposure, in < 5 minutes.
# Cost: about 20 s per unit.
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root (eBPF profiler, systemd container)"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing"; exit 77; fi
out=$(mktemp -d /tmp/sdharden-auto-XXXXXX)
trap 'rm -rf "$out"' EXIT
# (-o into our own folder: the profile is written atomically by rename.)
if ! "$SDHARDEN" profile -o "$out/probe.json" -- /bin/true >/dev/null 2>"$out/probe.err"; then
  echo "SKIP: the eBPF profiler does not work here: $(head -2 "$out/probe.err")"; exit 77
fi
failures=0
run_auto() {  # run_auto UNIT CHECK [MAX_EXPOSURE]
  local max=${3:-10.0}
  local start=$SECONDS
  timeout 300 "$SDHARDEN" auto "$1" --check "$2" -o "$out/dropin.conf" > "$out/auto.txt" 2>&1
  local rc=$? took=$((SECONDS - start))
  grep -E '^(exposure|relaxed|VERIFIED|NOT VERIFIED)' "$out/auto.txt"
  local line before after
  line=$(grep '^exposure of' "$out/auto.txt")
  before=$(sed -n 's/.*: \([0-9.]*\) -> .*/\1/p' <<<"$line")
  after=$(sed -n 's/.* -> \([0-9.]*\);.*/\1/p' <<<"$line")
  local justified
  justified=$(sed -n 's/.*justified=\([0-9]*\/[0-9]*\).*/\1/p' <<<"$line")
  if [[ -z $justified || ${justified%/*} != "${justified#*/}" ]]; then
    echo "FAIL: auto $1: not every line of the drop-in is justified ($justified)"; failures=$((failures + 1))
  fi
  # The containment battery ran inside the unit's sandbox both ways, and the
  # drop-in removed leaves more possible (the battery can tell them apart).
  local battery
  battery=$(grep -m1 '^containment battery:' "$out/auto.txt")
  if [[ $battery =~ ([0-9]+)\ of\ [0-9]+\ attempts\ possible\ without\ the\ drop-in,\ ([0-9]+)\ with ]] &&
     ((BASH_REMATCH[2] < BASH_REMATCH[1])); then
    echo "ok: auto $1: $battery"
  else
    echo "FAIL: auto $1: the containment battery does not show the drop-in's effect: '$battery'"; failures=$((failures + 1))
  fi
  if [[ $rc -eq 0 && -s $out/dropin.conf && -n $after ]] && awk "BEGIN{exit !($after < $before && $after <= $max)}" && ((took < 300)); then
    echo "ok: auto $1: verified, exposure $before -> $after in ${took} s"
  else
    echo "FAIL: auto $1 (exit $rc, exposure '$before' -> '$after' (at most $max), ${took} s)"; tail -20 "$out/auto.txt"
    failures=$((failures + 1))
  fi
}
run_auto "$here/web.service" 'curl -fsS -o /dev/null http://127.0.0.1:8080/'
# A forking template instance behind a wrapper: its cgroup sits in
# system-NAME.slice; the profile must see the daemon, the drop-in verify.
# (Installed where the container sees it: its /etc is an overlay of ours.)
tmpl=/etc/systemd/system/sdh-e2e-forker@.service
cp "$here/sdh-e2e-forker@.service" "$tmpl"
trap 'rm -rf "$out"; rm -f "$tmpl"' EXIT
run_auto sdh-e2e-forker@8089.service 'curl -fsS -o /dev/null http://127.0.0.1:8089/'
if grep -qE '^   [1-9][0-9]* events, [1-9][0-9]* executables' "$out/auto.txt"; then
  echo "ok: the template instance was profiled: $(grep -E 'events, .* executables' "$out/auto.txt" | head -1)"
else echo "FAIL: the template instance's profile is empty: $(grep -E 'events' "$out/auto.txt" | head -1)"; failures=$((failures + 1)); fi
rm -f "$tmpl"
# A check that fails even without the drop-in proves nothing: exit 1, no -o,
# and with --write-unverified a drop-in whose first line says so.
rm -f "$out/unverified.conf"
timeout 300 "$SDHARDEN" auto "$here/web.service" --check 'false' -o "$out/unverified.conf" >"$out/unv.txt" 2>&1
rc=$?
if [[ $rc -eq 1 && ! -e $out/unverified.conf ]]; then echo "ok: unverified auto exits 1 and writes nothing"
else echo "FAIL: unverified auto: exit $rc, -o $(test -e "$out/unverified.conf" && echo written || echo absent)"; tail -5 "$out/unv.txt"; failures=$((failures + 1)); fi
timeout 300 "$SDHARDEN" auto "$here/web.service" --check 'false' -o "$out/unverified.conf" --write-unverified >"$out/unv.txt" 2>&1
rc=$?
if [[ $rc -eq 1 ]] && head -1 "$out/unverified.conf" 2>/dev/null | grep -q '^# NOT VERIFIED: '; then
  echo "ok: --write-unverified marks the drop-in: $(head -1 "$out/unverified.conf")"
else echo "FAIL: --write-unverified: exit $rc, first line '$(head -1 "$out/unverified.conf" 2>/dev/null)'"; failures=$((failures + 1)); fi
# A root daemon whose account is refused only by a read it does without
# (root's /etc/shadow): the plan as the account is tried after the root plan
# verifies, verified in turn, and kept; its User= line says what was refused.
trial_unit=/etc/systemd/system/sdh-e2e-trial.service
install -d -o daemon -g daemon /var/lib/sdh-e2e-trial
cp "$here/sdh-e2e-trial.service" "$trial_unit"
trap 'rm -rf "$out" /var/lib/sdh-e2e-trial; rm -f "$trial_unit"' EXIT
run_auto sdh-e2e-trial.service 'curl -fsS -o /dev/null http://127.0.0.1:8092/'
if grep -q '^plan as the daemon.s account: kept as daemon' "$out/auto.txt" && grep -qx 'User=daemon' "$out/dropin.conf" &&
   grep -q '^# verified as daemon: .*could not read /etc/shadow' "$out/dropin.conf"; then
  echo "ok: the plan as daemon was tried, verified and kept"
else
  echo "FAIL: the plan as daemon was not kept: $(grep -E '^plan as|Beyond|User=' "$out/auto.txt" "$out/dropin.conf" | head -5)"
  failures=$((failures + 1))
fi
rm -f "$trial_unit"
if dpkg-query -W -f='${Status}' nginx 2>/dev/null | grep -q "install ok installed"; then
  # nginx from 9.6 to at most 1.6, verified, under 5 minutes: it starts as
  # root only to bind port 80, write /run/nginx.pid and switch to www-data,
  # so it is started as www-data with an ambient CAP_NET_BIND_SERVICE and its
  # PID file created for it (the root variant scores 2.4).
  run_auto nginx.service 'curl -fsS -o /dev/null http://127.0.0.1/' 1.6
  for line in User=www-data AmbientCapabilities=CAP_NET_BIND_SERVICE CapabilityBoundingSet=CAP_NET_BIND_SERVICE \
    'ExecStartPre=+/usr/bin/install -m 0644 -o www-data -g www-data /dev/null /run/nginx.pid'; do
    if grep -qxF "$line" "$out/dropin.conf"; then echo "ok: nginx drop-in has $line"
    else echo "FAIL: nginx drop-in lacks $line"; failures=$((failures + 1)); fi
  done
else
  echo "note: nginx not installed, only the python unit was hardened (scripts/demo.sh installs it)"
fi
[[ $failures -eq 0 ]] && echo PASS
exit $((failures > 0))
