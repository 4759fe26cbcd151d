// SPDX-License-Identifier: GPL-2.0-or-later
// What systemd does with a unit once every assignment is in: the settings it
// implies, and the combinations it refuses to load.
#pragma once

#include <string>
#include <vector>

#include "unit/parser.h"
#include "unit/settings.h"
#include "unit/versions.h"

namespace sdh::unit {

// What systemd adds after loading (unit_patch_contexts): DynamicUser's
// sandbox, capability drops, PrivateDevices' device policy, ProtectClock's
// DeviceAllow entry, RootImage's loop devices.
void apply_implied_settings(UnitSettings& s, SystemdVersion version);

// Why systemd refuses to load a unit whose settings were all valid one by one
// (combinations its verification rejects), or "" when it loads it.
std::string refusal(const UnitSettings& s, const std::vector<Assignment>& assignments, SystemdVersion version);

// The user name DynamicUser= derives from the unit name when User= is unset.
std::string dynamic_user_name(const std::string& unit_name);

}  // namespace sdh::unit
