// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: kernel surfaces: tunables, modules, logs, cgroups, clock, hostname, /proc.
#include "synth/rules/rules.h"

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {

RuleOutcome decide_kernel_tunables(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_kernel_tunables) return r;
  std::vector<std::string> w;
  for (const char* base : {"/proc/sys", "/sys"}) {
    for (const auto* u : c.ev.paths_under(base, kWriteBits)) {
      if (!path_under(u->path, "/sys/fs/cgroup")) w.push_back(u->path);
    }
  }
  if (!w.empty()) {
    r.not_set.push_back(refuse("ProtectKernelTunables=yes", "writes " + sample(w)));
    return r;
  }
  r.options.push_back(single("ProtectKernelTunables", "yes",
                             fmt::format("no write under /proc/sys or /sys ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_protect_kernel_tunables() {
  static const Rule r{
      .id = "protect-kernel-tunables",
      .keys = {"ProtectKernelTunables"},
      .assessors = {"ProtectKernelTunables"},
      .mount_namespace = true,
      .forbidden_by = "writes under /proc/sys or /sys",
      .implies = "NoNewPrivileges= when unprivileged",
      .decide = decide_kernel_tunables, .order = 180};
  return r;
}

namespace {

RuleOutcome decide_kernel_modules(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_kernel_modules) return r;
  std::vector<std::string> why;
  if (c.ev.flag("kernel_module")) why.push_back(who(c.ev.flags.at("kernel_module").executables) + " loads modules");
  for (const auto& exe : c.ev.executables) {
    std::string base = exe.substr(exe.rfind('/') + 1);
    if (base == "modprobe" || base == "insmod" || base == "rmmod") why.push_back("runs " + exe);
  }
  for (const char* base : {"/lib/modules", "/usr/lib/modules"}) {
    for (const auto* u : c.ev.paths_under(base, ~0u)) {
      why.push_back("reads " + u->path);
      break;
    }
  }
  if (!why.empty()) {
    r.not_set.push_back(refuse("ProtectKernelModules=yes", sample(why)));
    return r;
  }
  r.options.push_back(single("ProtectKernelModules", "yes",
                             fmt::format("no module load or /lib/modules access ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_protect_kernel_modules() {
  static const Rule r{
      .id = "protect-kernel-modules",
      .keys = {"ProtectKernelModules"},
      .assessors = {"ProtectKernelModules"},
      .mount_namespace = true,
      .forbidden_by = "module loading, modprobe, /lib/modules access",
      .implies = "drops CAP_SYS_MODULE",
      .decide = decide_kernel_modules, .order = 190};
  return r;
}

namespace {

RuleOutcome decide_kernel_logs(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_kernel_logs) return r;
  std::vector<std::string> why;
  if (c.ev.flag("kernel_log")) why.push_back(who(c.ev.flags.at("kernel_log").executables) + " reads the kernel log");
  for (const char* p : {"/dev/kmsg", "/proc/kmsg"}) {
    if (c.ev.paths.count(p)) why.push_back(std::string("opens ") + p);
  }
  if (!why.empty()) {
    r.not_set.push_back(refuse("ProtectKernelLogs=yes", sample(why)));
    return r;
  }
  r.options.push_back(single("ProtectKernelLogs", "yes",
                             fmt::format("no syslog(2), /dev/kmsg or /proc/kmsg use ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_protect_kernel_logs() {
  static const Rule r{
      .id = "protect-kernel-logs",
      .keys = {"ProtectKernelLogs"},
      .assessors = {"ProtectKernelLogs"},
      .mount_namespace = true,
      .forbidden_by = "syslog(2), /dev/kmsg, /proc/kmsg",
      .implies = "drops CAP_SYSLOG",
      .decide = decide_kernel_logs, .order = 200};
  return r;
}

namespace {

RuleOutcome decide_control_groups(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_control_groups) return r;
  if (c.unit.delegate) {
    r.not_set.push_back(refuse("ProtectControlGroups=yes", "the unit has Delegate=yes"));
    return r;
  }
  auto w = c.ev.paths_under("/sys/fs/cgroup", kWriteBits);
  if (!w.empty()) {
    r.not_set.push_back(refuse("ProtectControlGroups=yes", "writes " + sample(path_list(w))));
    return r;
  }
  // "strict" (257+): its own cgroup namespace, the tree read-only; on a host
  // without the unified hierarchy systemd falls back to "yes".
  bool strict = c.accepts("ProtectControlGroups", "strict");
  r.options.push_back(single("ProtectControlGroups", strict ? "strict" : "yes",
                             fmt::format("no write under /sys/fs/cgroup ({}){}", c.scope(),
                                         strict ? "; strict: its own cgroup namespace, read-only" : "")));
  return r;
}

}  // namespace

const Rule& rule_protect_control_groups() {
  static const Rule r{
      .id = "protect-control-groups",
      .keys = {"ProtectControlGroups"},
      .assessors = {"ProtectControlGroups"},
      .mount_namespace = true,
      .forbidden_by = "writes under /sys/fs/cgroup, Delegate=yes",
      .implies = "",
      .decide = decide_control_groups, .order = 210};
  return r;
}

namespace {

RuleOutcome decide_clock(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_clock) return r;
  if (c.ev.flag("clock_change")) {
    r.not_set.push_back(refuse("ProtectClock=yes", who(c.ev.flags.at("clock_change").executables) + " sets the clock"));
    return r;
  }
  // ProtectClock= adds DeviceAllow=char-rtc r; with DevicePolicy=auto that
  // turns the unit into a device allow-list and cuts it off from any other
  // device it opens unless those are listed too.
  bool listed_policy = c.unit.device_policy != unit::DevicePolicy::auto_ || !c.unit.device_allow.empty() ||
                       c.planned("DevicePolicy") || c.planned("PrivateDevices") || c.unit.private_devices;
  std::vector<std::string> cut;
  for (const auto* u : real_devices(c.ev)) {
    if (path_under(u->path, "/dev/rtc") && !(u->access & kWrite)) continue;
    if (path_under(u->path, "/dev/rtc")) {
      cut.push_back(u->path + " written");
    } else if (!listed_policy) {
      cut.push_back(u->path);
    }
  }
  if (!cut.empty()) {
    r.not_set.push_back(refuse("ProtectClock=yes",
                               "its implied DeviceAllow=char-rtc r would switch to a device allow-list without " +
                                   sample(cut)));
    return r;
  }
  r.options.push_back(single("ProtectClock", "yes",
                             fmt::format("no clock change ({}); the implied DeviceAllow=char-rtc r cuts off no device used",
                                         c.scope())));
  return r;
}

}  // namespace

const Rule& rule_protect_clock() {
  static const Rule r{
      .id = "protect-clock",
      .keys = {"ProtectClock"},
      .assessors = {"ProtectClock"},
      .mount_namespace = false,
      .forbidden_by = "clock changes; device nodes its implied DeviceAllow=char-rtc r would cut off",
      .implies = "DeviceAllow=char-rtc r (switches DevicePolicy=auto to an allow-list), drops CAP_SYS_TIME/CAP_WAKE_ALARM",
      .decide = decide_clock, .order = 220};
  return r;
}

namespace {

RuleOutcome decide_hostname(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_hostname) return r;
  if (c.ev.flag("hostname_change")) {
    std::string setter = who(c.ev.flags.at("hostname_change").executables) + " sets the host name";
    r.not_set.push_back(refuse("ProtectHostname=yes", setter));
    // 262+: the change stays inside the service's own UTS namespace.
    if (c.accepts("ProtectHostname", "private"))
      r.options.push_back(single("ProtectHostname", "private",
                                 setter + ": private keeps the change inside its own UTS namespace"));
    return r;
  }
  r.options.push_back(single("ProtectHostname", "yes",
                             fmt::format("no sethostname/setdomainname ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_protect_hostname() {
  static const Rule r{
      .id = "protect-hostname",
      .keys = {"ProtectHostname"},
      .assessors = {"ProtectHostname"},
      .mount_namespace = false,
      .forbidden_by = "sethostname/setdomainname",
      .implies = "a private UTS namespace",
      .decide = decide_hostname, .order = 230};
  return r;
}

namespace {

struct ProcReads {
  std::vector<std::string> other_pids, non_pid;
};

ProcReads proc_reads(const Evidence& ev) {
  ProcReads out;
  for (const auto* u : ev.paths_under("/proc", ~0u)) {
    if (u->path == "/proc") continue;
    std::string rest = u->path.substr(6);
    std::string first = rest.substr(0, rest.find('/'));
    if (first == "self" || first == "thread-self") continue;
    if (is_pid_name(first)) out.other_pids.push_back(u->path);
    else out.non_pid.push_back(u->path);
  }
  return out;
}

RuleOutcome decide_protect_proc(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_proc != unit::ProtectProc::default_) return r;
  auto reads = proc_reads(c.ev);
  if (!reads.other_pids.empty()) {
    r.not_set.push_back(refuse("ProtectProc=invisible", "reads other processes: " + sample(reads.other_pids)));
    return r;
  }
  r.options.push_back(single("ProtectProc", "invisible",
                             fmt::format("no /proc/PID of another process read ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_protect_proc() {
  static const Rule r{
      .id = "protect-proc",
      .keys = {"ProtectProc"},
      .assessors = {"ProtectProc"},
      .mount_namespace = true,
      .forbidden_by = "reading other processes' /proc/PID",
      .implies = "",
      .decide = decide_protect_proc, .order = 240};
  return r;
}

namespace {

RuleOutcome decide_proc_subset(const Context& c) {
  RuleOutcome r;
  if (c.unit.proc_subset != unit::ProcSubset::all) return r;
  auto reads = proc_reads(c.ev);
  if (!reads.non_pid.empty()) {
    r.not_set.push_back(refuse("ProcSubset=pid", "reads " + sample(reads.non_pid)));
    return r;
  }
  r.options.push_back(single("ProcSubset", "pid",
                             fmt::format("only per-process files under /proc read ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_proc_subset() {
  static const Rule r{
      .id = "proc-subset",
      .keys = {"ProcSubset"},
      .assessors = {"ProcSubset"},
      .mount_namespace = true,
      .forbidden_by = "reading /proc files that are not per-process (/proc/meminfo, /proc/sys/...)",
      .implies = "",
      .decide = decide_proc_subset, .order = 250};
  return r;
}

namespace {

// PrivatePIDs= (257+): each process it starts is PID 1 of a new PID namespace
// and /proc shows only its own processes. systemd refuses it with
// Type=forking; a PID file would name a PID of that namespace, not the
// host's; PAM sessions cannot live in it; and a daemon that looks at other
// processes would see none.
RuleOutcome decide_private_pids(const Context& c) {
  RuleOutcome r;
  if (c.unit.private_pids || !c.accepts("PrivatePIDs")) return r;
  std::vector<std::string> why;
  if (c.unit.service_type == "forking") why.push_back("Type=forking (systemd refuses the combination)");
  if (!c.unit.pid_file.empty()) why.push_back("PIDFile=" + c.unit.pid_file + " would hold a PID of the new namespace");
  if (!c.ev.pam_files.empty()) why.push_back("opens PAM sessions (" + sample({c.ev.pam_files.begin(), c.ev.pam_files.end()}) + ")");
  auto reads = proc_reads(c.ev);
  if (!reads.other_pids.empty()) why.push_back("reads other processes: " + sample(reads.other_pids));
  if (!why.empty()) {
    r.not_set.push_back(refuse("PrivatePIDs=yes", join(why, "; ")));
    return r;
  }
  Option o = single("PrivatePIDs", "yes",
                    fmt::format("no other process's /proc/PID read, no PID file, no PAM session ({})", c.scope()));
  o.required = true;  // unscored: systemd-analyze has no item for it
  r.options.push_back(std::move(o));
  return r;
}

}  // namespace

const Rule& rule_private_pids() {
  static const Rule r{
      .id = "private-pids",
      .keys = {"PrivatePIDs"},
      .assessors = {},
      .mount_namespace = true,
      .forbidden_by = "Type=forking, PIDFile=, PAM sessions, reading other processes' /proc/PID",
      .implies = "a new PID namespace (the daemon is its PID 1) and MountAPIVFS=yes",
      .decide = decide_private_pids, .order = 260};
  return r;
}

namespace {

// PrivateBPF= (258+): a BPF file system of the service's own at /sys/fs/bpf,
// so the programs and maps the host pinned there are out of reach. A daemon
// that uses bpf() or that path may pin or look up objects the host shares.
RuleOutcome decide_private_bpf(const Context& c) {
  RuleOutcome r;
  if (c.unit.private_bpf || !c.accepts("PrivateBPF")) return r;
  std::vector<std::string> why;
  if (c.ev.syscalls_all.count("bpf")) why.push_back("calls bpf()");
  std::vector<std::string> used;
  for (const auto* u : c.ev.paths_under("/sys/fs/bpf", ~0u)) used.push_back(u->path);
  if (!used.empty()) why.push_back("uses " + sample(used));
  if (!why.empty()) {
    r.not_set.push_back(refuse("PrivateBPF=yes", join(why, "; ")));
    return r;
  }
  Option o = single("PrivateBPF", "yes", fmt::format("no bpf() call, nothing under /sys/fs/bpf ({})", c.scope()));
  o.required = true;  // unscored: systemd-analyze has no item for it
  r.options.push_back(std::move(o));
  return r;
}

}  // namespace

const Rule& rule_private_bpf() {
  static const Rule r{
      .id = "private-bpf",
      .keys = {"PrivateBPF"},
      .assessors = {},
      .mount_namespace = true,
      .forbidden_by = "bpf() calls or use of /sys/fs/bpf",
      .implies = "a BPF file system of its own at /sys/fs/bpf",
      .decide = decide_private_bpf, .order = 265};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> kernel_rules() {
  return {
      &rule_protect_kernel_tunables(),
      &rule_protect_kernel_modules(),
      &rule_protect_kernel_logs(),
      &rule_protect_control_groups(),
      &rule_protect_clock(),
      &rule_protect_hostname(),
      &rule_protect_proc(),
      &rule_proc_subset(),
      &rule_private_pids(),
      &rule_private_bpf(),
  };
}

}  // namespace sdh::synth::rules
