// SPDX-License-Identifier: GPL-2.0-or-later
// What directives and folders mean to systemd, in one place beside the
// registry (directives.h says how a directive parses; this file, what it
// does): the folders systemd manages for a service, the folders every
// service shares, the namespace types, and who a unit runs as. Every module
// asks here instead of keeping a copy (the copies had drifted into bugs: a
// lock file in /run/lock became RuntimeDirectory=lock, which systemd deletes
// at stop).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "unit/settings.h"

namespace sdh::unit {

// StateDirectory= and friends: systemd creates NAME under the base at
// start, hands it to the service's user, and (RuntimeDirectory= only)
// removes it at stop.
struct ManagedDirectory {
  std::string_view key;    // "StateDirectory"
  std::string_view base;   // "/var/lib/" (the system manager's)
  std::vector<std::string> UnitSettings::*names;  // the unit's own list
};
// In the order systemd documents them: runtime, state, cache, logs.
std::span<const ManagedDirectory> managed_directories();
// The row of `key`; null when it is not one.
const ManagedDirectory* managed_directory_of(std::string_view key);

// A folder that holds every service's (or the system's) things: /, /etc,
// /var/lib, /run, /run/lock, /run/user, /tmp, /home... Granting or handing
// over one of these is never one daemon's business.
bool shared_folder(std::string_view dir);
// A folder under a managed base that is not a service's own: systemd's
// ("systemd"), the users' ("user"), DynamicUser='s ("private"), another
// part of the system's under /run (log, shm, udev, dbus, credentials), or a
// shared one (/run/lock).
bool reserved_managed_name(std::string_view base, std::string_view name);

// Where shared libraries live (each may be absent on a given system).
std::span<const std::string_view> library_folders();
// Folders every account may write: scratch space.
std::span<const std::string_view> scratch_folders();

// The directives that say which account the service runs as: User=,
// Group=, SupplementaryGroups=, DynamicUser=. What verify runs "as the
// service" carries exactly these, and their own controls never run as root.
std::span<const std::string_view> account_directives();
bool is_account_directive(std::string_view key);

// Namespace types as RestrictNamespaces= names them, with their bit.
struct NamespaceType {
  std::string_view name;  // "net"
  uint32_t bit;           // kNsNet
};
std::span<const NamespaceType> namespace_types();

// Directives that only widen what others restrict (a path made writable
// under ProtectSystem=, an address allowed under IPAddressDeny=, a refused
// call answered with an errno instead of a kill): the registry rows with
// Effect::widens. Alone they refuse nothing, so bisection lets them ride
// along in every trial, relaxation may add them anew, and no negative
// control can show them.
bool only_widens(std::string_view key);
std::span<const std::string_view> widening_directives();

// What a login session inherits from the daemon that starts it (sshd, FTP
// and mail servers, cron): one row per directive that would change what a
// session's user or administrator can do, and why an expert leaves it out.
// `only_with_commands`: harmless to sessions that run no commands (FTP,
// IMAP), which run only the daemon's own code. synth keeps these out of a
// login daemon's drop-in; verify holds a drop-in to the same.
struct SessionEffect {
  std::string_view key;
  bool only_with_commands;
  std::string_view why;
};
std::span<const SessionEffect> session_effects();
const SessionEffect* session_effect(std::string_view key);  // null: sessions do not feel it

// A User= value that means root: unset, empty, "root" or "0".
bool is_root_name(const std::optional<std::string>& user);
// A User= that names root itself ("root" or "0"): with DynamicUser=yes,
// systemd then runs the service as root anyway.
bool names_root(const std::optional<std::string>& user);
// The service runs as root: a root User= and no DynamicUser=.
bool runs_as_root(const UnitSettings& s);

}  // namespace sdh::unit
