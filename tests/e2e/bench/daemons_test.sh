#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reduced real-daemon benchmark for CI: bench/daemons/run.sh on redis-server
# and memcached, asserting that auto verified the drop-in, the check passed
# under the hardened unit, every negative control held, auto took < 5 min,
# and the exposure targets of issue 6 for these two:
#  - redis-server <= 1.2 (Debian's hand-hardened unit), reached through a
#    static User=redis: it runs as root only to reach redis's own files;
#  - memcached <= 2.0 (and < Debian's 4.8): its Debian wrapper refuses to
#    start unprivileged, so auto must drop the proposed static User=memcache
#    after verification; memcached then switches to memcache itself, so the
#    unit keeps User=memcache with its start kept as root ("!").
# And redis-server's ephemeral root (RootDirectory=) is verified, compared
# with the plan without it by the containment battery, and kept only if not worse.
# Cost: about 4-6 minutes (auto in containers + throughput probes).
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
run=$here/../../../bench/daemons/run.sh
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root (eBPF profiler, systemd container)"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing"; exit 77; fi
out=$(mktemp -d /tmp/sdharden-bench-XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! "$SDHARDEN" profile -o "$out/probe.json" -- /bin/true >/dev/null 2>"$out/probe.err"; then
  echo "SKIP: the eBPF profiler does not work here: $(head -2 "$out/probe.err")"; exit 77
fi
"$run" -s "$SDHARDEN" -o "$out/results.json" redis-server memcached || { echo "FAIL: run.sh exited $?"; exit 1; }
failures=0
expect() {  # expect DAEMON DESCRIPTION JQ_BOOLEAN
  local d=".daemons[] | select(.daemon == \"$1\")"
  if [[ $(jq -r "$d | $3" "$out/results.json") == true ]]; then echo "ok: $1: $2"
  else echo "FAIL: $1: $2"; failures=$((failures + 1)); fi
}
value() { jq -r ".daemons[] | select(.daemon == \"$1\") | $2" "$out/results.json"; }
for d in redis-server memcached; do
  expect $d "auto verified the drop-in" '.report.verified == true'
  expect $d "check passed under the hardened unit" '.report.check_passed == true'
  expect $d "workload passed under the hardened unit, check after it" '.report.workload_passed == true'
  expect $d "negative controls ran" '([.report.negative_controls[] | select(.status != "skipped")] | length) > 0'
  expect $d "every negative control held" '([.report.negative_controls[] | select(.status == "failed")] | length) == 0'
  expect $d "auto under 5 minutes ($(value $d .auto_seconds) s)" '.auto_seconds < 300'
  expect $d "sdharden's score equals systemd-analyze's" '.exposure.sdharden_after == .exposure.analyze_after'
  expect $d "every line of the drop-in justified ($(value $d '"\(.report.justified.justified)/\(.report.justified.lines)"'))" \
    '.report.justified.lines > 0 and .report.justified.justified == .report.justified.lines'
  expect $d "expert parity: no worse than Debian's own unit ($(value $d .exposure.debian_unit))" \
    '(.exposure.analyze_after | tonumber) <= (.exposure.debian_unit | tonumber)'
  expect $d "each of Debian's restrictions the drop-in lacks has the drop-in's reason" \
    '[.parity.lacks[] | select(.evidence | test("no reason given"))] | length == 0'
  expect $d "no directive removed where a narrower grant was possible" \
    '[.report.relaxed[] | select(.kind == "removed" and (.reason | test("no narrower grant") | not))] | length == 0'
done
expect redis-server "exposure after <= 1.2 (systemd-analyze: $(value redis-server .exposure.analyze_after))" \
  '(.exposure.analyze_after | tonumber) <= 1.2'
expect redis-server "runs as redis" '.report.dropin | test("\nUser=redis\n")'
expect redis-server "its ephemeral root was verified and kept only if the battery finds no more possible inside it ($(value redis-server '.report.ephemeral_root | "\(.possible_with)/\(.possible_without)"'))" \
  '.report.ephemeral_root != null and (.report.ephemeral_root.kept == (.report.ephemeral_root.possible_with <= .report.ephemeral_root.possible_without)) and ((.own_root != null) == .report.ephemeral_root.kept)'
expect memcached "exposure after <= 2.0 (systemd-analyze: $(value memcached .exposure.analyze_after))" \
  '(.exposure.analyze_after | tonumber) <= 2.0'
expect memcached "the static user was tried and dropped after verification" \
  '[.report.relaxed[].directive] | any(startswith("User="))'
expect memcached "runs under User=memcache, its start kept as root (the daemon switches itself)" \
  '.report.dropin | test("\nUser=memcache\n") and test("\nExecStart=!")'
echo "profiling cost (throughput under sdharden profile / untraced, measured on the host):" \
  "redis $(value redis-server .throughput.profiled_ratio), memcached $(value memcached .throughput.profiled_ratio)"
[[ $failures -eq 0 ]] && echo PASS
exit $((failures > 0))
