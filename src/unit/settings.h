// SPDX-License-Identifier: GPL-2.0-or-later
// UnitSettings: the plain value that every analysis consumes. It holds the
// effective settings of one unit after all files, drop-ins, list accumulation,
// empty-assignment resets and systemd's implied settings have been applied.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdh::unit {

// A path-list entry (ReadWritePaths=, InaccessiblePaths=...) without its
// "-" (ignore if missing) and "+" (relative to the root directory) prefixes.
inline std::string strip_path_prefixes(std::string p) {
  while (!p.empty() && (p.front() == '-' || p.front() == '+')) p.erase(0, 1);
  return p;
}

// Where a setting came from, for diagnostics ("file:line").
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class ProtectSystem { no, yes, full, strict };
enum class ProtectHome { no, yes, read_only, tmpfs };
enum class ProtectProc { default_, noaccess, invisible, ptraceable };
enum class ProcSubset { all, pid };
enum class KeyringMode { inherit, private_, shared };
enum class NotifyAccess { none, main, exec, all };
enum class DevicePolicy { auto_, closed, strict };

// Each enum's spellings as unit files write them and systemctl prints them:
// one table per enum, for parsing (unit/assign.cc) and printing (to_string).
// Where the directive also takes a boolean, "yes" and "no" are rows too; the
// parser accepts every boolean spelling for them.
template <class E>
struct Spelled {
  E value;
  std::string_view text;
};
std::span<const Spelled<ProtectSystem>> spellings(ProtectSystem);
std::span<const Spelled<ProtectHome>> spellings(ProtectHome);
std::span<const Spelled<ProtectProc>> spellings(ProtectProc);
std::span<const Spelled<ProcSubset>> spellings(ProcSubset);
std::span<const Spelled<KeyringMode>> spellings(KeyringMode);
std::span<const Spelled<NotifyAccess>> spellings(NotifyAccess);
std::span<const Spelled<DevicePolicy>> spellings(DevicePolicy);

std::string to_string(ProtectSystem v);
std::string to_string(ProtectHome v);
std::string to_string(ProtectProc v);
std::string to_string(ProcSubset v);
std::string to_string(KeyringMode v);
std::string to_string(NotifyAccess v);
std::string to_string(DevicePolicy v);

// Namespace types as in RestrictNamespaces= (bit per type).
enum NamespaceFlag : uint32_t {
  kNsCgroup = 1u << 0,
  kNsIpc = 1u << 1,
  kNsNet = 1u << 2,
  kNsMnt = 1u << 3,
  kNsPid = 1u << 4,
  kNsUser = 1u << 5,
  kNsUts = 1u << 6,
};
constexpr uint32_t kNsAll = 0x7f;

// A set of names (syscalls, address families, architectures) that is either
// an allow-list or a deny-list, as decided by the first non-empty assignment.
struct FilterSet {
  bool configured = false;  // false: no filter at all
  bool allow_list = false;  // true: only `names` allowed; false: `names` denied
  std::set<std::string> names;
  // RestrictAddressFamilies=none: an empty allow-list (everything denied) that
  // the next list line replaces instead of extending, as systemd does.
  bool replaced_by_next = false;
};

struct DeviceAllowEntry {
  std::string path;   // "/dev/null", "char-rtc", "block-loop", ...
  std::string access; // subset of "rwm"
};

struct IpPrefix {
  int family = 0;            // AF_INET or AF_INET6
  std::string address;       // canonical text form
  unsigned prefix_len = 0;
};

struct UnitSettings {
  std::string name;            // "nginx.service", instance expanded
  std::string type = "service";  // unit type suffix
  bool default_dependencies = true;
  // Which of systemd's per-unit contexts this unit type has: services,
  // sockets, mounts and swaps run processes; slices and scopes only have a
  // control group. Units without them are scored with systemd's neutral defaults.
  bool has_exec_context = true;
  bool has_cgroup_context = true;
  bool user_manager = false;  // loaded for the user manager (--user)

  // Identity
  std::optional<std::string> user;
  std::optional<std::string> group;
  bool dynamic_user = false;
  std::vector<std::string> supplementary_groups;

  // Private*/Protect*
  bool private_devices = false;
  bool private_mounts = false;
  bool private_mounts_assigned = false;  // PrivateMounts= parsed at least once (systemd: not "unset")
  bool private_network = false;
  bool private_tmp = false;
  bool private_users = false;
  bool private_ipc = false;
  bool private_pids = false;
  bool private_bpf = false;
  bool protect_control_groups = false;
  bool protect_kernel_modules = false;
  bool protect_kernel_tunables = false;
  bool protect_kernel_logs = false;
  bool protect_clock = false;
  bool protect_hostname = false;
  ProtectSystem protect_system = ProtectSystem::no;
  ProtectHome protect_home = ProtectHome::no;
  ProtectProc protect_proc = ProtectProc::default_;
  ProcSubset proc_subset = ProcSubset::all;
  std::string root_directory;
  std::string root_image;

  // Privileges
  bool no_new_privileges = false;
  uint64_t capability_bounding_set = ~uint64_t{0};  // bit per CAP_* number
  uint64_t ambient_capabilities = 0;
  bool lock_personality = false;
  bool memory_deny_write_execute = false;
  bool restrict_realtime = false;
  bool restrict_suid_sgid = false;
  uint32_t restrict_namespaces = kNsAll;  // namespaces still allowed
  // false: never assigned (systemd's "initial" state, which allows all and
  // makes the next list assignment replace instead of merge).
  bool restrict_namespaces_configured = false;
  KeyringMode keyring_mode = KeyringMode::private_;
  NotifyAccess notify_access = NotifyAccess::none;
  bool remove_ipc = false;
  bool delegate = false;
  unsigned umask = 0022;

  // Filters
  FilterSet restrict_address_families;   // names like "AF_INET"
  FilterSet system_call_filter;          // syscall names, groups expanded
  std::set<std::string> system_call_architectures;  // "native", "x86-64", ...
  std::optional<std::string> system_call_error_number;
  // The raw SystemCallFilter= lines after specifier expansion, in order, for
  // tools that want to show what was written (the effective set is above).
  std::vector<std::string> system_call_filter_lines;

  // IP access lists (from [Service] and the unit's slice is ignored offline)
  std::vector<IpPrefix> ip_address_allow;
  std::vector<IpPrefix> ip_address_deny;
  std::vector<std::string> ip_ingress_filter_path;
  std::vector<std::string> ip_egress_filter_path;
  std::vector<std::string> socket_bind_allow;
  std::vector<std::string> socket_bind_deny;

  // Credentials by ID -> encrypted (LoadCredential*= and SetCredential*=):
  // releases before 262 imply a TPM device entry for encrypted ones.
  std::map<std::string, bool> load_credentials;
  std::map<std::string, bool> set_credentials;
  bool has_encrypted_credentials() const {
    for (const auto* m : {&load_credentials, &set_credentials})
      for (const auto& [id, encrypted] : *m)
        if (encrypted) return true;
    return false;
  }

  // Devices
  DevicePolicy device_policy = DevicePolicy::auto_;
  std::vector<DeviceAllowEntry> device_allow;

  // File system view
  std::vector<std::string> read_write_paths;
  std::vector<std::string> read_only_paths;
  std::vector<std::string> inaccessible_paths;
  std::vector<std::string> exec_paths;
  std::vector<std::string> no_exec_paths;
  std::vector<std::string> temporary_file_system;
  std::vector<std::string> bind_paths;
  std::vector<std::string> bind_read_only_paths;
  std::vector<std::string> state_directory;
  std::vector<std::string> cache_directory;
  std::vector<std::string> logs_directory;
  std::vector<std::string> runtime_directory;
  std::vector<std::string> configuration_directory;

  // Service
  std::string service_type = "simple";  // Type=
  std::vector<std::vector<std::string>> exec_start;  // argv per ExecStart= line (prefixes stripped)
  std::vector<std::string> exec_start_raw;           // as written, prefixes kept
  // Exec*= key -> the executables of its lines prefixed "+": systemd runs
  // them with full privileges, outside the sandbox (ExecReload=+/bin/kill).
  std::map<std::string, std::vector<std::string>> unsandboxed_commands;
  // Exec*= key -> its command lines as written (prefixes kept), after resets:
  // a drop-in that must run something first re-lists them after its own.
  std::map<std::string, std::vector<std::string>> exec_lines;
  std::string pid_file;  // PIDFile=, absolute ("" when unset)
  bool socket_activated = false;  // a matching .socket unit exists or Sockets= is set

  // Boolean directives turned on by a spelling besides "yes" (PrivateTmp=
  // disconnected, ProtectHostname=private:NAME): key -> the value as written.
  std::map<std::string, std::string> modes;

  // Every directive's last assignment, for diagnostics: key "Section.Key".
  std::map<std::string, Location> origin;
};

}  // namespace sdh::unit
