#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e2e: what the profiler learns at a syscall's exit. A syscall a seccomp filter
# refused is a failure but not a use; one that the filter allowed and that
# failed on its own is both; rt_sigreturn (which leaves no syscall number in
# the registers) and exit_group (which never returns) are uses.
set -u
sdh=$1 probe=$2 py=$3
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: the eBPF profiler needs root"; exit 77; fi
work=$(mktemp -d /tmp/sdh-seccomp.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=$("$sdh" profile -o "$work/p.json" -- "$probe" 2>&1); rc=$?
echo "$out"
if (( rc != 0 )); then
  if grep -q "SDHARDEN_BPF=OFF" <<<"$out"; then echo "SKIP: built without the eBPF tracer"; exit 77; fi
  if grep -q "Operation not permitted\|tracefs is not mounted" <<<"$out"; then
    echo "SKIP: this kernel/container refuses BPF tracepoints or tracefs"; exit 77
  fi
  echo "FAIL: sdharden profile exited with $rc"; exit 1
fi
"$py" - "$work/p.json" "$probe" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
exes = {e["path"]: e for e in p["executables"]}
if sys.argv[2] not in exes:
    print("FAIL: executables are", list(exes)); sys.exit(1)
e = exes[sys.argv[2]]
used = set(e["syscalls"].get("startup", [])) | set(e["syscalls"].get("serving", []))
failed = {(f["operation"], f["errno"]) for f in e["failures"]}
problems = []
def check(cond, what):
    if not cond: problems.append(what)
check(("uname", 1) in failed, f"uname refused with EPERM is a failure: {sorted(failed)}")
check("uname" not in used, "uname, refused by the filter, is not a use")
check(("kill", 1) in failed and "kill" in used, "kill failed on its own: a use and a failure")
for name in ["rt_sigreturn", "exit_group", "prctl", "setuid"]:
    check(name in used, f"{name} is a use")
for pr in problems: print("FAIL:", pr)
if problems: sys.exit(1)
print("seccomp-refused, failed, rt_sigreturn and exit_group syscalls are as expected")
PY
