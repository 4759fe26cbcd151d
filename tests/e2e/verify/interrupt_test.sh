#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: `verify` stopped by SIGTERM (and by SIGINT) while its container
# is up takes everything down before it exits: no systemd-nspawn left, no
# container cgroup, no console log in /tmp, no per-run file under /run, and
# it says so and exits 128 + the signal; `profile` stops tracing on SIGINT and
# still writes its profile. Cost: about 12 s (two boots).
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root to boot a systemd container"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing (systemd-container)"; exit 77; fi
out=$(mktemp -d /tmp/sdharden-e2e-XXXXXX)
trap 'rm -rf "$out"' EXIT
failures=0
expect() {  # expect NAME CONDITION-RESULT
  if [[ $2 -eq 0 ]]; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}

# What a run whose PID is $1 leaves behind, one line each.
leftovers() {
  local pid=$1
  pgrep -af -- "--machine=sdh-$pid-" | sed 's/^/process: /'
  ls -d /tmp/sdharden-nspawn-"$pid"-* 2>/dev/null | sed 's/^/temp: /'
  ls -d /run/sdharden-"$pid"* 2>/dev/null | sed 's/^/run: /'
  find /sys/fs/cgroup -maxdepth 3 -type d -name "sdh-$pid-*" 2>/dev/null | sed 's/^/cgroup: /'
}

for sig in TERM INT; do
  # A check that takes long, so the run is surely inside its container.
  "$SDHARDEN" verify "$here/web.service" --dropin "$here/good.conf" --check 'sleep 60' \
    >"$out/$sig.out" 2>"$out/$sig.err" &
  pid=$!
  booted=0
  for _ in $(seq 1 600); do
    if pgrep -f -- "--machine=sdh-$pid-" >/dev/null; then booted=1; break; fi
    sleep 0.1
  done
  expect "SIG$sig: the container came up" $((booted != 1))
  sleep 3  # inside the run: the unit is installed and starting
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  want=$((128 + $(kill -l "$sig")))
  expect "SIG$sig: exits $want (got $rc)" $((rc != want))
  grep -q 'interrupted' "$out/$sig.err"; expect "SIG$sig: says it was interrupted" $?
  grep -q 'cleaned up' "$out/$sig.err"; expect "SIG$sig: says it cleaned up" $?
  left=$(leftovers "$pid")
  [[ -z $left ]]; expect "SIG$sig: nothing left behind${left:+: $left}" $?
done

# profile stops tracing on the first SIGINT and still writes its profile.
"$SDHARDEN" profile -o "$out/p.json" -- sleep 30 >"$out/profile.out" 2>&1 &
pid=$!
sleep 3
kill -s INT "$pid"
wait "$pid"
rc=$?
if grep -q 'tracer unavailable' "$out/profile.out"; then
  echo "skip: profile: the eBPF tracer is unavailable here"
else
  expect "profile: SIGINT stops it with exit 0 (got $rc)" $((rc != 0))
  [[ -s $out/p.json ]]; expect "profile: the profile is written" $?
fi
pkill -f '^sleep 30$' || true

echo "$failures failure(s)"
((failures == 0))
