// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: what the process may become: capabilities, no_new_privileges, W^X, personality, realtime, set-uid files, namespaces, keyring, umask, sd_notify.
#include "synth/rules/rules.h"

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {

RuleOutcome decide_capabilities(const Context& c) {
  RuleOutcome r;
  uint64_t current = c.unit.capability_bounding_set;
  auto obviated = c.caps_obviated_by_user();
  uint64_t want = observed_caps(c.ev) & current;
  for (const auto& [cap, why] : obviated)
    if (int n = cap_number(cap); n >= 0) want &= ~(uint64_t{1} << n);
  uint64_t all_known = (uint64_t{1} << kCapCount) - 1;
  if ((current & all_known) != want) {
    std::string caps = caps_text(want);
    std::string why;
    if (want != 0) why = fmt::format("only {} checked ({})", caps, c.scope());
    else if (obviated.empty()) why = fmt::format("no capability check by any process ({})", c.scope());
    else why = fmt::format("no capability needed ({})", c.scope());
    for (const auto& [cap, why_ignored] : c.ev.ignored_capabilities) {
      why += "; " + cap + " dropped: " + why_ignored;
    }
    // Grouped by reason: the file-permission checks share one.
    std::map<std::string, std::vector<std::string>> by_reason;
    for (const auto& [cap, why_not] : obviated) by_reason[why_not].push_back(cap);
    for (const auto& [why_not, list] : by_reason) {
      why += fmt::format("; {} not needed as {}: {}", sample(list, 8), c.planned_static_user()->values.back(),
                         why_not);
    }
    std::vector<std::string> values;
    if (current != ~uint64_t{0}) values.push_back("");  // reset the unit's own set before narrowing
    values.push_back(caps);
    Option o;
    o.directives.push_back(make("CapabilityBoundingSet", values, why));
    r.options.push_back(o);
  }
  uint64_t ambient = c.unit.ambient_capabilities;
  if (ambient != 0) {
    uint64_t keep = ambient & observed_caps(c.ev);
    if (keep != ambient) {
      Option o;
      o.directives.push_back(make("AmbientCapabilities", {"", caps_text(keep)},
                                  keep == 0 ? "no ambient capability was used" : "only " + caps_text(keep) + " used"));
      r.options.push_back(o);
    } else {
      r.not_set.push_back(refuse("AmbientCapabilities= (removal)",
                                 fmt::format("{} used by {}", caps_text(keep),
                                             who(c.ev.capabilities.begin()->second.executables))));
    }
  }
  return r;
}

}  // namespace

const Rule& rule_capabilities() {
  static const Rule r{
      .id = "capabilities",
      .keys = {"CapabilityBoundingSet", "AmbientCapabilities"},
      .assessors = {"CapabilityBoundingSet_CAP_SYS_ADMIN", "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP", "CapabilityBoundingSet_CAP_SYS_PTRACE", "CapabilityBoundingSet_CAP_SYS_TIME", "CapabilityBoundingSet_CAP_NET_ADMIN", "CapabilityBoundingSet_CAP_SYS_RAWIO", "CapabilityBoundingSet_CAP_SYS_MODULE", "CapabilityBoundingSet_CAP_AUDIT", "CapabilityBoundingSet_CAP_SYSLOG", "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE", "CapabilityBoundingSet_CAP_MKNOD", "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP", "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER", "CapabilityBoundingSet_CAP_KILL", "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)", "CapabilityBoundingSet_CAP_SYS_BOOT", "CapabilityBoundingSet_CAP_MAC", "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE", "CapabilityBoundingSet_CAP_IPC_LOCK", "CapabilityBoundingSet_CAP_SYS_CHROOT", "CapabilityBoundingSet_CAP_BLOCK_SUSPEND", "CapabilityBoundingSet_CAP_WAKE_ALARM", "CapabilityBoundingSet_CAP_LEASE", "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG", "CapabilityBoundingSet_CAP_SYS_PACCT", "CapabilityBoundingSet_CAP_BPF", "AmbientCapabilities"},
      .mount_namespace = false,
      .forbidden_by = "a granted capability check (any process, setuid helpers included)",
      .implies = "bounds setuid helpers too",
      .decide = decide_capabilities, .order = 30};
  return r;
}

namespace {

RuleOutcome decide_nnp(const Context& c) {
  RuleOutcome r;
  if (c.unit.no_new_privileges) return r;
  if (!c.ev.setuid_executables.empty()) {
    r.not_set.push_back(refuse("NoNewPrivileges=yes",
                               fmt::format("executes setuid/setgid {}, which would lose its privileges",
                                           setuid_text(c.ev))));
    return r;
  }
  r.options.push_back(single("NoNewPrivileges", "yes",
                             fmt::format("no setuid/setgid executable run ({})", c.scope())));
  return r;
}

// ---- seccomp-style ------------------------------------------------------

}  // namespace

const Rule& rule_no_new_privileges() {
  static const Rule r{
      .id = "no-new-privileges",
      .keys = {"NoNewPrivileges"},
      .assessors = {"NoNewPrivileges"},
      .mount_namespace = false,
      .forbidden_by = "executing a setuid/setgid (or file-capability) binary",
      .implies = "",
      .decide = decide_nnp, .order = 40};
  return r;
}

namespace {

RuleOutcome decide_mdwe(const Context& c) {
  RuleOutcome r;
  if (c.unit.memory_deny_write_execute) return r;
  if (c.ev.flag("wx_mapping")) {
    r.not_set.push_back(refuse("MemoryDenyWriteExecute=yes",
                               who(c.ev.flags.at("wx_mapping").executables) + " maps memory writable and executable (JIT)"));
    return r;
  }
  if (!c.ev.jit_libraries.empty()) {
    const auto& [lib, engine] = *c.ev.jit_libraries.begin();
    r.not_set.push_back(refuse("MemoryDenyWriteExecute=yes",
                               fmt::format("loads {} ({}), a JIT that may map W+X memory later", lib, engine)));
    return r;
  }
  r.options.push_back(single("MemoryDenyWriteExecute", "yes",
                             fmt::format("no W+X mapping and no JIT library ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_memory_deny_write_execute() {
  static const Rule r{
      .id = "memory-deny-write-execute",
      .keys = {"MemoryDenyWriteExecute"},
      .assessors = {"MemoryDenyWriteExecute"},
      .mount_namespace = false,
      .forbidden_by = "a W+X mapping or a JIT library (LuaJIT, Java, ONNX Runtime, V8...)",
      .implies = "NoNewPrivileges= when unprivileged",
      .decide = decide_mdwe, .order = 270};
  return r;
}

namespace {

RuleOutcome decide_flag_rule(const Context& c, bool already, const char* flag, const std::string& key, const std::string& what_forbids, const std::string& why_ok) {
  RuleOutcome r;
  if (already) return r;
  if (c.ev.flag(flag)) {
    r.not_set.push_back(refuse(key + "=yes", who(c.ev.flags.at(flag).executables) + " " + what_forbids));
    return r;
  }
  r.options.push_back(single(key, "yes", fmt::format("{} ({})", why_ok, c.scope())));
  return r;
}

RuleOutcome decide_lock_personality(const Context& c) {
  return decide_flag_rule(c, c.unit.lock_personality, "personality_change", "LockPersonality",
                          "changes its execution domain (personality)", "no personality() change");
}

}  // namespace

const Rule& rule_lock_personality() {
  static const Rule r{
      .id = "lock-personality",
      .keys = {"LockPersonality"},
      .assessors = {"LockPersonality"},
      .mount_namespace = false,
      .forbidden_by = "personality() changes",
      .implies = "",
      .decide = decide_lock_personality, .order = 280};
  return r;
}

namespace {

RuleOutcome decide_realtime(const Context& c) {
  return decide_flag_rule(c, c.unit.restrict_realtime, "realtime_scheduling", "RestrictRealtime",
                          "uses realtime scheduling", "no SCHED_FIFO/SCHED_RR");
}

}  // namespace

const Rule& rule_restrict_realtime() {
  static const Rule r{
      .id = "restrict-realtime",
      .keys = {"RestrictRealtime"},
      .assessors = {"RestrictRealtime"},
      .mount_namespace = false,
      .forbidden_by = "realtime scheduling",
      .implies = "",
      .decide = decide_realtime, .order = 290};
  return r;
}

namespace {

RuleOutcome decide_suid_sgid(const Context& c) {
  return decide_flag_rule(c, c.unit.restrict_suid_sgid, "setuid_file_created", "RestrictSUIDSGID", "creates setuid/setgid files", "no setuid/setgid file created");
}

}  // namespace

const Rule& rule_restrict_suid_sgid() {
  static const Rule r{
      .id = "restrict-suid-sgid",
      .keys = {"RestrictSUIDSGID"},
      .assessors = {"RestrictSUIDSGID"},
      .mount_namespace = false,
      .forbidden_by = "creating a setuid/setgid file",
      .implies = "",
      .decide = decide_suid_sgid, .order = 310};
  return r;
}

namespace {

RuleOutcome decide_namespaces(const Context& c) {
  RuleOutcome r;
  uint32_t used = 0;
  std::vector<std::string> names;
  for (const auto& t : unit::namespace_types()) {
    if (c.ev.namespaces.count(std::string(t.name))) {
      used |= t.bit;
      names.emplace_back(t.name);
    }
  }
  uint32_t allowed = c.unit.restrict_namespaces & used;
  if (c.unit.restrict_namespaces_configured && allowed == c.unit.restrict_namespaces) return r;
  if (used) {
    r.not_set.push_back(refuse("RestrictNamespaces=yes", "creates " + sample(names, 7) + " namespaces"));
  }
  std::string value;
  for (const auto& t : unit::namespace_types()) {
    if (allowed & t.bit) value += (value.empty() ? "" : " ") + std::string(t.name);
  }
  std::vector<std::string> values;
  if (c.unit.restrict_namespaces_configured) values.push_back("");
  values.push_back(value.empty() ? "yes" : value);
  Option o;
  o.directives.push_back(make("RestrictNamespaces", values,
                              value.empty() ? fmt::format("no unshare/clone/setns of a namespace ({})", c.scope())
                                            : "only the namespaces created: " + value));
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_restrict_namespaces() {
  static const Rule r{
      .id = "restrict-namespaces",
      .keys = {"RestrictNamespaces"},
      .assessors = {"RestrictNamespaces_user", "RestrictNamespaces_mnt", "RestrictNamespaces_ipc", "RestrictNamespaces_pid", "RestrictNamespaces_cgroup", "RestrictNamespaces_net", "RestrictNamespaces_uts"},
      .mount_namespace = false,
      .forbidden_by = "creating a namespace of that type",
      .implies = "",
      .decide = decide_namespaces, .order = 300};
  return r;
}

namespace {

RuleOutcome decide_keyring(const Context& c) {
  RuleOutcome r;
  if (c.unit.keyring_mode != unit::KeyringMode::shared) return r;
  if (c.ev.flag("keyring")) {
    r.not_set.push_back(refuse("KeyringMode=private", "uses the kernel keyring and the unit shares it on purpose"));
    return r;
  }
  r.options.push_back(single("KeyringMode", "private", fmt::format("no keyring use ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_keyring_mode() {
  static const Rule r{
      .id = "keyring-mode",
      .keys = {"KeyringMode"},
      .assessors = {"KeyringMode"},
      .mount_namespace = false,
      .forbidden_by = "keyring use with KeyringMode=shared",
      .implies = "",
      .decide = decide_keyring, .order = 320};
  return r;
}

namespace {

RuleOutcome decide_umask(const Context& c) {
  RuleOutcome r;
  unsigned want = c.unit.umask | 0077;
  if (want == c.unit.umask) return r;
  // Path sockets take their mode from the umask, and clients need write
  // access to connect, unless the daemon chmods the socket or sets its own
  // umask (mysqld, php-fpm) around the bind.
  std::vector<std::string> sockets;
  for (const auto& a : c.ev.addresses) {
    if (a.family != "AF_UNIX" || a.op != "bind" || a.address.empty() || a.address[0] == '@') continue;
    auto it = c.ev.paths.find(a.address);
    if (it == c.ev.paths.end() || !(it->second.access & profile::kChmod)) sockets.push_back(a.address);
  }
  bool own_umask = c.ev.syscalls_all.count("umask") > 0;
  if (sockets.empty() || own_umask) {
    r.options.push_back(single("UMask", fmt::format("{:04o}", want),
                               fmt::format("files created are private; {} ({})",
                                           sockets.empty() ? "no socket bound without an explicit chmod"
                                                           : "it sets its own umask for " + sample(sockets),
                                           c.scope())));
    return r;
  }
  // Writable only by their owner already (the group and others lack write
  // under the current umask): masking the rest from others changes no
  // client's access, and the group keeps reading and searching what it makes
  // (the folder a socket sits in).
  if ((c.unit.umask & 0022) == 0022) {
    unsigned keep_group = c.unit.umask | 0027;
    if (keep_group != c.unit.umask)
      r.options.push_back(single("UMask", fmt::format("{:04o}", keep_group),
                                 fmt::format("new files are not world-readable; {} bound without chmod {} writable "
                                             "by {} owner alone already, and the group keeps reading and searching "
                                             "({})",
                                             sample(sockets), sockets.size() == 1 ? "was" : "were",
                                             sockets.size() == 1 ? "its" : "their", c.scope())));
  }
  r.not_set.push_back(refuse(fmt::format("UMask={:04o}", want),
                             "binds " + sample(sockets) + " without chmod: its group would lose access"));
  return r;
}

}  // namespace

const Rule& rule_umask() {
  static const Rule r{
      .id = "umask",
      .keys = {"UMask"},
      .assessors = {"UMask"},
      .mount_namespace = false,
      .forbidden_by = "a path socket bound without chmod",
      .implies = "",
      .decide = decide_umask, .order = 340};
  return r;
}

namespace {

RuleOutcome decide_notify_access(const Context& c) {
  RuleOutcome r;
  if (c.unit.notify_access == unit::NotifyAccess::all) {
    r.not_set.push_back(refuse("NotifyAccess=main",
                               "the profile cannot tell which process sends sd_notify messages; kept all"));
  }
  return r;
}

}  // namespace

const Rule& rule_notify_access() {
  static const Rule r{
      .id = "notify-access",
      .keys = {"NotifyAccess"},
      .assessors = {"NotifyAccess"},
      .mount_namespace = false,
      .forbidden_by = "never narrowed: the sender of sd_notify is not profiled",
      .implies = "",
      .decide = decide_notify_access, .order = 350};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> process_rules() {
  return {
      &rule_capabilities(),
      &rule_no_new_privileges(),
      &rule_memory_deny_write_execute(),
      &rule_lock_personality(),
      &rule_restrict_realtime(),
      &rule_restrict_suid_sgid(),
      &rule_restrict_namespaces(),
      &rule_keyring_mode(),
      &rule_umask(),
      &rule_notify_access(),
  };
}

}  // namespace sdh::synth::rules
