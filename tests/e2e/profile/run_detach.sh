#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e2e: the profiler never leaves its workload stopped, killed or traced.
# For SIGKILL and SIGINT sent to `sdharden profile` mid-run: the workload keeps
# running to its end, is never in the stopped state, and the profiler's BPF
# programs are gone once it has exited. SIGINT still writes a profile.
set -u
sdh=$1
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: the eBPF profiler needs root"; exit 77; fi
if ! command -v bpftool >/dev/null; then echo "SKIP: bpftool is needed to list BPF programs"; exit 77; fi
work=$(mktemp -d /tmp/sdh-detach.XXXXXX)
trap 'rm -rf "$work"' EXIT
# BPF programs held by a process, from its fds (robust against other tracers
# running at the same time).
prog_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '/^prog_id:/{print $2}' | sort -u; }
prog_alive() { bpftool prog show id "$1" >/dev/null 2>&1; }
fail() { echo "FAIL: $*"; exit 1; }

one_case() {  # one_case SIGNAL
  local sig=$1 dir="$work/$1" ids pid workload state i id
  mkdir "$dir"
  "$sdh" profile -o "$dir/p.json" -- /bin/sh -c \
    "i=0; while [ \$i -lt 25 ]; do i=\$((i+1)); echo \$i > '$dir/tick'; sleep 0.1; done; echo done > '$dir/done'" \
    >"$dir/out" 2>&1 &
  pid=$!
  for i in $(seq 50); do [[ -s "$dir/tick" ]] && break; sleep 0.1; done
  if [[ ! -s "$dir/tick" ]]; then
    cat "$dir/out"
    if grep -q "SDHARDEN_BPF=OFF" "$dir/out"; then echo "SKIP: built without the eBPF tracer"; exit 77; fi
    if grep -q "Operation not permitted\|tracefs is not mounted" "$dir/out"; then
      echo "SKIP: this kernel/container refuses BPF tracepoints or tracefs"; exit 77
    fi
    fail "$sig: the workload never started"
  fi
  ids=$(prog_ids "$pid")
  [[ -n $ids ]] || fail "$sig: no BPF program attached while profiling"
  workload=$(pgrep -P "$pid" | head -1)
  [[ -n $workload ]] || fail "$sig: cannot find the workload"
  kill "-$sig" "$pid"
  wait "$pid"; local rc=$?
  sleep 0.5  # programs are freed asynchronously (RCU) after the last fd closes
  for id in $ids; do
    for i in $(seq 30); do prog_alive "$id" || break; sleep 0.1; done
    prog_alive "$id" && fail "$sig: BPF program $id still loaded after the profiler exited"
  done
  state=$(awk '{print $3}' "/proc/$workload/stat" 2>/dev/null || echo gone)
  [[ $state != T && $state != t ]] || fail "$sig: workload left stopped ($state)"
  for i in $(seq 60); do [[ -e "$dir/done" ]] && break; sleep 0.1; done
  [[ -e "$dir/done" ]] || fail "$sig: the workload did not run to its end"
  if [[ $sig == INT ]]; then
    (( rc == 0 )) || { cat "$dir/out"; fail "INT: profiler exited with $rc"; }
    grep -q '"schema_version": 1' "$dir/p.json" || fail "INT: no profile written"
  else
    [[ ! -e "$dir/p.json" ]] || fail "KILL: a profile appeared although the profiler was killed"
  fi
  ls "$dir" | grep -q '\.tmp\.' && fail "$sig: temporary file left behind"
  echo "$sig: workload ran to its end, BPF programs detached"
}
one_case KILL
one_case INT
