#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e2e: profile the probe (and the child it execs) and check the facts, once
# with the accept boundary and once with READY=1 on $NOTIFY_SOCKET.
set -u
sdh=$1 probe=$2 child=$3 py=$4 check=$5
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: the eBPF profiler needs root"; exit 77; fi
work=$(mktemp -d /tmp/sdh-probe.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/d"
port=39917

run() {  # run OUTPUT [env...]
  local out rc
  out=$(env "${@:2}" "$sdh" profile -o "$1" -- "$probe" "$work/d" "$port" "$child" 2>&1); rc=$?
  echo "$out"
  if (( rc != 0 )); then
    if grep -q "SDHARDEN_BPF=OFF" <<<"$out"; then echo "SKIP: built without the eBPF tracer"; exit 77; fi
    # EPERM (not EACCES, which is a verifier rejection: a bug) means the kernel refuses BPF here.
    if grep -q "Operation not permitted\|tracefs is not mounted" <<<"$out"; then
      echo "SKIP: this kernel/container refuses BPF tracepoints or tracefs"; exit 77
    fi
    echo "FAIL: sdharden profile exited with $rc"; exit 1
  fi
}
run "$work/accept.json"
"$py" "$check" "$work/accept.json" "$work/d" "$port" "$probe" "$child" accept || exit 1
rm -rf "$work"/d/*
run "$work/ready.json" NOTIFY_SOCKET="$work/notify" LISTEN_FDS=2
"$py" "$check" "$work/ready.json" "$work/d" "$port" "$probe" "$child" ready "$work/notify" || exit 1
