// SPDX-License-Identifier: GPL-2.0-or-later
// Applies parsed assignments to UnitSettings with systemd 252's per-directive
// semantics, then adds the settings systemd implies at load time.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "unit/specifiers.h"

namespace sdh::unit {

struct ApplyContext {
  SystemdVersion version;
  SpecifierContext specifiers;
  std::vector<Diagnostic>* diagnostics = nullptr;
};

// Starts a UnitSettings with systemd's defaults for the unit's type.
UnitSettings default_settings(const std::string& unit_name, const std::string& type,
                              bool user_manager);

// Applies one assignment. Returns false when systemd would refuse to load the
// unit because of it (e.g. an invalid User= or DynamicUser= value).
bool apply_assignment(UnitSettings& s, const Assignment& a, const ApplyContext& ctx);

// What systemd adds after loading (unit_patch_contexts): DynamicUser's
// sandbox, capability drops, PrivateDevices' device policy, ProtectClock's
// DeviceAllow entry, RootImage's loop devices.
void apply_implied_settings(UnitSettings& s, SystemdVersion version);

// Why systemd refuses to load a unit whose settings were all valid one by one
// (combinations its verification rejects), or "" when it loads it.
std::string refusal(const UnitSettings& s, const std::vector<Assignment>& assignments, SystemdVersion version);

// Length of an Exec*= value's prefix characters ("-", "@", ":", "+", "!", "|").
size_t exec_prefix_length(const std::string& exec_value);

// The flags systemctl lists (under KEYEx) for an Exec*= value's prefixes:
// "-" ignore-failure, ":" no-env-expand, "+" privileged, "!" no-setuid,
// "!!" ambient, "|" via-shell.
std::set<std::string> exec_prefix_flags(const std::string& exec_value);

// The program an Exec*= value runs with full privileges, outside the
// sandbox (a "+" among its prefixes): "+/bin/kill -HUP $MAINPID" -> "/bin/kill".
std::optional<std::string> unsandboxed_program(const std::string& exec_value);

// The program an Exec*= value runs, whatever its prefixes:
// "-+/usr/lib/x/helper install" -> "/usr/lib/x/helper"; nullopt when empty.
std::optional<std::string> exec_program(const std::string& exec_value);

// The same command line run with full privileges, outside the sandbox: "+"
// added to its prefixes, in place of "!" or "!!" (which keep the sandbox).
std::string privileged_exec_line(const std::string& exec_value);
// The line with "!" (root's credentials, User=/Group= not applied, the sandbox
// kept); unchanged when it has "+" or "!" already.
std::string credentials_kept_exec_line(const std::string& exec_value);

// The user name DynamicUser= derives from the unit name when User= is unset.
std::string dynamic_user_name(const std::string& unit_name);

}  // namespace sdh::unit
