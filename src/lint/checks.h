// SPDX-License-Identifier: GPL-2.0-or-later
// The predicates behind the rule table (rules.cc). Each appends one Hit per
// place the rule fires; none of them touch anything but the LintContext.
#pragma once

#include <vector>

#include "lint/rules.h"

namespace sdh::lint::checks {

void protect_clock_device_allowlist(const LintContext& c, std::vector<Hit>& out);
void device_allow_implicit_closed(const LintContext& c, std::vector<Hit>& out);
void no_new_privileges_setuid_helper(const LintContext& c, std::vector<Hit>& out);
void no_new_privileges_overridden(const LintContext& c, std::vector<Hit>& out);
void syscall_filter_without_errno(const LintContext& c, std::vector<Hit>& out);
void memory_deny_write_execute_jit(const LintContext& c, std::vector<Hit>& out);
void private_users_supplementary_groups(const LintContext& c, std::vector<Hit>& out);
void syscall_architectures_foreign_binary(const LintContext& c, std::vector<Hit>& out);
void address_families_nss_pam(const LintContext& c, std::vector<Hit>& out);
void private_devices_device_allow(const LintContext& c, std::vector<Hit>& out);
void protect_system_read_only_redundant(const LintContext& c, std::vector<Hit>& out);
void dynamic_user_root(const LintContext& c, std::vector<Hit>& out);
void syscall_filter_deny_then_allow(const LintContext& c, std::vector<Hit>& out);
void syscall_filter_allow_then_deny(const LintContext& c, std::vector<Hit>& out);
void address_families_mixed_modes(const LintContext& c, std::vector<Hit>& out);
void socket_activated_address_families(const LintContext& c, std::vector<Hit>& out);
void ambient_outside_bounding_set(const LintContext& c, std::vector<Hit>& out);

}  // namespace sdh::lint::checks
