// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/controls.h"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <fmt/format.h>

#include "unit/directives.h"
#include "unit/loader.h"
#include "unit/semantics.h"
#include "util/linux_names.h"
#include "util/strings.h"

namespace sdh::verify {

const RunPaths& run_paths() {
  static const RunPaths paths = [] {
    std::string base = "/run/sdharden-" + std::to_string(getpid());
    return RunPaths{base, base + "/sdharden-probe", base + "-battery.out", base + "-trace"};
  }();
  return paths;
}

using sdh::words;

namespace {

// Families the probe knows; the ones a drop-in's allow-list leaves out are
// expected to be refused.
const char* const kProbeFamilies[] = {"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET"};
// Syscalls outside @system-service that the probe can call harmlessly.
const char* const kProbeSyscalls[] = {"ptrace", "perf_event_open", "process_vm_readv", "mount",
                                      "umount2", "pivot_root", "reboot", "add_key", "keyctl",
                                      "bpf", "userfaultfd", "chroot", "syslog", "setns"};


// What a drop-in means, as systemd reads it: the unit parser and settings
// applied to an empty service (implied settings included: PrivateDevices=
// drops CAP_MKNOD, DynamicUser= makes the OS read-only...).
struct Read {
  unit::UnitSettings s;
  // Whether the drop-in assigns `key` itself (for naming the culprit).
  bool sets(const std::string& key) const { return s.origin.count("Service." + key) > 0; }
};

Read read_dropin(const std::vector<Directive>& ds) {
  MemoryFileSystem fs;
  const std::string dir = "/etc/systemd/system";
  fs.add_file(dir + "/sdharden-controls.service", "[Service]\nExecStart=/bin/true\n");
  unit::LoadOptions o;
  o.search_path = {dir};
  // The newest release reads every directive and value an older one takes
  // the same way, and a plan never carries one its own target does not know.
  o.version = unit::newest_release();
  o.extra_dropins.emplace_back("/run/sdharden/controls.conf", render_dropin(ds));
  auto u = unit::load_unit(fs, "sdharden-controls.service", o);
  Read r;
  if (u) r.s = std::move(u->settings);
  return r;
}

std::vector<std::string> probe(std::initializer_list<std::string> args, const std::vector<std::string>& more = {}) {
  std::vector<std::string> v = {run_paths().probe};
  v.insert(v.end(), args);
  v.insert(v.end(), more.begin(), more.end());
  return v;
}

}  // namespace


std::vector<ProbeLine> parse_probe_output(const std::string& out) {
  std::vector<ProbeLine> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    auto w = words(line);
    if (w.size() < 3) continue;
    ProbeLine p{w[0], w[1], w[2] == "ok", w[2] == "killed", w.size() > 3 ? w[3] : ""};
    if (w[2] != "ok" && w[2] != "refused" && w[2] != "killed") continue;
    lines.push_back(p);
  }
  return lines;
}

namespace {

// One row per restriction class: the drop-in keys it tests and how it plans
// its probe from the settings (nullopt: the class is not restricted).
struct ControlRow {
  const char* name;
  std::optional<Control> (*plan)(const Read& r);
};

std::vector<std::string> keys_set(const Read& r, std::initializer_list<const char*> keys) {
  std::vector<std::string> out;
  for (const char* k : keys)
    if (r.sets(k)) out.emplace_back(k);
  return out;
}

const ControlRow kControls[] = {
    {"address families",
     [](const Read& r) -> std::optional<Control> {
       const auto& af = r.s.restrict_address_families;
       if (!af.configured) return std::nullopt;
       Control c{"address families", {"RestrictAddressFamilies"}, {}, ControlMode::refused_args, {}, {}};
       std::vector<std::string> fams;
       for (const char* f : kProbeFamilies) {
         fams.push_back(f);
         bool listed = af.names.count(f) > 0;
         (af.allow_list ? !listed : listed) ? c.must_refuse.push_back(f) : c.must_allow.push_back(f);
       }
       c.argv = probe({"socket"}, fams);
       if (c.must_refuse.empty()) return std::nullopt;
       return c;
     }},
    {"private network",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.private_network) return std::nullopt;
       return Control{"private network", {"PrivateNetwork"}, {"/usr/bin/readlink", "/proc/self/ns/net"},
                      ControlMode::output_differs, {}, {}};
     }},
    // In the container /usr is already read-only (volatile root), so /etc
    // and / are where ProtectSystem= can be seen.
    {"read-only system",
     [](const Read& r) -> std::optional<Control> {
       auto ps = r.s.protect_system;
       auto keys = keys_set(r, {"ProtectSystem", "DynamicUser"});
       if (ps == unit::ProtectSystem::full || ps == unit::ProtectSystem::strict) {
         bool strict = ps == unit::ProtectSystem::strict;
         std::vector<std::string> dirs = {"/etc"};
         if (strict) dirs.insert(dirs.end(), {"/var/lib", "/srv", "/opt"});
         std::erase_if(dirs, [&](const std::string& d) {
           return std::any_of(r.s.read_write_paths.begin(), r.s.read_write_paths.end(),
                              [&](const std::string& w) { return unit::strip_path_prefixes(w) == d; });
         });
         if (dirs.empty()) return std::nullopt;
         return Control{std::string("read-only system (ProtectSystem=") + (strict ? "strict" : "full") + ")", keys,
                        probe({"write"}, dirs), ControlMode::refused_args, dirs, {}};
       }
       if (ps == unit::ProtectSystem::yes)
         return Control{"read-only /usr, /boot (ProtectSystem=yes)", keys, probe({"write", "/boot", "/usr"}),
                        ControlMode::refused_args, {}, {}};
       return std::nullopt;
     }},
    {"home directories",
     [](const Read& r) -> std::optional<Control> {
       auto keys = keys_set(r, {"ProtectHome", "DynamicUser"});
       switch (r.s.protect_home) {
         case unit::ProtectHome::read_only:
         case unit::ProtectHome::tmpfs: {
           std::string how = r.s.protect_home == unit::ProtectHome::tmpfs ? "tmpfs" : "read-only";
           return Control{"home directories (ProtectHome=" + how + ")", keys, probe({"write", "/root"}),
                          ControlMode::refused_args, {"/root"}, {}};
         }
         case unit::ProtectHome::yes:
           // The inaccessible node is mode 000, which root with CAP_DAC_OVERRIDE
           // can still open (and find empty): compare the inode instead.
           return Control{"home directories (ProtectHome=yes)", keys, {"/usr/bin/stat", "-c", "%d:%i:%a", "/root"},
                          ControlMode::output_differs, {}, {}};
         default: return std::nullopt;
       }
     }},
    {"read-only paths",
     [](const Read& r) -> std::optional<Control> {
       std::vector<std::string> paths;
       for (const auto& p : r.s.read_only_paths)
         if (p == unit::strip_path_prefixes(p)) paths.push_back(p);  // a "-" path may not exist
       if (paths.empty()) return std::nullopt;
       return Control{"read-only paths", {"ReadOnlyPaths"}, probe({"write"}, paths), ControlMode::refused_args, paths,
                      {}};
     }},
    {"inaccessible paths",
     [](const Read& r) -> std::optional<Control> {
       std::vector<std::string> paths;
       for (const auto& p : r.s.inaccessible_paths)
         if (p == unit::strip_path_prefixes(p)) paths.push_back(p);
       if (paths.empty()) return std::nullopt;
       return Control{"inaccessible paths", {"InaccessiblePaths"}, probe({"read"}, paths), ControlMode::refused_args,
                      paths, {}};
     }},
    {"private /tmp",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.private_tmp) return std::nullopt;
       return Control{"private /tmp", keys_set(r, {"PrivateTmp", "DynamicUser"}), {"/usr/bin/stat", "-c", "%d:%i", "/tmp"},
                      ControlMode::output_differs, {}, {}};
     }},
    {"devices",
     [](const Read& r) -> std::optional<Control> {
       auto dp = r.s.device_policy;
       if (!r.s.private_devices && dp != unit::DevicePolicy::closed && dp != unit::DevicePolicy::strict)
         return std::nullopt;
       return Control{"devices", keys_set(r, {"PrivateDevices", "DevicePolicy"}), probe({"device", "/dev/net/tun"}),
                      ControlMode::refused_args, {"/dev/net/tun"}, {}};
     }},
    // The bounding set as systemd computes it: CapabilityBoundingSet= and what
    // PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs= and
    // ProtectClock= take out of it.
    {"capabilities",
     [](const Read& r) -> std::optional<Control> {
       Control c{"capabilities",
                 keys_set(r, {"CapabilityBoundingSet", "PrivateDevices", "ProtectKernelModules", "ProtectKernelLogs",
                              "ProtectClock"}),
                 {}, ControlMode::refused_args, {}, {}};
       std::vector<std::string> nums;
       for (int i = 0; i < capability_count(); ++i) {
         bool kept = r.s.capability_bounding_set & (uint64_t{1} << i);
         nums.push_back(std::to_string(i));
         (kept ? c.must_allow : c.must_refuse).push_back(std::to_string(i));
       }
       if (c.must_refuse.empty()) return std::nullopt;
       c.argv = probe({"cap"}, nums);
       return c;
     }},
    {"no new privileges",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.no_new_privileges) return std::nullopt;
       return Control{"no new privileges", keys_set(r, {"NoNewPrivileges", "DynamicUser"}), probe({"nnp"}),
                      ControlMode::refused_args, {"gain-privileges"}, {}};
     }},
    {"system call filter",
     [](const Read& r) -> std::optional<Control> {
       const auto& sc = r.s.system_call_filter;
       if (!sc.configured) return std::nullopt;
       std::vector<std::string> names(std::begin(kProbeSyscalls), std::end(kProbeSyscalls));
       // A deny-list (groups expanded) must refuse exactly the probe's calls it names.
       std::vector<std::string> expect;
       if (!sc.allow_list)
         for (const auto& n : names)
           if (sc.names.count(n)) expect.push_back(n);
       return Control{"system call filter", {"SystemCallFilter", "SystemCallErrorNumber"}, probe({"syscall"}, names),
                      ControlMode::refused_args, expect, {}};
     }},
    {"W^X memory",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.memory_deny_write_execute) return std::nullopt;
       return Control{"W^X memory", {"MemoryDenyWriteExecute"}, probe({"wx"}), ControlMode::refused_args,
                      {"anonymous"}, {}};
     }},
    {"namespaces",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.restrict_namespaces_configured) return std::nullopt;
       std::vector<std::string> all, refuse, allow;
       for (const auto& t : unit::namespace_types()) {
         all.emplace_back(t.name);
         ((r.s.restrict_namespaces & t.bit) ? allow : refuse).emplace_back(t.name);
       }
       if (refuse.empty()) return std::nullopt;
       return Control{"namespaces", {"RestrictNamespaces"}, probe({"unshare"}, all), ControlMode::refused_args, refuse,
                      allow};
     }},
    {"personality lock",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.lock_personality) return std::nullopt;
       return Control{"personality lock", {"LockPersonality"}, probe({"personality"}), ControlMode::refused_args,
                      {"PER_LINUX32"}, {}};
     }},
    {"realtime scheduling",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.restrict_realtime) return std::nullopt;
       return Control{"realtime scheduling", {"RestrictRealtime"}, probe({"realtime"}), ControlMode::refused_args,
                      {"SCHED_RR"}, {}};
     }},
    {"host name",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.protect_hostname) return std::nullopt;
       // ProtectHostname=private allows the change, inside a UTS namespace of its own.
       if (auto m = r.s.modes.find("ProtectHostname"); m != r.s.modes.end() && m->second.rfind("private", 0) == 0)
         return Control{"private host name", {"ProtectHostname"}, {"/usr/bin/readlink", "/proc/self/ns/uts"},
                        ControlMode::output_differs, {}, {}};
       return Control{"host name", {"ProtectHostname"}, probe({"hostname"}), ControlMode::refused_args,
                      {"sethostname"}, {}};
     }},
    {"PID namespace",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.private_pids) return std::nullopt;
       return Control{"PID namespace", {"PrivatePIDs"}, {"/usr/bin/readlink", "/proc/self/ns/pid"},
                      ControlMode::output_differs, {}, {}};
     }},
    // Only PrivateIPC= gives a service an IPC namespace of its own, so
    // another namespace than the manager's shows it applied.
    {"IPC namespace",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.private_ipc) return std::nullopt;
       return Control{"IPC namespace", {"PrivateIPC"}, {"/usr/bin/readlink", "/proc/self/ns/ipc"},
                      ControlMode::output_differs, {}, {}};
     }},
    {"set-uid files",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.restrict_suid_sgid) return std::nullopt;
       return Control{"set-uid files", keys_set(r, {"RestrictSUIDSGID", "DynamicUser"}), probe({"suid", "/tmp"}),
                      ControlMode::refused_args, {"/tmp"}, {}};
     }},
    {"unprivileged user",
     [](const Read& r) -> std::optional<Control> {
       if (unit::runs_as_root(r.s)) return std::nullopt;
       return Control{"unprivileged user", {"User", "DynamicUser"}, probe({"uid"}), ControlMode::refused_args,
                      {"root"}, {}};
     }},
    {"user namespace",
     [](const Read& r) -> std::optional<Control> {
       if (!r.s.private_users) return std::nullopt;
       return Control{"user namespace", {"PrivateUsers"}, {"/bin/cat", "/proc/self/uid_map"},
                      ControlMode::output_differs, {}, {}};
     }},
};

}  // namespace

const std::map<std::string, std::string>& keys_without_control() {
  // Refusals this machine's container cannot show; every other key without
  // a control says why through its registry row's effect.
  static const std::map<std::string, std::string> k = {
      {"ProtectKernelTunables", "the container already denies this to root, so a probe cannot tell the "
                                "directive's effect apart"},
      {"ProtectControlGroups", "the container already denies this to root, so a probe cannot tell the "
                               "directive's effect apart"},
      {"IPAddressDeny", "needs a network peer outside loopback to demonstrate"},
      {"SocketBindDeny", "needs the cgroup BPF programs a v1 hybrid machine may lack"},
      {"SystemCallArchitectures", "the probe runs natively; a foreign-architecture call needs a foreign binary"},
  };
  static const std::map<std::string, std::string> all = [] {
    std::map<std::string, std::string> m = k;
    const auto probed = keys_with_control();  // SystemCallErrorNumber= goes with the filter's control
    for (const auto& d : unit::directive_table()) {
      if (std::find(probed.begin(), probed.end(), d.name) != probed.end()) continue;
      std::string_view why;
      switch (d.effect) {
        case unit::Effect::refuses: break;
        case unit::Effect::widens: why = "only widens what other directives restrict: nothing to refuse"; break;
        case unit::Effect::hides: why = "takes things out of reach: the containment battery shows what stays reachable"; break;
        case unit::Effect::grants: why = "grants, does not refuse"; break;
        case unit::Effect::identity: why = "an identity, tested with User="; break;
        case unit::Effect::command: why = "a command line systemd runs: its run is part of the check"; break;
        case unit::Effect::inward: why = "refuses nothing an operation inside could meet: the check and workload exercise it"; break;
      }
      if (!why.empty()) m.emplace(d.name, std::string(why));
    }
    return m;
  }();
  return all;
}

std::vector<std::string> keys_with_control() {
  // Every key some row names, found by planning each row over a drop-in that
  // sets everything a row looks at.
  std::vector<std::string> keys;
  Read all = read_dropin(*parse_dropin(
      "[Service]\nRestrictAddressFamilies=AF_UNIX\nPrivateNetwork=yes\nProtectSystem=strict\nProtectHome=yes\n"
      "ReadOnlyPaths=/etc\nInaccessiblePaths=/boot\nPrivateTmp=yes\nPrivateDevices=yes\nDevicePolicy=closed\n"
      "CapabilityBoundingSet=CAP_CHOWN\nProtectKernelModules=yes\nProtectKernelLogs=yes\nProtectClock=yes\n"
      "NoNewPrivileges=yes\nSystemCallFilter=~ptrace\nSystemCallErrorNumber=EPERM\nMemoryDenyWriteExecute=yes\n"
      "RestrictNamespaces=yes\nLockPersonality=yes\nRestrictRealtime=yes\nProtectHostname=yes\n"
      "RestrictSUIDSGID=yes\nUser=nobody\nDynamicUser=yes\nPrivateUsers=yes\nPrivatePIDs=yes\nPrivateIPC=yes\n"));
  for (const auto& row : kControls)
    if (auto c = row.plan(all))
      for (const auto& k : c->directives)
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  return keys;
}

std::vector<Control> plan_controls(const std::vector<Directive>& ds, std::vector<std::string>* not_probed) {
  Read r = read_dropin(ds);
  std::vector<Control> controls;
  for (const auto& row : kControls)
    if (auto c = row.plan(r)) controls.push_back(std::move(*c));
  if (not_probed) {
    // Their own effect cannot be told apart here (the capabilities some of
    // them drop are probed above).
    for (const char* key : {"ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock",
                            "ProtectControlGroups"})
      if (r.sets(key))
        not_probed->push_back(std::string(key) + ": the container already denies this to root, so a probe cannot "
                                                 "tell the directive's effect apart");
    if (r.sets("IPAddressDeny")) not_probed->push_back("IPAddressDeny: " + keys_without_control().at("IPAddressDeny"));
  }
  return controls;
}

ControlOutcome evaluate_control(const Control& control, const systemd::ExecResult& sandboxed,
                                const systemd::ExecResult& plain) {
  ControlOutcome o;
  if (control.mode == ControlMode::output_differs) {
    auto first = [](const std::string& s) { return s.substr(0, s.find('\n')); };
    if (!plain.ok() || plain.out.empty()) {
      o.detail = "the probe fails even without the sandbox: " + plain.status_text() + " " + plain.err;
      return o;
    }
    if (!sandboxed.ok()) {
      o.detail = "the probe cannot run inside the sandbox: " + sandboxed.status_text() + " " + sandboxed.err;
      return o;
    }
    bool differs = first(sandboxed.out) != first(plain.out);
    o.status = differs ? ItemStatus::passed : ItemStatus::failed;
    o.detail = fmt::format("without: {}, with: {}", first(plain.out), first(sandboxed.out));
    return o;
  }
  auto with = parse_probe_output(sandboxed.out);
  auto without = parse_probe_output(plain.out);
  if (without.empty()) {
    o.detail = "the probe printed nothing without the sandbox: " + plain.status_text() + " " + plain.err;
    return o;
  }
  if (with.empty()) {
    o.detail = "the probe could not run inside the sandbox: " + sandboxed.status_text() + " " + sandboxed.err;
    return o;
  }
  std::map<std::string, ProbeLine> w, wo;
  for (auto& l : with) w[l.arg] = l;
  for (auto& l : without) wo[l.arg] = l;
  std::vector<std::string> refused, still_ok, baseline_refused, wrongly_refused;
  size_t testable = 0;  // operations the probe could do without the sandbox
  for (const auto& [arg, plain_line] : wo) {
    auto it = w.find(arg);
    if (it == w.end()) continue;
    bool expected = std::find(control.must_refuse.begin(), control.must_refuse.end(), arg) != control.must_refuse.end();
    if (!plain_line.ok) {
      if (expected || control.must_refuse.empty()) baseline_refused.push_back(arg);
      continue;
    }
    ++testable;
    if (!it->second.ok) refused.push_back(arg + ":" + it->second.detail);
    else if (expected) still_ok.push_back(arg);
    bool must_allow = std::find(control.must_allow.begin(), control.must_allow.end(), arg) != control.must_allow.end();
    if (must_allow && !it->second.ok) wrongly_refused.push_back(arg);
  }
  auto list = [](const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, " ")); };
  std::string detail = "refused in the sandbox, allowed without: " + (refused.empty() ? "none" : list(refused));
  if (!still_ok.empty()) detail += "; NOT refused: " + list(still_ok);
  if (!wrongly_refused.empty()) detail += "; refused though allowed: " + list(wrongly_refused);
  if (!baseline_refused.empty()) detail += "; already refused without the sandbox: " + list(baseline_refused);
  o.detail = detail;
  if (!still_ok.empty()) {
    o.status = ItemStatus::failed;
  } else if (refused.empty() && (testable == 0 || !control.must_refuse.empty())) {
    // Nothing the sandbox could be seen to refuse: the probe could not do
    // these operations even without it (fewer privileges, the machine's
    // own limits). That proves nothing either way.
    o.status = ItemStatus::inconclusive;
    o.detail = "unproven here: the probe cannot do " +
               (baseline_refused.empty() ? std::string("any of these operations") : list(baseline_refused)) +
               " even without the sandbox, so the control cannot tell";
  } else {
    o.status = refused.empty() ? ItemStatus::failed : ItemStatus::passed;
  }
  return o;
}

}  // namespace sdh::verify
