#!/usr/bin/env bash
# Reduced real-daemon benchmark for CI: bench/daemons/run.sh on memcached
# (the fastest), asserting the check passed under the hardened unit, every
# negative control held, and exposure after <= 2.0. Cost: about 2-3 minutes
# (auto in containers + 7 x 4 s throughput probes; BENCH_NO_COST=1 skips those).
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
"$run" -s "$SDHARDEN" -o "$out/results.json" memcached || { echo "FAIL: run.sh exited $?"; exit 1; }
row() { jq -r ".daemons[0].$1" "$out/results.json"; }
failures=0
expect() {  # expect DESCRIPTION JQ_BOOLEAN
  if [[ $(jq -r ".daemons[0] | $2" "$out/results.json") == true ]]; then echo "ok: $1"
  else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
expect "auto verified the drop-in" '.report.verified == true'
expect "check passed under the hardened unit" '.report.check_passed == true'
expect "negative controls ran" '([.report.negative_controls[] | select(.status != "skipped")] | length) > 0'
expect "every negative control held" '([.report.negative_controls[] | select(.status == "failed")] | length) == 0'
expect "exposure after <= 2.0 (systemd-analyze: $(row exposure.analyze_after))" \
  '(.exposure.analyze_after | tonumber) <= 2.0'
expect "auto under 5 minutes ($(row auto_seconds) s)" '.auto_seconds < 300'
[[ $failures -eq 0 ]] && echo PASS
exit $((failures > 0))
