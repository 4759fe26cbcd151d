#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seeded random unit files for the exactness test: combinations of the
directives systemd-analyze assesses (with the values every release of the
table accepts, older releases seeing the newer ones as invalid), drop-ins (NAME.d, template, dash-prefix,
type-level), templates, empty resets, list accumulation, "~" inversions,
syscall groups, comments and continuations. Writes batches of units into
OUT/batch-NNN/ and prints nothing; the compare script walks the folders."""
import os
import random
import sys

BOOLS = ["yes", "no", "true", "false", "1", "0", "on", "off", "maybe", ""]
BOOL_KEYS = ["PrivateDevices", "PrivateMounts", "PrivateNetwork", "PrivateTmp", "PrivateUsers",
             "ProtectControlGroups", "ProtectKernelModules", "ProtectKernelTunables",
             "ProtectKernelLogs", "ProtectClock", "ProtectHostname", "NoNewPrivileges",
             "LockPersonality", "MemoryDenyWriteExecute", "RestrictRealtime", "RestrictSUIDSGID",
             "RemoveIPC", "PrivateIPC", "PrivatePIDs"]
# Values newer releases accept besides the booleans (each older one must
# ignore them as invalid, as its systemd does).
LATER_VALUES = {"PrivateTmp": ["disconnected"],
                "PrivateUsers": ["self", "identity", "full", "managed"],
                "ProtectControlGroups": ["private", "strict"],
                "ProtectHostname": ["private", "private:gen-host", "private:"]}
CAPS = ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SYS_PTRACE", "CAP_SYS_TIME",
        "CAP_NET_ADMIN", "CAP_SYS_RAWIO", "CAP_SYS_MODULE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_AUDIT_READ", "CAP_SYSLOG", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_MKNOD", "CAP_CHOWN",
        "CAP_FSETID", "CAP_SETFCAP", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_IPC_OWNER", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW",
        "CAP_SYS_BOOT", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_LINUX_IMMUTABLE", "CAP_IPC_LOCK",
        "CAP_SYS_CHROOT", "CAP_BLOCK_SUSPEND", "CAP_WAKE_ALARM", "CAP_LEASE", "CAP_SYS_TTY_CONFIG",
        "CAP_SYS_PACCT", "CAP_BPF", "CAP_PERFMON", "cap_net_raw", "CAP_BOGUS"]
NS = ["user", "mnt", "ipc", "pid", "cgroup", "net", "uts", "bogus"]
AFS = ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_PACKET", "AF_BLUETOOTH", "AF_CAN",
       "AF_ALG", "AF_VSOCK", "AF_BOGUS", "AF_LOCAL"]
GROUPS = ["@swap", "@obsolete", "@clock", "@cpu-emulation", "@debug", "@mount", "@module", "@raw-io",
          "@reboot", "@privileged", "@resources", "@system-service", "@default", "@basic-io",
          "@file-system", "@network-io", "@process", "@setuid", "@known", "@aio", "@bogus"]
SYSCALLS = ["swapon", "swapoff", "mount", "umount2", "ptrace", "reboot", "kexec_load", "init_module",
            "settimeofday", "clock_settime", "iopl", "ioperm", "setpriority", "sched_setattr",
            "personality", "open_tree", "fsopen", "chroot", "pivot_root", "uselib", "_sysctl",
            "read", "write", "openat", "execve", "futex_waitv", "_llseek", "bogus_call", "vm86",
            "process_vm_readv", "perf_event_open", "bpf", "setuid", "acct", "quotactl", "mlock"]
ERRNOS = ["", "", "", ":EPERM", ":EACCES", ":0", ":kill", ":EBOGUS", ":99999"]


def words(rng, pool, lo=1, hi=4):
    return " ".join(rng.sample(pool, rng.randint(lo, min(hi, len(pool)))))


def value_for(rng, key):
    r = rng.random
    if key in LATER_VALUES and r() < 0.35:
        return rng.choice(LATER_VALUES[key])
    if key in BOOL_KEYS or key == "DynamicUser" or key == "DefaultDependencies":
        return rng.choice(BOOLS)
    if key in ("LoadCredentialEncrypted", "SetCredentialEncrypted", "LoadCredential", "SetCredential", "LoadCredential", "SetCredential"):
        return rng.choice(["gen-cred:/etc/gen-cred", "gen-cred", "", "gen-cred:c2VjcmV0", "other:c2VjcmV0"])
    if key == "RestrictFileSystems":
        return rng.choice(["ext4", "~tmpfs", "@basic-api", "", "bogusfs", "ext4 btrfs"])
    if key == "ProtectSystem":
        return rng.choice(["yes", "no", "full", "strict", "bogus", "", "true"])
    if key == "ProtectHome":
        return rng.choice(["yes", "no", "read-only", "tmpfs", "bogus", "", "off"])
    if key == "ProtectProc":
        return rng.choice(["default", "noaccess", "invisible", "ptraceable", "bogus", ""])
    if key == "ProcSubset":
        return rng.choice(["all", "pid", "", "bogus"])
    if key == "KeyringMode":
        return rng.choice(["inherit", "private", "shared", "", "bogus"])
    if key == "NotifyAccess":
        return rng.choice(["none", "main", "exec", "all", ""])
    if key == "User":
        return rng.choice(["root", "0", "nobody", "svc", "%i", "%p", "", "1000", "%u", "daemon"])
    if key == "Group":
        return rng.choice(["root", "svc", "", "nogroup"])
    if key == "SupplementaryGroups":
        return rng.choice(["", "adm", "adm systemd-journal", "%p"])
    if key == "RootDirectory":
        return rng.choice(["", "/", "/srv/root", "//", "/srv/%i"])
    if key == "RootImage":
        return rng.choice(["", "/img.raw", "/"])
    if key in ("CapabilityBoundingSet", "AmbientCapabilities"):
        x = r()
        if x < 0.1:
            return ""
        if x < 0.15:
            return "~"
        return ("~" if r() < 0.5 else "") + words(rng, CAPS, 1, 5)
    if key == "UMask":
        return rng.choice(["0022", "0077", "0027", "0002", "0000", "022", "0007", "0070", "bogus", "", "0777",
                           "%04o" % rng.randint(0, 0o777)])
    if key == "RestrictNamespaces":
        x = r()
        if x < 0.15:
            return rng.choice(["yes", "no", "", "true"])
        return ("~" if r() < 0.5 else "") + words(rng, NS[:-1] if r() < 0.9 else NS, 1, 4)
    if key == "RestrictAddressFamilies":
        x = r()
        if x < 0.1:
            return rng.choice(["none", ""])
        return ("~" if r() < 0.4 else "") + words(rng, AFS, 1, 4)
    if key == "SystemCallFilter":
        if r() < 0.08:
            return ""
        inv = "~" if r() < 0.5 else ""
        items = []
        for _ in range(rng.randint(1, 4)):
            name = rng.choice(GROUPS) if r() < 0.5 else rng.choice(SYSCALLS)
            items.append(name + rng.choice(ERRNOS))
        return inv + " ".join(items)
    if key == "SystemCallArchitectures":
        return rng.choice(["native", "x86-64", "x86", "native x86", "", "native native", "bogus", "x32 native"])
    if key == "SystemCallErrorNumber":
        return rng.choice(["EPERM", "", "EACCES"])
    if key == "DevicePolicy":
        return rng.choice(["auto", "closed", "strict", "", "bogus"])
    if key == "DeviceAllow":
        return rng.choice(["/dev/null rw", "char-rtc r", "", "/dev/sda", "block-loop rwm", "/tmp/x rw",
                           "/dev/null bogus", "char-pts rw"])
    if key == "Delegate":
        return rng.choice(["yes", "no", "", "cpu memory", "bogus"])
    if key == "IPAddressDeny":
        return rng.choice(["any", "", "0.0.0.0/0", "::/0", "0.0.0.0/0 ::/0", "10.0.0.0/8", "1.2.3.4/0",
                           "localhost", "bogus"])
    if key == "IPAddressAllow":
        return rng.choice(["localhost", "127.0.0.1", "::1", "10.1.2.3", "", "192.168.0.0/16", "127.0.0.1/0",
                           "link-local", "any"])
    if key in ("IPIngressFilterPath", "IPEgressFilterPath"):
        return rng.choice(["/sys/fs/bpf/x", ""])
    if key == "Type":
        return rng.choice(["simple", "notify", "oneshot", "forking", "exec"])
    return ""


KEYS = (BOOL_KEYS * 1 + ["DynamicUser", "ProtectSystem", "ProtectHome", "ProtectProc", "ProcSubset",
                         "KeyringMode", "NotifyAccess", "User", "Group", "SupplementaryGroups",
                         "RootDirectory", "RootImage", "CapabilityBoundingSet", "CapabilityBoundingSet",
                         "AmbientCapabilities", "UMask", "RestrictNamespaces", "RestrictNamespaces",
                         "RestrictAddressFamilies", "RestrictAddressFamilies", "SystemCallFilter",
                         "SystemCallFilter", "SystemCallFilter", "SystemCallArchitectures",
                         "SystemCallErrorNumber", "DevicePolicy", "DeviceAllow", "Delegate",
                         "IPAddressDeny", "IPAddressAllow", "IPIngressFilterPath", "IPEgressFilterPath",
                         "Type", "RestrictFileSystems", "LoadCredentialEncrypted", "SetCredentialEncrypted",
                         "DevicePolicy", "PrivateDevices"])


def service_lines(rng, n):
    out = []
    for _ in range(n):
        k = rng.choice(KEYS)
        v = value_for(rng, k)
        style = rng.random()
        if style < 0.05:
            out.append("# a comment about %s" % k)
        if style < 0.08 and " " in v:
            # A continuation, with a comment line inside it.
            a, b = v.split(" ", 1)
            out.append("%s=%s \\" % (k, a))
            out.append("; comment inside a continuation")
            out.append("   %s" % b)
        elif style < 0.12:
            out.append("  %s =  %s  " % (k, v))
        else:
            out.append("%s=%s" % (k, v))
    return out


def unit_text(rng, main, section="Service"):
    lines = []
    if rng.random() < 0.25:
        lines += ["[Unit]", "Description=generated", "DefaultDependencies=" + rng.choice(["no", "yes", "no"])]
    lines.append("[%s]" % section)
    if main and section == "Service":
        lines.append("ExecStart=/bin/true")
    if main and section == "Socket":
        lines.append("ListenStream=/run/gen-%d.sock" % rng.randint(0, 10**9))
    lines += service_lines(rng, rng.randint(0, 22) if main else rng.randint(1, 8))
    if rng.random() < 0.05:
        lines.append("UnknownDirective=1")
    if rng.random() < 0.05:
        lines += ["[X-Custom]", "Foo=bar"]
    return "\n".join(lines) + "\n"


def main():
    out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])  # argv[4]: the release (unused)
    per_batch = 250
    rng = random.Random(seed)
    made = 0
    batch = 0
    while made < count:
        d = os.path.join(out, "batch-%03d" % batch)
        os.makedirs(d, exist_ok=True)
        if rng.random() < 0.3:
            os.makedirs(os.path.join(d, "service.d"), exist_ok=True)
            with open(os.path.join(d, "service.d", "50-type.conf"), "w") as f:
                f.write(unit_text(rng, False))
        for i in range(min(per_batch, count - made)):
            parts = ["g%d" % i] + [rng.choice(["a", "b", "web", "db"]) for _ in range(rng.randint(0, 2))]
            stem = "-".join(parts)
            templ = rng.random() < 0.15
            name = stem + ("@" if templ else "") + ".service"
            with open(os.path.join(d, name), "w") as f:
                f.write(unit_text(rng, True))
            x = rng.random()
            if x < 0.04 and not templ:
                # An alias: scored under the target's name, with both names' drop-ins.
                os.symlink(name, os.path.join(d, "alias-" + name))
                if rng.random() < 0.5:
                    os.makedirs(os.path.join(d, "alias-" + name + ".d"), exist_ok=True)
                    with open(os.path.join(d, "alias-" + name + ".d", "60-alias.conf"), "w") as f:
                        f.write(unit_text(rng, False))
            elif x < 0.06:
                os.symlink("/dev/null", os.path.join(d, "masked-" + stem + ".service"))
            elif x < 0.11:
                # A socket unit with exec and cgroup settings of its own.
                with open(os.path.join(d, stem.replace("@", "") + "-sock.socket"), "w") as f:
                    f.write(unit_text(rng, True, "Socket"))
            # Drop-ins in the unit's own, template and dash-prefix folders.
            # Releases name a template's instance differently (@i, @test_instance).
            folders = [(stem + rng.choice(["@i", "@test_instance"]) + ".service" if templ else name) + ".d"]
            if templ:
                folders.append(name + ".d")
            if "-" in stem:
                folders.append(stem.rsplit("-", 1)[0] + "-" + ("@" if templ else "") + ".service.d")
            for _ in range(rng.randint(0, 3)):
                folder = os.path.join(d, rng.choice(folders))
                os.makedirs(folder, exist_ok=True)
                fname = rng.choice(["10-a.conf", "20-b.conf", "50-type.conf", "90-z.conf", "ignored.txt"])
                with open(os.path.join(folder, fname), "w") as f:
                    f.write(unit_text(rng, False))
            made += 1
        batch += 1


if __name__ == "__main__":
    main()
