// SPDX-License-Identifier: GPL-2.0-or-later
// The drop-in round-trip property, shared by the unit tests and the fuzz
// target: for a profile whose paths a hostile daemon chose, the drop-in
// sdharden proposes, read back with sdharden's own parser, holds exactly the
// planned assignments and nothing else, every path read back is one the
// daemon used (or a folder of one) byte for byte, and no line carries a
// control character.
#pragma once

#include <string>
#include <vector>

#include "profile/profile.h"

namespace sdh::testing {

// Hostile components carry this marker, so the check can tell what in a
// drop-in came from them.
inline constexpr const char* kHostileMarker = "H~";

// A profile of one daemon that uses files named after `names` (each put
// under several bases: /srv, /var/lib, /var, /home, /dev, /run), binds a
// UNIX socket and runs a program named after the first; `names` may hold
// any bytes.
profile::Profile hostile_profile(const std::vector<std::string>& names);

// Splits fuzz input into names at 0xff bytes (at most 8).
std::vector<std::string> names_from_bytes(const std::string& bytes);

// Proposes a drop-in for a small root service from `profile` and checks the
// property. Returns "" when it holds, else what broke it (and the drop-in).
// `fast` scores candidates by counting their distinct keys instead of
// loading the unit each time (the fuzz target's speed; every rule that can
// emit does, which is what the property is about); the drop-in is still
// read back through the real loader at the end.
std::string check_dropin_property(const profile::Profile& profile, bool fast = false);

}  // namespace sdh::testing
