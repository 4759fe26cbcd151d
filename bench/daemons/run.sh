#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real-daemon benchmark (README.md here): for each
# definition in this folder, harden Debian's unit stripped of its sandboxing
# with `sdharden auto`, score before/after with sdharden and with
# systemd-analyze, and measure the profiling cost on the daemon's workload.
# usage: bench/daemons/run.sh [-s SDHARDEN] [-o RESULTS_JSON] [DAEMON...]
#   (as root; default: every *.def here; about 1-3 minutes per daemon)
# Env: BENCH_NO_COST=1 skips the profiling-cost measurement.
#      BENCH_ONLY_COST=1 measures only the profiling cost (no `sdharden auto`,
#      no scores); BENCH_NO_STRACE=1 skips the strace -f run;
#      BENCH_COST_RUNS=N runs untraced/profiled N times each (default 3).
#      BENCH_KEEP=DIR copies each daemon's work folder (auto.txt, report.json,
#      dropin.conf, the baseline unit) to DIR/NAME before the temp dir goes.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sdh=$here/../../build/src/cli/sdharden
results=$here/results.json
while getopts "s:o:" opt; do
  case $opt in s) sdh=$OPTARG ;; o) results=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
[[ $(id -u) -eq 0 ]] || { echo "bench: needs root (eBPF, systemd-nspawn)"; exit 2; }
[[ -x $sdh ]] || { echo "bench: $sdh not found (build first or pass -s)"; exit 2; }
sdh=$(readlink -f "$sdh")
daemons=("$@")
if [[ ${#daemons[@]} -eq 0 ]]; then
  for d in "$here"/*.def; do daemons+=("$(basename "$d" .def)"); done
fi
work=$(mktemp -d /tmp/sdh-daemons.XXXXXX)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Installs packages without letting an init script start a system instance.
install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  # Debconf answers (PRESEED, debconf-set-selections lines) before the install.
  if [[ -n ${PRESEED:-} ]]; then
    printf '%s\n' "$PRESEED" | debconf-set-selections || { echo "bench: debconf-set-selections failed"; return 1; }
  fi
  local saved=
  [[ -e /usr/sbin/policy-rc.d ]] && { saved=$work/policy-rc.d.saved; cp -p /usr/sbin/policy-rc.d "$saved"; }
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$work/apt.log" 2>&1
  local rc=$?
  if [[ -n $saved ]]; then cp -p "$saved" /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
  [[ $rc -eq 0 ]] || { echo "bench: apt-get install ${missing[*]} failed:"; tail -5 "$work/apt.log"; }
  return $rc
}

# A root folder holding UNIT_FILE and an optional drop-in, as systemd would see them.
score_root() {  # score_root UNIT_FILE [DROPIN] -> prints the folder
  local r name
  r=$(mktemp -d "$work/root.XXXXXX") name=$(basename "$1")
  mkdir -p "$r/etc/systemd/system"
  cp "$1" "$r/etc/systemd/system/$name"
  if [[ -n ${2:-} ]]; then mkdir -p "$r/etc/systemd/system/$name.d" && cp "$2" "$r/etc/systemd/system/$name.d/50-sdharden.conf"; fi
  echo "$r"
}
analyze_score() {  # analyze_score UNIT_FILE [DROPIN]: systemd-analyze's own number
  local r
  r=$(score_root "$@")
  systemd-analyze security --offline=yes --root="$r" --no-pager "$(basename "$1")" 2>/dev/null |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}

# Throughput of the workload probe (THROUGHPUT) against the daemon started on
# the host in the foreground on a non-default loopback port (HOST_CMD):
# untraced, under `sdharden profile`, under `strace -f`.
measure_cost() {  # measure_cost MODE -> prints ops/s
  local mode=$1 cmd=$HOST_CMD
  # The previous run's daemon may still hold the port: starting now would
  # fail to bind and measure nothing.
  for _ in $(seq 50); do
    ss -Hlntu "sport = :$PORT" 2>/dev/null | grep -q . || break
    sleep 0.1
  done
  case $mode in
    plain) bash -c "exec $cmd" >"$work/srv-$mode.log" 2>&1 & ;;
    profile) "$sdh" profile -o "$work/cost.json" -- bash -c "exec $cmd" >"$work/srv-$mode.log" 2>&1 & ;;
    strace) strace -f -qq -o /dev/null bash -c "exec $cmd" >"$work/srv-$mode.log" 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 100); do eval "$READY" >/dev/null 2>&1 && break; sleep 0.1; done
  local v
  v=$(eval "$THROUGHPUT" 2>/dev/null | tail -1)
  # The profiler stops when its command ends: SIGTERM the daemon, not sdharden.
  if [[ $mode == plain ]]; then kill -TERM "$server_pid" 2>/dev/null; else pkill -TERM -P "$server_pid"; fi
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=
  if [[ -z $v || $v == 0 ]]; then
    echo "bench: $NAME ($mode) measured nothing; its output:" >&2
    tail -5 "$work/srv-$mode.log" >&2
  fi
  echo "${v:-0}"
}

# Sets plain, prof and strc (medians, ops/s) for the current definition.
# Untraced and profiled runs alternate, so that a change in the machine's
# load during the measurement falls on both.
measure_all_cost() {
  local p1=() p2=() runs=${BENCH_COST_RUNS:-3}
  [[ -n ${HOST_SETUP:-} ]] && eval "$HOST_SETUP"
  for _ in $(seq "$runs"); do p1+=("$(measure_cost plain)"); p2+=("$(measure_cost profile)"); done
  plain=$(median "${p1[@]}") prof=$(median "${p2[@]}") strc=0
  [[ -z ${BENCH_NO_STRACE:-} ]] && strc=$(measure_cost strace)
  echo "   throughput untraced ${p1[*]}, profiled ${p2[*]}, strace -f $strc"
  # How far apart untraced runs are: the noise the ratios must be read against.
  # Each profiled run against the untraced run just before it: less
  # sensitive to the load drifting over the minute the runs take.
  local lo hi pairs=() i
  lo=$(printf '%s\n' "${p1[@]}" | sort -g | head -1) hi=$(printf '%s\n' "${p1[@]}" | sort -g | tail -1)
  for i in "${!p1[@]}"; do pairs+=("$(ratio "${p2[$i]}" "${p1[$i]}")"); done
  echo "   untraced spread $(ratio "$lo" "$hi") (min/max), profiled/untraced $(ratio "$prof" "$plain")" \
    "(paired: ${pairs[*]}, median $(median "${pairs[@]}")), strace/untraced $(ratio "$strc" "$plain")," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# BENCH_ONLY_COST: the cost columns alone, one row per daemon.
cost_only_row() {
  plain=0 prof=0 strc=0
  [[ -n ${HOST_CMD:-} ]] || { echo "   no HOST_CMD: nothing to measure"; return; }
  measure_all_cost
  printf "%-13s untraced %-10s profiled %-10s (%s)  strace %-10s (%s)\n" "$NAME" "$plain" "$prof" \
    "$(ratio "$prof" "$plain")" "$strc" "$(ratio "$strc" "$plain")" >>"$work/cost-table"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.3f", a/b; else print "null" }'; }
median() { printf "%s\n" "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }

json_rows=()
printf "%-16s %-11s %-11s %-5s %-8s %-9s %-9s %-6s %-3s %-9s %-9s %-9s %-22s %s\n" daemon "sdh b->a" "analyze" check workload controls "allow s/v" "auto s" it justified "battery" "root" "cost prof/strace" "relaxed [kind]" >"$work/table"
for name in "${daemons[@]}"; do
  def=$here/$name.def
  [[ -f $def ]] || { echo "bench: no definition $def"; continue; }
  unset NAME UNIT UNIT_FILE PRESEED PACKAGES CHECK WORKLOAD THROUGHPUT THROUGHPUT_PACKAGES REFERENCE SETUP_FILES HOST_CMD HOST_SETUP READY PORT KEEP PREPARE
  for i in 0 1 2 3; do unset "SETUP_CONTENT_$i"; done
  # shellcheck disable=SC1090
  source "$def"
  echo "== $NAME"
  export PORT WORK=$work/$NAME.host BENCH_DIR=$here
  mkdir -p "$WORK"
  install_packages $PACKAGES ${THROUGHPUT_PACKAGES:-} strace || continue
  # PREPARE: what the package's maintainer scripts would have set up on a
  # real system (a key pair, its links), run once on the host.
  if [[ -n ${PREPARE:-} ]]; then
    (eval "$PREPARE") >"$work/prepare.log" 2>&1 || { echo "bench: $NAME's PREPARE failed:"; tail -5 "$work/prepare.log"; continue; }
  fi
  d=$work/$NAME
  mkdir -p "$d"
  # UNIT_FILE: the file Debian ships, when UNIT is an instance of a template.
  # KEEP: directives of Debian's unit the baseline keeps (its own User=).
  STRIP_KEEP=${KEEP:-${STRIP_KEEP:-}} "$here/strip-sandboxing.sh" "/lib/systemd/system/${UNIT_FILE:-$UNIT}" >"$d/$UNIT"
  file_args=()
  i=0
  for f in ${SETUP_FILES:-}; do
    var=SETUP_CONTENT_$i
    printf '%s\n' "${!var}" >"$d/setup.$i"
    file_args+=(--file "$f=$d/setup.$i")
    i=$((i + 1))
  done
  if [[ -n ${BENCH_ONLY_COST:-} ]]; then
    cost_only_row
    continue
  fi
  start=$SECONDS
  timeout 600 "$sdh" auto "$d/$UNIT" --check "$CHECK" --workload "$WORKLOAD" "${file_args[@]}" \
    -o "$d/dropin.conf" --report "$d/report.json" --save-profile "$d/profile.json" >"$d/auto.txt" 2>&1
  rc=$? took=$((SECONDS - start))
  grep -E '^(exposure|relaxed|VERIFIED|NOT VERIFIED)' "$d/auto.txt"
  [[ -s $d/report.json ]] || { echo "bench: auto wrote no report (exit $rc):"; tail -15 "$d/auto.txt"; echo '{}' >"$d/report.json"; }
  dropin=
  [[ -s $d/dropin.conf ]] && dropin=$d/dropin.conf
  # sdharden's number is the one `auto` computed (its scorer, unit + drop-in).
  sb=$(jq -r '.exposure_before // empty' "$d/report.json") sa=$(jq -r '.exposure_after // empty' "$d/report.json")
  ab=$(analyze_score "$d/$UNIT") aa=$(analyze_score "$d/$UNIT" "$dropin")
  # Expert parity: Debian's own unit, scored the same way, and each of its
  # restrictions the drop-in lacks with the drop-in's reason (parity.py).
  mkdir -p "$d/debian" && cp "/lib/systemd/system/${UNIT_FILE:-$UNIT}" "$d/debian/$UNIT"
  deb=$(analyze_score "$d/debian/$UNIT")
  python3 "$here/parity.py" "$d/debian/$UNIT" "$d/$UNIT" "${dropin:-/dev/null}" "$d/debian.conf" >"$d/parity.json" 2>/dev/null ||
    echo '{"lacks": [], "debian_restrictions": []}' >"$d/parity.json"
  # Debian's own sandbox, verified on the same stripped unit: its battery
  # count beside ours (only where Debian's unit has restrictions).
  deb_battery=null
  if [[ $(jq '.debian_restrictions | length' "$d/parity.json") -gt 0 ]]; then
    timeout 600 "$sdh" verify "$d/$UNIT" --dropin "$d/debian.conf" --check "$CHECK" --workload "$WORKLOAD" \
      "${file_args[@]}" --no-profile --json >"$d/debian-verify.json" 2>"$d/debian-verify.err"
    deb_battery=$(jq '.containment.possible_hardened // null' "$d/debian-verify.json" 2>/dev/null || echo null)
    [[ -n $deb_battery ]] || deb_battery=null
  fi
  # The ephemeral root, when the verified drop-in has one.
  own_root=$(sed -n 's/^RootDirectory=//p' "${dropin:-/dev/null}" | tail -1)
  plain=0 prof=0 strc=0
  [[ -z ${BENCH_NO_COST:-} && -n ${HOST_CMD:-} ]] && measure_all_cost
  jq -n --arg name "$NAME" --arg unit "$UNIT" --argjson rc "$rc" --argjson took "$took" \
    --arg sb "${sb:-}" --arg sa "${sa:-}" --arg ab "${ab:-}" --arg aa "${aa:-}" --arg ref "${REFERENCE:-}" \
    --argjson plain "${plain:-0}" --argjson prof "${prof:-0}" --argjson strc "${strc:-0}" \
    --arg deb "${deb:-}" --slurpfile parity "$d/parity.json" --argjson deb_battery "$deb_battery" \
    --arg own_root "$own_root" \
    --slurpfile rep "$d/report.json" '{
      daemon: $name, unit: $unit, auto_exit: $rc, auto_seconds: $took, reference: $ref,
      own_root: (if $own_root == "" then null else $own_root end),
      exposure: {sdharden_before: $sb, sdharden_after: $sa, analyze_before: $ab, analyze_after: $aa,
                 debian_unit: $deb},
      parity: ($parity[0] + {debian_battery: $deb_battery}),
      throughput: {untraced: $plain, profiled: $prof, strace: $strc,
                   profiled_ratio: (if $plain > 0 then $prof / $plain else null end),
                   strace_ratio: (if $plain > 0 then $strc / $plain else null end)},
      report: $rep[0]}' >"$d/row.json"
  json_rows+=("$d/row.json")
  if [[ -n ${BENCH_KEEP:-} ]]; then mkdir -p "$BENCH_KEEP" && rm -rf "${BENCH_KEEP:?}/$NAME" && cp -a "$d" "$BENCH_KEEP/$NAME"; fi
  jq -r '[.daemon, "\(.exposure.sdharden_before)->\(.exposure.sdharden_after)",
          "\(.exposure.analyze_before)->\(.exposure.analyze_after)",
          (if .report.check_passed then "pass" else "FAIL" end),
          (if .report.workload_passed then "pass" else "FAIL" end),
          "\([.report.negative_controls[]? | select(.status == "passed")] | length)/\([.report.negative_controls[]? | select(.status != "skipped")] | length)",
          "\(.report.allow_list.startup // "?")/\(.report.allow_list.serving // "?")",
          (.auto_seconds | tostring), (.report.iterations // "?" | tostring),
          "\(.report.justified.justified // "?")/\(.report.justified.lines // "?")",
          "\(.report.containment.possible_baseline // "?")->\(.report.containment.possible_hardened // "?")",
          (if .report.ephemeral_root then "\(if .report.ephemeral_root.kept then "yes" else "no" end) \(.report.ephemeral_root.possible_with)/\(.report.ephemeral_root.possible_without)" elif .own_root then "yes" else "-" end),
          "\(.throughput.profiled_ratio // "-" | tostring | .[0:5])/\(.throughput.strace_ratio // "-" | tostring | .[0:5])",
          ([.report.relaxed[]? | "\(.directive)[\(.kind // "?")]"] | join(" "))] | @tsv' "$d/row.json" |
    awk -F'\t' '{printf "%-16s %-11s %-11s %-5s %-8s %-9s %-9s %-6s %-3s %-9s %-9s %-9s %-22s %s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14}' >>"$work/table"
done
echo
if [[ -n ${BENCH_ONLY_COST:-} ]]; then
  [[ -f $work/cost-table ]] && cat "$work/cost-table"
  exit 0
fi
cat "$work/table"
# The median exposure after, and how many run in their own root.
if [[ ${#json_rows[@]} -gt 0 ]]; then
  jq -s -r '[.[] | .exposure.analyze_after | tonumber? // empty] | sort |
    if length == 0 then empty else
      "median exposure after: \(if length % 2 == 1 then .[length / 2 | floor] else ((.[length / 2 - 1] + .[length / 2]) * 50 | round / 100) end) (\(length) daemons)"
    end' "${json_rows[@]}"
  jq -s -r '"in an ephemeral root: \([.[] | select(.own_root) | .daemon] | join(", ")) (\([.[] | select(.own_root)] | length) of \(length))"' "${json_rows[@]}"
fi
# Expert parity, where Debian's unit has restrictions of its own.
echo
echo "expert parity (Debian's unit as shipped vs the drop-in on the stripped unit; systemd-analyze):"
for r in "${json_rows[@]}"; do
  jq -r 'select((.parity.debian_restrictions | length) > 0) |
    "  \(.daemon): Debian \(.exposure.debian_unit), sdharden \(.exposure.analyze_after); battery (possible of \(.report.containment.attempts // "?")): Debian \(.parity.debian_battery // "?"), sdharden \(.report.containment.possible_hardened // "?")" +
    ([.parity.lacks[] | "\n    lacks \(.directive): \(.evidence)"] | join(""))' "$r"
done
if [[ ${#json_rows[@]} -gt 0 ]]; then
  jq -s --arg date "$(date -u +%FT%TZ)" --arg nproc "$(nproc)" --arg kernel "$(uname -r)" \
    --arg systemd "$(systemctl --version | head -1)" \
    '{date: $date, machine: {nproc: $nproc, kernel: $kernel, systemd: $systemd}, daemons: .}' \
    "${json_rows[@]}" >"$results"
  echo "results: $results"
fi
