// SPDX-License-Identifier: GPL-2.0-or-later
// Names for numbers seen in traces: system calls (per architecture, via
// libseccomp), address families (over util/linux_names.h's table, with a
// fallback spelling for unknown numbers) and socket types.
#pragma once

#include <cstdint>
#include <string>

namespace sdh::profile {

// Native-architecture syscall name, "syscall_N" when unknown.
std::string syscall_name(int nr);
// Name of syscall `nr` of an architecture given as its AUDIT_ARCH_* value
// (as audit records carry it; 0 = native); "" when unknown.
std::string syscall_name_of_arch(int nr, uint32_t audit_arch);
// Native-architecture number of a syscall name, -1 when unknown.
int syscall_number(const std::string& name);
std::string address_family_name(int family);  // "AF_INET6", "AF_12" when unknown
std::string socket_type_name(int type);        // flags stripped: "SOCK_DGRAM"

}  // namespace sdh::profile
