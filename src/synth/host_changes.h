// SPDX-License-Identifier: GPL-2.0-or-later
// What starting the unit under a plan changes on the machine itself, not in
// the service's sandbox: systemd hands a managed directory that exists with
// another owner (StateDirectory= and friends) to the service's user, with
// everything in it, and a "+" set-up line of the plan gives a folder it
// makes (snmpd's /var/agentx) to the account. Both stay after the stop
// (a RuntimeDirectory= is removed then). The
// drop-in's header and `apply` say each one, so nobody learns it from a log
// reader that lost access.
#pragma once

#include <string>
#include <vector>

#include "synth/synth.h"
#include "synth/system_facts.h"
#include "unit/settings.h"

namespace sdh::synth {

// One line per path whose owner changes, from the facts of the machine the
// profile was taken on: "/var/lib/snmp: root:root -> Debian-snmp:Debian-snmp,
// with everything in it". Empty without facts.
std::vector<std::string> host_owner_changes(const HardeningPlan& plan, const unit::UnitSettings& unit,
                                            const SystemFacts& facts);

// The header line a drop-in gives each change; `apply` prints the lines of
// a drop-in that start with it.
inline constexpr const char* kHostChangePrefix = "# Host change: ";

}  // namespace sdh::synth
