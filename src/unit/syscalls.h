// SPDX-License-Identifier: GPL-2.0-or-later
// System call names and systemd's "@group" sets, per systemd release. The
// tables are data (data/systemd/NNN/syscall-groups.tsv, data/syscalls-x86_64.txt)
// embedded into the binary at build time.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unit/loader.h"

namespace sdh::unit {

// The flattened members of "@group", or nullptr when the group is unknown in
// that version.
const std::vector<std::string>* syscall_group(SystemdVersion version, const std::string& group);
// Every group name of that version, in table order.
std::vector<std::string> syscall_group_names(SystemdVersion version);
// The group's direct members as written in the table (nested groups kept).
const std::vector<std::string>* syscall_group_direct(SystemdVersion version,
                                                     const std::string& group);

// True when the name is a system call of the native architecture (x86-64)
// as libseccomp resolves it: only those can be filtered or assessed.
bool is_native_syscall(const std::string& name);
// True when the name is known at all (native or a member of some group).
bool is_known_syscall(const std::string& name);

// True for errno names Linux defines ("EPERM").
bool is_errno_name(const std::string& name);

// Whether a release's unit files accept "Section.Key" (data/systemd/NNN/directives.txt).
enum class DirectiveStatus { known, removed, unknown };
DirectiveStatus directive_status(SystemdVersion version, const std::string& section, const std::string& key);
// The oldest release of the table that accepts it, for "known since" hints.
std::optional<SystemdVersion> first_release_knowing(const std::string& section, const std::string& key);

}  // namespace sdh::unit
