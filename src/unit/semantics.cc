// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/semantics.h"

#include "unit/directives.h"

#include <algorithm>
#include <array>

namespace sdh::unit {

std::span<const ManagedDirectory> managed_directories() {
  // systemd.exec(5), "RuntimeDirectory=, StateDirectory=, CacheDirectory=,
  // LogsDirectory=, ConfigurationDirectory=": the bases of the system
  // manager. ConfigurationDirectory= is left out: it is not handed over.
  static const std::array<ManagedDirectory, 4> kRows = {{
      {"RuntimeDirectory", "/run/", &UnitSettings::runtime_directory},
      {"StateDirectory", "/var/lib/", &UnitSettings::state_directory},
      {"CacheDirectory", "/var/cache/", &UnitSettings::cache_directory},
      {"LogsDirectory", "/var/log/", &UnitSettings::logs_directory},
  }};
  return kRows;
}

const ManagedDirectory* managed_directory_of(std::string_view key) {
  for (const auto& m : managed_directories())
    if (m.key == key) return &m;
  return nullptr;
}

bool shared_folder(std::string_view dir) {
  static constexpr std::array<std::string_view, 29> kShared = {
      "/",          "/etc",       "/var",      "/var/lib", "/var/log",    "/var/cache", "/var/spool", "/var/tmp",
      "/var/opt",   "/var/local", "/run",      "/run/user", "/run/systemd", "/run/lock", "/var/run",  "/var/lock",
      "/usr",       "/usr/local", "/home",     "/srv",     "/opt",        "/tmp",       "/root",     "/boot",
      "/dev",       "/proc",      "/sys",      "/mnt",     "/media"};
  return std::find(kShared.begin(), kShared.end(), dir) != kShared.end();
}

bool reserved_managed_name(std::string_view base, std::string_view name) {
  if (name.empty() || name == "private" || name == "systemd" || name == "user") return true;
  // Under /run, the folders of the journal, udev, D-Bus, POSIX shared
  // memory and systemd's credentials: a RuntimeDirectory= of that name
  // would be deleted at the service's stop.
  static constexpr std::array<std::string_view, 5> kRunOfOthers = {"log", "shm", "udev", "dbus", "credentials"};
  if (base == "/run/" && std::find(kRunOfOthers.begin(), kRunOfOthers.end(), name) != kRunOfOthers.end())
    return true;
  std::string dir(base);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return shared_folder(dir + "/" + std::string(name));
}

std::span<const std::string_view> library_folders() {
  static constexpr std::array<std::string_view, 8> kRows = {"/usr/lib",   "/lib",   "/usr/lib64",  "/lib64",
                                                            "/usr/lib32", "/lib32", "/usr/libx32", "/libx32"};
  return kRows;
}

std::span<const std::string_view> scratch_folders() {
  static constexpr std::array<std::string_view, 3> kRows = {"/tmp", "/var/tmp", "/dev/shm"};
  return kRows;
}

std::span<const NamespaceType> namespace_types() {
  static constexpr std::array<NamespaceType, 7> kRows = {{{"cgroup", kNsCgroup},
                                                          {"ipc", kNsIpc},
                                                          {"net", kNsNet},
                                                          {"mnt", kNsMnt},
                                                          {"pid", kNsPid},
                                                          {"user", kNsUser},
                                                          {"uts", kNsUts}}};
  return kRows;
}

std::span<const std::string_view> account_directives() {
  static constexpr std::array<std::string_view, 4> kRows = {"User", "Group", "SupplementaryGroups", "DynamicUser"};
  return kRows;
}

bool is_account_directive(std::string_view key) {
  const auto rows = account_directives();
  return std::find(rows.begin(), rows.end(), key) != rows.end();
}

std::span<const std::string_view> widening_directives() {
  static const std::vector<std::string_view> kRows = [] {
    std::vector<std::string_view> v;
    for (const auto& d : directive_table())
      if (d.effect == Effect::widens) v.push_back(d.name);
    // The old name of ReadWritePaths= every release still takes; not a
    // registry row (nothing here writes it), but a unit may hold it.
    v.push_back("ReadWriteDirectories");
    return v;
  }();
  return kRows;
}

bool only_widens(std::string_view key) {
  const auto rows = widening_directives();
  return std::find(rows.begin(), rows.end(), key) != rows.end();
}

std::span<const SessionEffect> session_effects() {
  static constexpr std::array<SessionEffect, 38> kRows = {{
      {"NoNewPrivileges", true, "sessions inherit it: sudo, su and PAM's setuid helpers (unix_chkpwd) stop working"},
      {"ProtectHome", false, "the users' sessions live in their home directories"},
      {"RootDirectory", false, "sessions need the whole file system: home folders, shells and what users run"},
      {"PrivateUsers", false, "the users the sessions run as would not be mapped"},
      {"PrivatePIDs", false, "sessions would live in the daemon's PID namespace, apart from the users' other processes"},
      {"DynamicUser", false, "starting a session needs root to switch to the user"},
      {"RestrictSUIDSGID", true, "users' sessions create and use setuid/setgid files"},
      {"CapabilityBoundingSet", true, "sessions inherit the bounding set: sudo could not regain what it leaves out"},
      {"SystemCallFilter", true, "programs users run in their sessions call what the daemon never did"},
      {"SystemCallErrorNumber", true, "goes with SystemCallFilter=, which sessions cannot have"},
      {"SystemCallArchitectures", true, "users may run programs of another architecture"},
      {"RestrictAddressFamilies", true, "programs users run need any address family"},
      {"RestrictNamespaces", true, "users run containers and sandboxed programs that create namespaces"},
      {"MemoryDenyWriteExecute", true, "users run JIT compilers (Java, browsers, PCRE)"},
      {"LockPersonality", true, "users' programs may change their personality (setarch)"},
      {"RestrictRealtime", true, "users' audio and real-time programs"},
      {"ProtectSystem", true, "an administrator's sudo in a session must be able to change the system"},
      {"PrivateTmp", true, "sessions share /tmp with the rest of the system"},
      {"PrivateDevices", true, "sessions use terminals and devices"},
      {"DevicePolicy", true, "sessions use terminals and devices"},
      {"DeviceAllow", true, "sessions use terminals and devices"},
      {"PrivateIPC", true, "sessions share System V IPC with the rest of the system"},
      {"ProtectKernelTunables", true, "an administrator's sudo in a session sets sysctls"},
      {"ProtectKernelModules", true, "an administrator's sudo in a session loads modules"},
      {"ProtectKernelLogs", true, "an administrator's sudo in a session reads the kernel log"},
      {"ProtectClock", true, "an administrator's sudo in a session sets the clock"},
      {"ProtectHostname", true, "an administrator's sudo in a session sets the host name"},
      {"ProtectControlGroups", true, "an administrator's sudo in a session manages control groups"},
      {"ProtectProc", true, "users run ps and top in their sessions"},
      {"ProcSubset", true, "users run ps and top in their sessions"},
      {"IPAddressDeny", true, "sessions reach any address"},
      {"PrivateNetwork", true, "sessions reach the network"},
      {"PrivateMounts", true, "an administrator's mounts in a session must reach the system"},
      {"UMask", true, "sessions would create every file private to its user"},
      {"InaccessiblePaths", true, "sudo in a session reads /etc/sudoers and /etc/shadow"},
      {"ReadOnlyPaths", true, "an administrator's sudo in a session must be able to change the system"},
      {"NoExecPaths", true, "users run programs of their own in their sessions"},
      {"ExecPaths", true, "users run programs of their own in their sessions"},
  }};
  return kRows;
}

const SessionEffect* session_effect(std::string_view key) {
  for (const auto& e : session_effects())
    if (e.key == key) return &e;
  return nullptr;
}

bool is_root_name(const std::optional<std::string>& user) {
  return !user || user->empty() || *user == "root" || *user == "0";
}

bool names_root(const std::optional<std::string>& user) { return user && (*user == "root" || *user == "0"); }

bool runs_as_root(const UnitSettings& s) { return !s.dynamic_user && is_root_name(s.user); }

}  // namespace sdh::unit
