// SPDX-License-Identifier: GPL-2.0-or-later
// Reads what the synthesiser needs to know about this machine's files and
// accounts (owners, modes, passwd, group) for the paths a profile names.
#pragma once

#include <optional>
#include <string>

#include "profile/profile.h"
#include "synth/system_facts.h"
#include "unit/loader.h"

namespace sdh::cli {

// `root` prefixes every path (as --root does); "" is this machine. Paths that
// do not exist are left out; unreadable account files give no accounts.
synth::SystemFacts gather_system_facts(const profile::Profile& profile, const std::string& root = "");

// The unit's EnvironmentFile= files ("-" marks an optional one), read inside
// `root` like the rest, into facts.environment_files; missing or unreadable
// ones are left out.
void add_environment_files(synth::SystemFacts& facts, const unit::LoadedUnit& unit, const std::string& root = "");

// Whether the profiled daemon starts login sessions (synth/sessions.h), with
// the accounts of the machine (or of `root`): nullopt when it does not, else
// whether the sessions run commands (a shell executed).
std::optional<bool> login_sessions(const profile::Profile& profile, const std::string& root = "");

}  // namespace sdh::cli
