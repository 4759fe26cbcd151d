// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/directives.h"
#include "unit/value_syntax.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "util/linux_names.h"
#include "util/strings.h"

namespace sdh::unit {
namespace {

using S = DirectiveScope;
using R = ParseRule;
using A = Accumulation;
using E = EmptyAssignment;

const std::vector<DirectiveInfo> kTable = {
    {"DefaultDependencies", S::unit, R::boolean, A::last_wins, E::invalid, &UnitSettings::default_dependencies},
    {"Type", S::service, R::service_type, A::last_wins, E::invalid},
    {.name = "NotifyAccess", .scope = S::service, .rule = R::notify_access, .accumulation = A::last_wins, .empty = E::invalid, .effect = Effect::inward},
    {.name = "ExecStart", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "ExecStartPre", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "ExecStartPost", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "ExecCondition", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "ExecReload", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "ExecStop", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "ExecStopPost", .scope = S::service, .rule = R::exec_command, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::command},
    {.name = "PIDFile", .scope = S::service, .rule = R::pid_file, .accumulation = A::last_wins, .empty = E::reset, .effect = Effect::inward},
    {.name = "User", .scope = S::exec, .rule = R::user_group, .accumulation = A::last_wins, .empty = E::reset, .effect = Effect::identity},
    {.name = "Group", .scope = S::exec, .rule = R::user_group, .accumulation = A::last_wins, .empty = E::reset, .effect = Effect::identity},
    {"DynamicUser", S::exec, R::boolean_fatal, A::last_wins, E::invalid, &UnitSettings::dynamic_user},
    {.name = "SupplementaryGroups", .scope = S::exec, .rule = R::supplementary_groups, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::widens},
    {.name = "PrivateDevices", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::private_devices, .implies_nnp = true},
    {.name = "PrivateMounts", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::private_mounts, .tristate_since = 254, .assigned = &UnitSettings::private_mounts_assigned, .empty_resets_since = 254, .effect = Effect::inward},
    {"PrivateNetwork", S::exec, R::boolean, A::last_wins, E::invalid, &UnitSettings::private_network},
    {"PrivateTmp", S::exec, R::boolean, A::last_wins, E::invalid, &UnitSettings::private_tmp, nullptr, 0,
     {{"connected", 257}, {"disconnected", 257}}},
    {"PrivateUsers", S::exec, R::boolean, A::last_wins, E::invalid, &UnitSettings::private_users, nullptr, 0,
     {{"self", 257}, {"identity", 257}, {"full", 262}, {"managed", 262}}},
    {.name = "PrivateIPC", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::private_ipc, .effect = Effect::hides},
    {"PrivatePIDs", S::exec, R::boolean, A::last_wins, E::invalid, &UnitSettings::private_pids, nullptr, 257},
    {.name = "PrivateBPF", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::private_bpf, .since = 262, .effect = Effect::hides},
    {"ProtectControlGroups", S::exec, R::boolean, A::last_wins, E::invalid, &UnitSettings::protect_control_groups,
     nullptr, 0, {{"private", 257}, {"strict", 257}}},
    {.name = "ProtectKernelModules", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::protect_kernel_modules, .implies_nnp = true},
    {.name = "ProtectKernelTunables", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::protect_kernel_tunables, .implies_nnp = true},
    {.name = "ProtectKernelLogs", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::protect_kernel_logs, .implies_nnp = true},
    {.name = "ProtectClock", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::protect_clock, .implies_nnp = true},
    {.name = "ProtectHostname", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::protect_hostname, .spellings = {{"private:", 262}}, .empty_resets_since = 262, .implies_nnp = true},
    {"ProtectSystem", S::exec, R::protect_system, A::last_wins, E::invalid},
    {"ProtectHome", S::exec, R::protect_home, A::last_wins, E::invalid},
    {.name = "ProtectProc", .scope = S::exec, .rule = R::protect_proc, .accumulation = A::last_wins, .empty = E::invalid, .effect = Effect::hides},
    {.name = "ProcSubset", .scope = S::exec, .rule = R::proc_subset, .accumulation = A::last_wins, .empty = E::invalid, .effect = Effect::hides},
    {.name = "RootDirectory", .scope = S::exec, .rule = R::path, .accumulation = A::last_wins, .empty = E::reset, .effect = Effect::hides},
    {"RootImage", S::exec, R::path, A::last_wins, E::reset},
    {"NoNewPrivileges", S::exec, R::boolean, A::last_wins, E::invalid, &UnitSettings::no_new_privileges},
    {"CapabilityBoundingSet", S::exec, R::capability_set, A::accumulates, E::empty_set},
    {.name = "AmbientCapabilities", .scope = S::exec, .rule = R::capability_set, .accumulation = A::accumulates, .empty = E::empty_set, .effect = Effect::widens},
    {.name = "LockPersonality", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::lock_personality, .implies_nnp = true},
    {.name = "MemoryDenyWriteExecute", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::memory_deny_write_execute, .implies_nnp = true},
    {.name = "RestrictRealtime", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::restrict_realtime, .implies_nnp = true},
    {.name = "RestrictSUIDSGID", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::restrict_suid_sgid, .implies_nnp = true},
    {.name = "RestrictNamespaces", .scope = S::exec, .rule = R::restrict_namespaces, .accumulation = A::accumulates, .empty = E::reset, .implies_nnp = true},
    {.name = "KeyringMode", .scope = S::exec, .rule = R::keyring_mode, .accumulation = A::last_wins, .empty = E::invalid, .effect = Effect::hides},
    {.name = "RemoveIPC", .scope = S::exec, .rule = R::boolean, .accumulation = A::last_wins, .empty = E::invalid, .flag = &UnitSettings::remove_ipc, .effect = Effect::inward},
    {.name = "UMask", .scope = S::exec, .rule = R::umask, .accumulation = A::last_wins, .empty = E::invalid, .effect = Effect::inward},
    {.name = "RestrictAddressFamilies", .scope = S::exec, .rule = R::address_families, .accumulation = A::accumulates, .empty = E::reset, .implies_nnp = true},
    {.name = "SystemCallFilter", .scope = S::exec, .rule = R::syscall_filter, .accumulation = A::accumulates, .empty = E::reset, .implies_nnp = true},
    {.name = "SystemCallArchitectures", .scope = S::exec, .rule = R::syscall_archs, .accumulation = A::accumulates, .empty = E::reset, .implies_nnp = true},
    {.name = "SystemCallErrorNumber", .scope = S::exec, .rule = R::syscall_errno, .accumulation = A::last_wins, .empty = E::reset, .effect = Effect::widens},
    {.name = "ReadWritePaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::read_write_paths, .effect = Effect::widens},
    {.name = "ReadOnlyPaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::read_only_paths, .entries_restrict = true},
    {.name = "InaccessiblePaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::inaccessible_paths, .entries_restrict = true},
    {.name = "ExecPaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::exec_paths, .effect = Effect::widens},
    {.name = "NoExecPaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::no_exec_paths, .entries_restrict = true, .effect = Effect::hides},
    {.name = "TemporaryFileSystem", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::temporary_file_system, .entries_restrict = true, .effect = Effect::hides},
    {.name = "BindPaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::bind_paths, .effect = Effect::widens},
    {.name = "BindReadOnlyPaths", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::bind_read_only_paths, .effect = Effect::widens},
    {.name = "StateDirectory", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::state_directory, .effect = Effect::grants},
    {.name = "CacheDirectory", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::cache_directory, .effect = Effect::grants},
    {.name = "LogsDirectory", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::logs_directory, .effect = Effect::grants},
    {.name = "RuntimeDirectory", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::runtime_directory, .effect = Effect::grants},
    {.name = "ConfigurationDirectory", .scope = S::exec, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::configuration_directory, .effect = Effect::grants},
    {"DevicePolicy", S::cgroup, R::device_policy, A::last_wins, E::invalid},
    {.name = "DeviceAllow", .scope = S::cgroup, .rule = R::device_allow, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::widens},
    {"Delegate", S::cgroup, R::delegate, A::last_wins, E::enables},
    {.name = "IPAddressAllow", .scope = S::cgroup, .rule = R::ip_prefixes, .accumulation = A::accumulates, .empty = E::reset, .effect = Effect::widens},
    {"IPAddressDeny", S::cgroup, R::ip_prefixes, A::accumulates, E::reset},
    {"IPIngressFilterPath", S::cgroup, R::ip_filter_path, A::accumulates, E::reset, nullptr, &UnitSettings::ip_ingress_filter_path},
    {"IPEgressFilterPath", S::cgroup, R::ip_filter_path, A::accumulates, E::reset, nullptr, &UnitSettings::ip_egress_filter_path},
    {.name = "SocketBindAllow", .scope = S::cgroup, .rule = R::path_list, .accumulation = A::accumulates, .empty = E::reset, .list = &UnitSettings::socket_bind_allow, .effect = Effect::widens},
    {"SocketBindDeny", S::cgroup, R::path_list, A::accumulates, E::reset, nullptr, &UnitSettings::socket_bind_deny},
    {"LoadCredential", S::exec, R::load_credential, A::accumulates, E::reset},
    {"LoadCredentialEncrypted", S::exec, R::load_credential_encrypted, A::accumulates, E::reset},
    {"SetCredential", S::exec, R::set_credential, A::accumulates, E::reset},
    {"SetCredentialEncrypted", S::exec, R::set_credential_encrypted, A::accumulates, E::reset},
};



}  // namespace

std::string to_string(DirectiveScope v) {
  switch (v) {
    case S::unit: return "unit";
    case S::service: return "service";
    case S::exec: return "exec";
    case S::cgroup: return "cgroup";
  }
  return "?";
}

std::string to_string(ParseRule v) {
  static const char* const names[] = {
      "boolean", "boolean_fatal", "protect_system", "protect_home", "protect_proc", "proc_subset",
      "keyring_mode", "notify_access", "device_policy", "service_type", "user_group",
      "supplementary_groups", "umask", "path", "capability_set", "restrict_namespaces",
      "address_families", "syscall_filter", "syscall_archs", "syscall_errno", "device_allow",
      "delegate", "ip_prefixes", "ip_filter_path", "path_list", "exec_command", "pid_file", "load_credential", "load_credential_encrypted",
      "set_credential", "set_credential_encrypted"};
  return names[static_cast<int>(v)];
}

std::string to_string(Effect v) {
  switch (v) {
    case Effect::refuses: return "refuses";
    case Effect::widens: return "widens";
    case Effect::hides: return "hides";
    case Effect::grants: return "grants";
    case Effect::identity: return "identity";
    case Effect::command: return "command";
    case Effect::inward: return "inward";
  }
  return "?";
}

std::string to_string(Accumulation v) { return v == A::last_wins ? "last_wins" : "accumulates"; }

std::string to_string(EmptyAssignment v) {
  switch (v) {
    case E::invalid: return "invalid";
    case E::reset: return "reset";
    case E::empty_set: return "empty_set";
    case E::enables: return "enables";
  }
  return "?";
}

const std::vector<DirectiveInfo>& directive_table() { return kTable; }


const std::vector<Spelling>& service_types() {
  static const std::vector<Spelling> types = {{"simple", 0}, {"exec", 0},   {"forking", 0},        {"oneshot", 0},
                                              {"dbus", 0},   {"notify", 0}, {"notify-reload", 253}, {"idle", 0}};
  return types;
}

const Spelling* find_service_type(const std::string& value, int version) {
  for (const auto& t : service_types())
    if (value == t.text && version >= t.since) return &t;
  return nullptr;
}

const Spelling* find_spelling(const DirectiveInfo& d, const std::string& value, int version) {
  for (const auto& sp : d.spellings) {
    if (version < sp.since) continue;
    std::string_view t = sp.text;
    if (t.empty() || t.back() != ':') {
      if (value == t) return &sp;
      continue;
    }
    std::string_view bare = t.substr(0, t.size() - 1);
    if (value == bare) return &sp;
    auto colon = value.find(':');
    if (colon == std::string::npos) continue;
    std::string_view head = std::string_view(value).substr(0, colon);
    if ((head == bare || parse_boolean(head) == true) && valid_host_name(std::string_view(value).substr(colon + 1)))
      return &sp;
  }
  return nullptr;
}

std::string own_section(const std::string& type) {
  std::string own = type;
  if (!own.empty()) own[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(own[0])));
  return own;
}

bool type_has_exec_context(const std::string& type) {
  return type == "service" || type == "socket" || type == "mount" || type == "swap";
}

bool type_has_cgroup_context(const std::string& type) {
  return type_has_exec_context(type) || type == "slice" || type == "scope";
}

bool implies_no_new_privileges(const std::string& key) {
  const DirectiveInfo* row = find_directive("Service", key, "service");
  return row && row->implies_nnp;
}

bool entries_restrict(const std::string& key) {
  const DirectiveInfo* row = find_directive("Service", key, "service");
  return row && row->entries_restrict;
}

bool is_exec_command(const std::string& section, const std::string& key) {
  const DirectiveInfo* row = find_directive(section, key, "service");
  return row && row->rule == ParseRule::exec_command;
}

const DirectiveInfo* find_directive(const std::string& section, const std::string& key,
                                    const std::string& type) {
  // Exec and cgroup settings live in the type's own section ([Service], [Socket]...).
  const std::string own = own_section(type);
  for (const auto& d : kTable) {
    if (d.name != key) continue;
    switch (d.scope) {
      case S::unit:
        if (section == "Unit") return &d;
        break;
      case S::service:
        if (section == "Service" && type == "service") return &d;
        break;
      case S::exec:
        if (type_has_exec_context(type) && section == own) return &d;
        break;
      case S::cgroup:
        if (type_has_cgroup_context(type) && section == own) return &d;
        break;
    }
  }
  return nullptr;
}

int capability_from_name(const std::string& name) {
  std::string upper;  // systemd accepts any case
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (int n = sdh::capability_number(upper); n >= 0) return n;
  // Plain numbers are accepted too (below systemd's limit of 63).
  if (!name.empty() && name.size() <= 2 &&
      std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = std::stoi(name);
    if (n < 63) return n;
  }
  return -1;
}


bool is_address_family(const std::string& name) {
  return sdh::is_address_family_name(name);
}

}  // namespace sdh::unit
