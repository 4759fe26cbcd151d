#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks that a profile of tests/e2e/profile/probe.c holds exactly the facts
the probe and its child produce. usage: check_probe.py PROFILE DIR UDP_PORT PROBE CHILD MODE
MODE is "accept" (boundary: first accept) or "ready" (READY=1 sent to $NOTIFY_SOCKET=NOTIFY,
and LISTEN_FDS=2 in the environment)."""
import json
import os
import platform
import sys

profile_path, d, udp_port, probe, child, mode = sys.argv[1:7]
notify = sys.argv[7] if len(sys.argv) > 7 else None
udp_port = int(udp_port)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


p = json.load(open(profile_path))
exes = {e["path"]: e for e in p["executables"]}
check(p["complete"] and p["lost_events"] == 0, "profile complete, no lost events")
check(p["tracer"] == "ebpf", "tracer is ebpf")
expected_boundary = {"accept": "first_accept", "ready": "ready_notify"}[mode]
check(p["phase_boundary"] == expected_boundary, f"boundary {expected_boundary}, got {p['phase_boundary']}")
if probe not in exes or child not in exes:
    print("FAIL: executables are", list(exes))
    sys.exit(1)
P, C = exes[probe], exes[child]
native = {"x86_64": "x86-64", "aarch64": "aarch64"}.get(platform.machine(), platform.machine())
for e in (P, C):
    check(e["elf_machine"] == native, f"{e['path']}: ELF machine {native}, got {e['elf_machine']}")
    check(e["processes"] == 1, f"{e['path']}: one process, got {e['processes']}")

# Syscalls and phases (the probe: start-up before accept, serving after).
su, sv = set(P["syscalls"]["startup"]), set(P["syscalls"]["serving"])
for name in ["sched_yield", "openat", "chdir", "socket", "sendto", "mmap", "bind", "listen"]:
    check(name in su, f"probe start-up has {name}")
check("accept" in sv or "accept4" in sv, "probe serving has accept")
check("getrusage" in sv and "getrusage" not in su, "getrusage only in serving")
check("sched_yield" not in sv, "sched_yield not in serving")
for name in ["ptrace", "reboot", "kexec_load", "unshare", "sethostname", "init_module"]:
    check(name not in su | sv, f"probe never called {name}")
csys = set(C["syscalls"]["startup"]) | set(C["syscalls"]["serving"])
for name in ["connect", "unshare", "sethostname", "fchmodat"]:
    check(name in csys, f"child called {name}")
check("sendto" not in csys and "listen" not in csys, "child did not sendto/listen")

# Files below DIR: exactly these, with these access kinds.
def files_below(e):
    return {f["path"]: set(f["access"]) for f in e["files"] if f["path"] == d or f["path"].startswith(d + "/")}

pf = files_below(P)
long_name = d + "/again-with-a-name-long-enough-for-the-long-repeat-keys.txt"
check(set(pf) == {d, d + "/relative.txt", d + "/cwd-relative.txt", d + "/again.txt", long_name,
                  d + "/walk", d + "/walk/inner"},
      f"probe files below DIR: {sorted(pf)}")
# Repeated operations are counted, not reported one by one: the counts stay exact.
again = [f for f in P["files"] if f["path"] == d + "/again.txt"]
check(again and again[0]["count"] == 5 and {"read", "write", "create"} <= set(again[0]["access"]),
      f"again.txt opened 5 times: {again}")
again = [f for f in P["files"] if f["path"] == long_name]
check(again and again[0]["count"] == 4, f"the long name opened 4 times: {again}")
check({"write", "create"} <= pf.get(d + "/relative.txt", set()), "relative.txt written+created (dirfd resolved)")
check({"read", "write", "create"} <= pf.get(d + "/cwd-relative.txt", set()), "cwd-relative.txt read+write+created (cwd resolved)")
cf = files_below(C)
check(set(cf) == {d, d + "/child.txt"}, f"child files below DIR: {sorted(cf)}")
check({"write", "create", "chmod"} <= cf.get(d + "/child.txt", set()), "child.txt created+chmod")
check(any(f["path"] == child and "exec" in f["access"] for f in P["files"]), "probe exec'd the child")
check(not any(f["path"].startswith("?") for f in P["files"] + C["files"]), "no unresolved relative paths")

# Failures.
check(any(f["operation"] in ("open", "openat") and f["errno"] == 2 and f["detail"] == "/nonexistent-sdharden-probe/file"
          for f in P["failures"]), "failed open with ENOENT and its path")
again = [f for f in P["failures"] if f["detail"] == "/nonexistent-sdharden-probe/again"]
check(len(again) == 1 and again[0]["count"] == 3, f"3 failed opens of the same path: {again}")

# Sockets and addresses.
psock = {(s["family"], s["type"]) for s in P["sockets"]}
want = {("AF_INET6", "SOCK_DGRAM"), ("AF_INET6", "SOCK_STREAM")}
if mode == "ready":
    want.add(("AF_UNIX", "SOCK_DGRAM"))
check(psock == want, f"probe sockets {sorted(psock)}")
paddr = {(a["op"], a["family"], a["address"], a["port"]) for a in P["addresses"]}
want = {("sendto", "AF_INET6", "::1", udp_port), ("bind", "AF_INET6", "::1", 0), ("listen", "AF_INET6", "::1", 0)}
if mode == "ready":
    want.add(("sendto", "AF_UNIX", notify, 0))
check(paddr == want, f"probe addresses {sorted(paddr)}")
sent = [a["count"] for a in P["addresses"] if a["op"] == "sendto" and a["family"] == "AF_INET6"]
check(sent == [3], f"3 datagrams to [::1]:{udp_port}: {sent}")
caddr = {(a["op"], a["family"], a["address"]) for a in C["addresses"]}
check(caddr == {("connect", "AF_INET6", "::1")}, f"child addresses {sorted(caddr)}")
check({(s["family"], s["type"]) for s in C["sockets"]} == {("AF_INET6", "SOCK_STREAM")}, "child sockets")

# Flags.
check(P["wx_mapping"] and not C["wx_mapping"], "W+X mapping in the probe only")
check(C["namespaces_created"] == ["uts"] and P["namespaces_created"] == [], "UTS namespace in the child only")
check(C["hostname_change"] and not P["hostname_change"], "hostname change in the child only")
check(C["setuid_file_created"] and not P["setuid_file_created"], "set-uid file created by the child only")
for flag in ["mounts", "personality_change", "realtime_scheduling", "kernel_module", "sysv_ipc", "uid_change", "exec_setuid"]:
    check(not P[flag] and not C[flag], f"{flag} false")
ccaps = {(c["capability"], c["granted"]) for c in C["capabilities"]}
check(("CAP_SYS_ADMIN", True) in ccaps, f"child CAP_SYS_ADMIN granted: {sorted(ccaps)}")
check(not any(c["capability"] == "CAP_NET_BIND_SERVICE" for c in P["capabilities"]), "no CAP_NET_BIND_SERVICE")

want_fds = [3, 4] if mode == "ready" else []  # the ready run passes LISTEN_FDS=2
check(P["socket_activation_fds"] == want_fds, f"probe socket-activation fds {P['socket_activation_fds']}")

if failures:
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
print(f"profile of the probe holds the expected facts ({mode})")
