// SPDX-License-Identifier: GPL-2.0-or-later
#include "exposure/assess.h"

#include <functional>
#include <map>

#include <fmt/core.h>

#include "exposure/assessors.h"
#include "unit/directives.h"
#include "unit/semantics.h"
#include "unit/syscalls.h"
#include "util/linux_names.h"

namespace sdh::exposure {
namespace {

using unit::UnitSettings;
constexpr uint64_t kNotApplicable = ~uint64_t{0};

struct Verdict {
  uint64_t badness;
  std::string description;
};

uint64_t cap(int n) { return uint64_t{1} << n; }

// The facts systemd-analyze derives from a loaded unit before assessing it.
struct Facts {
  const UnitSettings& s;
  bool inet = false, unix_ = false, netlink = false, packet = false, other = false;
  bool deny_all = false, allow_localhost = false, allow_other = false;

  explicit Facts(const UnitSettings& settings) : s(settings) {
    if (s.has_exec_context) {
      const auto& af = s.restrict_address_families;
      inet = unix_ = netlink = packet = other = af.allow_list;
      for (const auto& f : af.names) {
        bool v = !af.allow_list;
        if (f == "AF_INET" || f == "AF_INET6") inet = v;
        else if (f == "AF_UNIX") unix_ = v;
        else if (f == "AF_NETLINK") netlink = v;
        else if (f == "AF_PACKET") packet = v;
        else other = v;
      }
    }
    if (s.has_cgroup_context) {
      bool d4 = false, d6 = false;
      for (const auto& p : s.ip_address_deny) {
        if (p.prefix_len != 0) continue;
        if (p.family == 2) d4 = true;   // AF_INET
        if (p.family == 10) d6 = true;  // AF_INET6
      }
      deny_all = d4 && d6;
      for (const auto& p : s.ip_address_allow) {
        bool local = p.family == 2 ? p.address.rfind("127.", 0) == 0 : p.address == "::1";
        (local ? allow_localhost : allow_other) = true;
      }
    }
  }

  bool runs_privileged() const {
    // An explicit root wins over DynamicUser=, as systemd decides it.
    return unit::names_root(s.user) || unit::runs_as_root(s);
  }
};

// Newer releases assess a user manager's service as running under that user.
bool runs_as_caller(const Facts& f, unit::SystemdVersion v) {
  return f.s.user_manager && has_change(v, unit::Change::user_services_run_as_caller);
}

Verdict flag(bool bad, const char* bad_text, const char* good_text) {
  return {bad ? 1u : 0u, bad ? bad_text : good_text};
}

using Rule = std::function<Verdict(const Facts&, unit::SystemdVersion)>;

// The members of `group` that are system calls on this architecture (only
// those can be filtered or let through), worked out once per version rather
// than for every unit.
const std::vector<std::string>& native_members(unit::SystemdVersion v, const std::string& group) {
  using Table = std::map<std::string, std::vector<std::string>>;
  static const auto build = [](unit::SystemdVersion version) {
    Table t;
    for (const auto& g : unit::syscall_group_names(version)) {
      auto& native = t[g];
      if (const auto* members = unit::syscall_group(version, g))
        for (const auto& m : *members)
          if (unit::is_native_syscall(m)) native.push_back(m);
    }
    return t;
  };
  static const std::vector<std::string> none;
  const Table& t = unit::per_release(v, build);
  auto it = t.find(group);
  return it == t.end() ? none : it->second;
}

Verdict syscall_group_verdict(const Facts& f, unit::SystemdVersion v, const std::string& group) {
  const auto& fs = f.s.system_call_filter;
  if (!f.s.has_exec_context || (!fs.allow_list && fs.names.empty()))
    return {10, "no system call filter at all"};
  std::string offender;
  for (const auto& m : native_members(v, group)) {
    if ((fs.names.count(m) > 0) == fs.allow_list) {
      offender = m;
      break;
    }
  }
  if (fs.allow_list)
    return offender.empty() ? Verdict{0, "allow-list leaves out all of " + group}
                            : Verdict{9, "allow-list lets " + group + " through (" + offender + ")"};
  return offender.empty() ? Verdict{0, "deny-list blocks all of " + group}
                          : Verdict{10, "deny-list misses part of " + group + " (" + offender + ")"};
}

const std::map<std::string, Rule>& rules() {
  static const std::map<std::string, Rule> r = [] {
    std::map<std::string, Rule> m;
    m["UserOrDynamicUser"] = [](const Facts& f, unit::SystemdVersion v) -> Verdict {
      if (runs_as_caller(f, v)) return {0, "runs as the user whose manager starts it"};
      const auto& u = f.s.user;
      if (u && *u == "nobody") return {9, "runs as 'nobody', a user shared with unrelated software"};
      bool root_name = unit::names_root(u);
      if (f.s.dynamic_user && !root_name) return {0, "runs as a transient user of its own"};
      if (u && !root_name && !u->empty()) return {0, "runs as a dedicated non-root user"};
      return {10, "runs as root"};
    };
    m["SupplementaryGroups"] = [](const Facts& f, unit::SystemdVersion v) -> Verdict {
      if (f.runs_privileged() && !runs_as_caller(f, v)) return {kNotApplicable, "irrelevant: the service runs as root"};
      return flag(!f.s.supplementary_groups.empty(), "gets extra groups", "no extra groups");
    };
    auto boolean = [&m](const char* field, bool UnitSettings::*member, const char* bad, const char* good) {
      m[field] = [member, bad, good](const Facts& f, auto) { return flag(!(f.s.*member), bad, good); };
    };
    boolean("PrivateDevices", &UnitSettings::private_devices, "sees the host's device nodes", "has a minimal /dev");
    m["PrivateMounts"] = [](const Facts& f, unit::SystemdVersion v) {
      // Where PrivateMounts= is a tristate, "never assigned" scores as set (in
      // units that run processes; the neutral defaults of the others say "no").
      static const int tristate = unit::find_directive("Service", "PrivateMounts", "service")->tristate_since;
      bool on = f.s.private_mounts ||
                (f.s.has_exec_context && !f.s.private_mounts_assigned && tristate && v.at_least(tristate));
      return flag(!on, "shares the host's mount table", "has its own mount namespace");
    };
    boolean("PrivateNetwork", &UnitSettings::private_network, "uses the host's network", "has no network but loopback");
    boolean("PrivateTmp", &UnitSettings::private_tmp, "shares /tmp with other software", "has its own /tmp");
    boolean("PrivateUsers", &UnitSettings::private_users, "sees all host users", "has its own user namespace");
    boolean("ProtectControlGroups", &UnitSettings::protect_control_groups, "may write the cgroup tree", "cgroup tree is read-only");
    boolean("ProtectKernelModules", &UnitSettings::protect_kernel_modules, "may load kernel modules", "cannot load kernel modules");
    boolean("ProtectKernelTunables", &UnitSettings::protect_kernel_tunables, "may change kernel tunables", "kernel tunables are read-only");
    boolean("ProtectKernelLogs", &UnitSettings::protect_kernel_logs, "may access the kernel log", "cannot access the kernel log");
    boolean("ProtectClock", &UnitSettings::protect_clock, "may set the clocks", "cannot set the clocks");
    boolean("ProtectHostname", &UnitSettings::protect_hostname, "may change the host name", "cannot change the host name");
    boolean("LockPersonality", &UnitSettings::lock_personality, "may switch execution domain", "execution domain locked");
    boolean("MemoryDenyWriteExecute", &UnitSettings::memory_deny_write_execute, "may map memory writable and executable", "no writable+executable memory");
    boolean("NoNewPrivileges", &UnitSettings::no_new_privileges, "may gain privileges via setuid/file capabilities", "cannot gain new privileges");
    boolean("RestrictRealtime", &UnitSettings::restrict_realtime, "may use realtime scheduling", "no realtime scheduling");
    boolean("RestrictSUIDSGID", &UnitSettings::restrict_suid_sgid, "may create setuid/setgid files", "cannot create setuid/setgid files");
    m["ProtectHome"] = [](const Facts& f, auto) -> Verdict {
      if (!f.s.has_exec_context) return {10, "full access to home directories"};
      switch (f.s.protect_home) {
        case unit::ProtectHome::yes: return {0, "home directories are hidden"};
        case unit::ProtectHome::read_only: return {5, "home directories are read-only"};
        case unit::ProtectHome::tmpfs: return {1, "home directories replaced by empty ones"};
        default: return {10, "full access to home directories"};
      }
    };
    m["ProtectSystem"] = [](const Facts& f, auto) -> Verdict {
      if (!f.s.has_exec_context) return {10, "may write the OS tree"};
      switch (f.s.protect_system) {
        case unit::ProtectSystem::strict: return {0, "the whole OS tree is read-only"};
        case unit::ProtectSystem::full: return {3, "/usr, /boot and /etc are read-only"};
        case unit::ProtectSystem::yes: return {5, "/usr and /boot are read-only"};
        default: return {10, "may write the OS tree"};
      }
    };
    m["RootDirectoryOrRootImage"] = [](const Facts& f, auto) -> Verdict {
      auto is_root = [](const std::string& p) { return p.empty() || p == "/"; };
      return flag(is_root(f.s.root_directory) && is_root(f.s.root_image), "runs in the host's root file system",
                  "runs in its own root file system");
    };
    auto caps = [&m](const char* field, uint64_t mask) {
      // The capabilities' own names, not the item's ("CAP_SET_UID_GID_PCAP"
      // names none): those kept, or all of the item's when none is.
      auto names = [](uint64_t bits) {
        std::string out;
        for (int n = 0; n < 64; ++n)
          if (bits & (uint64_t{1} << n)) out += (out.empty() ? "" : ", ") + std::string(sdh::capability_name(n));
        return out;
      };
      std::string good = names(mask) + " dropped from the bounding set";
      m[field] = [mask, good, names](const Facts& f, auto) -> Verdict {
        uint64_t kept = f.s.capability_bounding_set & mask;
        if (!kept) return {0u, good};
        return {1u, names(kept) + " kept in the bounding set"};
      };
    };
    caps("CapabilityBoundingSet_CAP_SYS_ADMIN", cap(21));
    caps("CapabilityBoundingSet_CAP_SET_UID_GID_PCAP", cap(7) | cap(6) | cap(8));
    caps("CapabilityBoundingSet_CAP_SYS_PTRACE", cap(19));
    caps("CapabilityBoundingSet_CAP_SYS_TIME", cap(25));
    caps("CapabilityBoundingSet_CAP_NET_ADMIN", cap(12));
    caps("CapabilityBoundingSet_CAP_SYS_RAWIO", cap(17));
    caps("CapabilityBoundingSet_CAP_SYS_MODULE", cap(16));
    caps("CapabilityBoundingSet_CAP_AUDIT", cap(30) | cap(37) | cap(29));
    caps("CapabilityBoundingSet_CAP_SYSLOG", cap(34));
    caps("CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE", cap(23) | cap(24));
    caps("CapabilityBoundingSet_CAP_MKNOD", cap(27));
    caps("CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP", cap(0) | cap(4) | cap(31));
    caps("CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER", cap(1) | cap(2) | cap(3) | cap(15));
    caps("CapabilityBoundingSet_CAP_KILL", cap(5));
    caps("CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)", cap(10) | cap(11) | cap(13));
    caps("CapabilityBoundingSet_CAP_SYS_BOOT", cap(22));
    caps("CapabilityBoundingSet_CAP_MAC", cap(33) | cap(32));
    caps("CapabilityBoundingSet_CAP_LINUX_IMMUTABLE", cap(9));
    caps("CapabilityBoundingSet_CAP_IPC_LOCK", cap(14));
    caps("CapabilityBoundingSet_CAP_SYS_CHROOT", cap(18));
    caps("CapabilityBoundingSet_CAP_BLOCK_SUSPEND", cap(36));
    caps("CapabilityBoundingSet_CAP_WAKE_ALARM", cap(35));
    caps("CapabilityBoundingSet_CAP_LEASE", cap(28));
    caps("CapabilityBoundingSet_CAP_SYS_TTY_CONFIG", cap(26));
    caps("CapabilityBoundingSet_CAP_SYS_PACCT", cap(20));
    caps("CapabilityBoundingSet_CAP_BPF", cap(39));
    m["UMask"] = [](const Facts& f, auto) -> Verdict {
      unsigned u = f.s.umask;
      if (!(u & 0002)) return {10, "new files are world-writable"};
      if (!(u & 0004)) return {5, "new files are world-readable"};
      if (!(u & 0020)) return {2, "new files are group-writable"};
      if (!(u & 0040)) return {1, "new files are group-readable"};
      return {0, "new files are private to the owner"};
    };
    m["KeyringMode"] = [](const Facts& f, auto) {
      return flag(!f.s.has_exec_context || f.s.keyring_mode != unit::KeyringMode::private_,
                  "shares a kernel keyring with other software", "has a private kernel keyring");
    };
    m["ProtectProc"] = [](const Facts& f, auto) -> Verdict {
      if (f.s.has_exec_context) {
        if (f.s.protect_proc == unit::ProtectProc::noaccess) return {1, "other processes hidden (noaccess)"};
        if (f.s.protect_proc == unit::ProtectProc::invisible || f.s.protect_proc == unit::ProtectProc::ptraceable)
          return {0, "other processes invisible in /proc"};
      }
      return {3, "sees every process in /proc"};
    };
    m["ProcSubset"] = [](const Facts& f, auto) {
      return flag(!f.s.has_exec_context || f.s.proc_subset != unit::ProcSubset::pid,
                  "sees all of /proc, not only process entries", "/proc limited to process entries");
    };
    m["NotifyAccess"] = [](const Facts& f, auto) {
      return flag(f.s.type == "service" && f.s.notify_access == unit::NotifyAccess::all,
                  "any child may send state notifications", "state notifications restricted");
    };
    m["RemoveIPC"] = [](const Facts& f, unit::SystemdVersion v) -> Verdict {
      if (runs_as_caller(f, v)) return {kNotApplicable, "irrelevant: a user manager's service keeps its user's IPC"};
      if (f.runs_privileged()) return {kNotApplicable, "irrelevant: the service runs as root"};
      return flag(!f.s.remove_ipc, "IPC objects may outlive the service", "IPC objects removed at stop");
    };
    m["Delegate"] = [](const Facts& f, auto) {
      return flag(f.s.has_cgroup_context && f.s.delegate, "manages a delegated cgroup subtree",
                  "no cgroup delegation");
    };
    auto ns = [&m](const char* field, uint32_t bit) {
      std::string what = std::string(field).substr(std::string("RestrictNamespaces_").size());
      std::string bad = "may create " + what + " namespaces", good = "cannot create " + what + " namespaces";
      m[field] = [bit, bad, good](const Facts& f, auto) -> Verdict {
        bool allowed = !f.s.has_exec_context || !f.s.restrict_namespaces_configured ||
                       (f.s.restrict_namespaces & bit) != 0;
        return {allowed ? 1u : 0u, allowed ? bad : good};
      };
    };
    ns("RestrictNamespaces_user", unit::kNsUser);
    ns("RestrictNamespaces_mnt", unit::kNsMnt);
    ns("RestrictNamespaces_ipc", unit::kNsIpc);
    ns("RestrictNamespaces_pid", unit::kNsPid);
    ns("RestrictNamespaces_cgroup", unit::kNsCgroup);
    ns("RestrictNamespaces_net", unit::kNsNet);
    ns("RestrictNamespaces_uts", unit::kNsUts);
    auto af = [&m](const char* field, bool Facts::*member) {
      std::string what = std::string(field).substr(std::string("RestrictAddressFamilies_").size());
      if (what == "OTHER") what = "other (exotic)";
      if (what == "AF_INET_INET6") what = "AF_INET and AF_INET6";
      std::string bad = "may open " + what + " sockets", good = what + " sockets refused";
      m[field] = [member, bad, good](const Facts& f, auto) -> Verdict {
        bool open = !(f.*member);
        return {open ? 1u : 0u, open ? bad : good};
      };
    };
    af("RestrictAddressFamilies_AF_INET_INET6", &Facts::inet);
    af("RestrictAddressFamilies_AF_UNIX", &Facts::unix_);
    af("RestrictAddressFamilies_AF_NETLINK", &Facts::netlink);
    af("RestrictAddressFamilies_AF_PACKET", &Facts::packet);
    af("RestrictAddressFamilies_OTHER", &Facts::other);
    m["SystemCallArchitectures"] = [](const Facts& f, auto) -> Verdict {
      const auto& a = f.s.system_call_architectures;
      if (!f.s.has_exec_context || a.empty()) return {10, "system calls of every ABI allowed"};
      if (a.size() == 1 && a.count("native")) return {0, "only the native ABI allowed"};
      return {8, "several ABIs allowed"};
    };
    for (const char* g : {"swap", "obsolete", "clock", "cpu-emulation", "debug", "mount", "module", "raw-io",
                          "reboot", "privileged", "resources"}) {
      std::string field = std::string("SystemCallFilter_") + g;
      for (auto& c : field)
        if (c == '-') c = '_';
      std::string group = std::string("@") + g;
      m[field] = [group](const Facts& f, unit::SystemdVersion v) { return syscall_group_verdict(f, v, group); };
    }
    m["IPAddressDeny"] = [](const Facts& f, auto) -> Verdict {
      if (!f.s.ip_ingress_filter_path.empty() || !f.s.ip_egress_filter_path.empty())
        return {0, "custom BPF IP filters installed"};
      if (!f.deny_all) return {10, "no IP allow-list"};
      if (f.allow_other) return {5, "IP allow-list includes non-local addresses"};
      if (f.allow_localhost) return {2, "IP traffic limited to localhost"};
      return {0, "all IP traffic blocked"};
    };
    m["DeviceAllow"] = [](const Facts& f, auto) -> Verdict {
      bool acl = f.s.has_cgroup_context && (f.s.device_policy == unit::DevicePolicy::strict ||
                                            f.s.device_policy == unit::DevicePolicy::closed);
      if (!acl) return {10, "no device access list"};
      if (!f.s.device_allow.empty()) return {5, "device access list allows some devices"};
      return {0, "device access list allows only the basics"};
    };
    m["AmbientCapabilities"] = [](const Facts& f, auto) {
      return flag(f.s.has_exec_context && f.s.ambient_capabilities != 0, "gets ambient capabilities",
                  "no ambient capabilities");
    };
    return m;
  }();
  return r;
}

const PolicyOverride* find_override(const Policy* p, const AssessorInfo& a) {
  if (!p) return nullptr;
  for (const auto& o : p->overrides)
    if (o.id == a.json_field || o.id == a.id) return &o;
  return nullptr;
}

uint64_t div_round_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

}  // namespace

uint64_t Item::contribution() const {
  if (!applicable || range == 0) return 0;
  return div_round_up(badness * weight, range);
}

std::string to_string(Band b) {
  switch (b) {
    case Band::ok: return "OK";
    case Band::medium: return "MEDIUM";
    case Band::exposed: return "EXPOSED";
    case Band::unsafe: return "UNSAFE";
  }
  return "?";
}

Band band_for(int t) {
  if (t >= 90) return Band::unsafe;
  if (t >= 75) return Band::exposed;
  if (t >= 50) return Band::medium;
  return Band::ok;
}

std::string systemd_label(int t) {
  if (t >= 100) return "DANGEROUS";
  if (t >= 90) return "UNSAFE";
  if (t >= 75) return "EXPOSED";
  if (t >= 50) return "MEDIUM";
  if (t >= 10) return "OK";
  if (t >= 1) return "SAFE";
  return "PERFECT";
}

std::string exposure_text(int t) { return fmt::format("{}.{}", t / 10, t % 10); }
std::string Assessment::exposure_text() const { return exposure::exposure_text(exposure_tenths); }

Assessment assess(const unit::UnitSettings& settings, unit::SystemdVersion version, const Policy* policy) {
  Assessment out;
  out.unit = settings.name;
  const auto& table = assessor_table(version);
  // The rule of each table row, looked up once per version.
  static const auto bind = [](unit::SystemdVersion v) {
    std::vector<const Rule*> out;
    for (const auto& a : assessor_table(v)) {
      auto r = rules().find(a.json_field);
      out.push_back(r == rules().end() ? nullptr : &r->second);
    }
    return out;
  };
  const auto& bound = unit::per_release(version, bind);
  Facts facts(settings);
  out.items.reserve(table.size());
  uint64_t sum = 0, weight_sum = 0;
  for (size_t idx = 0; idx < table.size(); ++idx) {
    const auto& a = table[idx];
    Item it;
    it.id = a.id;
    it.json_field = a.json_field;
    it.weight = a.weight;
    it.range = a.range;
    if (const auto* o = find_override(policy, a)) {
      if (o->weight) it.weight = *o->weight;
      if (o->range) it.range = *o->range;
    }
    Verdict v{kNotApplicable, ""};
    if (a.default_dependencies_only && !settings.default_dependencies) {
      v.description = "not applicable: the unit runs in the early boot phase (DefaultDependencies=no)";
    } else if (it.weight == 0) {
      v.description = "excluded by the policy";
    } else if (it.range == 0) {
      v.description = "excluded: the policy sets its range to 0";
    } else if (const Rule* r = bound[idx]) {
      v = (*r)(facts, version);
    } else {
      v.description = "no rule for this assessor in this build";
    }
    if (v.badness == kNotApplicable) {
      it.applicable = false;
      it.badness = kNotApplicable;
    } else {
      it.badness = std::min(v.badness, it.range);
      sum += it.contribution();
      weight_sum += it.weight;
    }
    it.description = std::move(v.description);
    out.items.push_back(std::move(it));
  }
  if (weight_sum > 0) {
    out.exposure_tenths = static_cast<int>(div_round_up(sum * 100, weight_sum));
    for (auto& it : out.items)
      if (it.applicable && it.badness > 0)
        it.exposure_tenths =
            static_cast<int>(div_round_up(div_round_up(it.badness * it.weight * 100, it.range), weight_sum));
  }
  out.band = band_for(out.exposure_tenths);
  return out;
}

}  // namespace sdh::exposure
