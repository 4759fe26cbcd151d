// SPDX-License-Identifier: GPL-2.0-or-later
// Enum names and the merge of several profiles.
#include "profile/profile.h"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

namespace sdh::profile {

namespace {

constexpr std::array<const char*, 11> kAccessNames = {
    "read", "write", "create", "delete", "rename", "exec", "chmod", "chown", "mknod", "list", "stat"};

// Adds `item` to `list`, or folds it into the entry with the same key.
template <typename T, typename Key, typename Fold>
void fold_into(std::vector<T>& list, const T& item, Key key, Fold fold) {
  auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return key(x) == key(item); });
  if (it == list.end()) {
    list.push_back(item);
  } else {
    fold(*it, item);
  }
}

void merge_executable(ExecutableProfile& into, const ExecutableProfile& from) {
  if (into.elf_machine.empty()) into.elf_machine = from.elf_machine;
  into.setuid_binary |= from.setuid_binary;
  into.processes += from.processes;
  for (const auto& [phase, names] : from.syscalls) into.syscalls[phase].insert(names.begin(), names.end());
  for (const auto& f : from.files) {
    fold_into(into.files, f, [](const FileAccess& x) { return x.path; },
              [](FileAccess& a, const FileAccess& b) {
                a.access |= b.access;
                a.count += b.count;
                if (!a.is_device && b.is_device) {
                  a.is_device = true;
                  a.device_type = b.device_type;
                  a.major = b.major;
                  a.minor = b.minor;
                }
              });
  }
  for (const auto& s : from.sockets) {
    fold_into(into.sockets, s, [](const SocketUse& x) { return std::tie(x.family, x.type, x.protocol); },
              [](SocketUse& a, const SocketUse& b) { a.count += b.count; });
  }
  for (const auto& s : from.addresses) {
    fold_into(into.addresses, s,
              [](const SocketAddressUse& x) { return std::tie(x.op, x.family, x.address, x.port); },
              [](SocketAddressUse& a, const SocketAddressUse& b) { a.count += b.count; });
  }
  for (const auto& c : from.capabilities) {
    fold_into(into.capabilities, c,
              [](const CapabilityCheck& x) { return std::tie(x.capability, x.granted, x.inferred); },
              [](CapabilityCheck& a, const CapabilityCheck& b) { a.count += b.count; });
  }
  for (const auto& f : from.failures) {
    fold_into(into.failures, f,
              [](const FailedOperation& x) { return std::tie(x.operation, x.error, x.detail); },
              [](FailedOperation& a, const FailedOperation& b) { a.count += b.count; });
  }
  into.wx_mapping |= from.wx_mapping;
  into.personality_change |= from.personality_change;
  into.realtime_scheduling |= from.realtime_scheduling;
  into.namespaces_created.insert(from.namespaces_created.begin(), from.namespaces_created.end());
  into.mounts |= from.mounts;
  into.clock_change |= from.clock_change;
  into.hostname_change |= from.hostname_change;
  into.kernel_module |= from.kernel_module;
  into.keyring |= from.keyring;
  into.kernel_log |= from.kernel_log;
  into.sysv_ipc |= from.sysv_ipc;
  into.setuid_file_created |= from.setuid_file_created;
  into.uid_change |= from.uid_change;
  into.gid_change |= from.gid_change;
  into.uid_targets.insert(from.uid_targets.begin(), from.uid_targets.end());
  into.gid_targets.insert(from.gid_targets.begin(), from.gid_targets.end());
  into.exec_setuid |= from.exec_setuid;
  into.started_by.insert(from.started_by.begin(), from.started_by.end());
  into.root_after_startup.insert(from.root_after_startup.begin(), from.root_after_startup.end());
  if (into.interpreter.empty()) into.interpreter = from.interpreter;
  for (int fd : from.socket_activation_fds) {
    if (std::find(into.socket_activation_fds.begin(), into.socket_activation_fds.end(), fd) ==
        into.socket_activation_fds.end())
      into.socket_activation_fds.push_back(fd);
  }
  std::sort(into.socket_activation_fds.begin(), into.socket_activation_fds.end());
}

}  // namespace

std::string to_string(Phase p) { return p == Phase::startup ? "startup" : "serving"; }

std::optional<Phase> phase_from_string(const std::string& s) {
  if (s == "startup") return Phase::startup;
  if (s == "serving") return Phase::serving;
  return std::nullopt;
}

std::string to_string(PhaseBoundary b) {
  switch (b) {
    case PhaseBoundary::none: return "none";
    case PhaseBoundary::ready_notify: return "ready_notify";
    case PhaseBoundary::first_accept: return "first_accept";
    case PhaseBoundary::first_recv_after_listen: return "first_recv_after_listen";
    case PhaseBoundary::marker: return "marker";
  }
  return "none";
}

std::optional<PhaseBoundary> boundary_from_string(const std::string& s) {
  for (auto b : {PhaseBoundary::none, PhaseBoundary::ready_notify, PhaseBoundary::first_accept,
                 PhaseBoundary::first_recv_after_listen, PhaseBoundary::marker}) {
    if (to_string(b) == s) return b;
  }
  return std::nullopt;
}

std::vector<std::string> access_names(uint32_t bits) {
  std::vector<std::string> out;
  for (size_t i = 0; i < kAccessNames.size(); ++i) {
    if (bits & (1u << i)) out.emplace_back(kAccessNames[i]);
  }
  return out;
}

uint32_t access_bit(const std::string& name) {
  for (size_t i = 0; i < kAccessNames.size(); ++i) {
    if (name == kAccessNames[i]) return 1u << i;
  }
  return 0;
}

ExecutableProfile& executable(Profile& p, const std::string& path) {
  for (auto& e : p.executables) {
    if (e.path == path) return e;
  }
  p.executables.push_back(ExecutableProfile{});
  p.executables.back().path = path;
  return p.executables.back();
}

Profile merge(const std::vector<Profile>& profiles) {
  Profile out;
  out.runs = 0;
  out.credentials_tracked = !profiles.empty();
  for (const auto& p : profiles) {
    if (out.unit.empty()) out.unit = p.unit;
    if (out.command.empty()) out.command = p.command;
    if (out.architecture.empty()) out.architecture = p.architecture;
    if (out.tracer.empty()) out.tracer = p.tracer;
    // The first run that found a boundary names it; runs without one add nothing.
    if (out.boundary == PhaseBoundary::none) out.boundary = p.boundary;
    out.runs += p.runs;
    out.events += p.events;
    out.lost_events += p.lost_events;
    out.duration_seconds += p.duration_seconds;
    out.credentials_tracked = out.credentials_tracked && p.credentials_tracked;
    for (const auto& e : p.executables) merge_executable(executable(out, e.path), e);
  }
  std::sort(out.executables.begin(), out.executables.end(),
            [](const ExecutableProfile& a, const ExecutableProfile& b) { return a.path < b.path; });
  return out;
}

// A unit's cgroup also holds the child that systemd forks for each Exec*=
// line: it runs systemd's own binary, drops capabilities, sets up namespaces
// and mounts, applies the filters and then execs the service. Its operations
// are the sandbox being built, not the service's needs; counting them would
// forbid the very directives that systemd is applying (ProtectControlGroups,
// RestrictSUIDSGID, capabilities...).
bool is_service_manager(const std::string& exe) {
  static const std::set<std::string> kManagers = {
      "/usr/lib/systemd/systemd", "/lib/systemd/systemd",
      "/usr/lib/systemd/systemd-executor", "/lib/systemd/systemd-executor"};
  // A process the profiler first met as systemd's "(name)" child, or before
  // that child renamed itself, named by its command because it had not
  // exec'd yet.
  return kManagers.count(exe) > 0 || exe.rfind("(comm (", 0) == 0 || exe == "(comm systemd)" ||
         exe == "(comm systemd-executor)";
}

bool same_program(const std::string& a, const std::string& b) { return a == b || "/usr" + a == b || a == "/usr" + b; }

}  // namespace sdh::profile
