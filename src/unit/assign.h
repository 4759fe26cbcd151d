// SPDX-License-Identifier: GPL-2.0-or-later
// Assigns parsed assignments to UnitSettings with each directive's semantics
// (unit/directives.h says which field, syntax and accumulation).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "unit/specifiers.h"

namespace sdh::unit {

struct AssignContext {
  SystemdVersion version;
  SpecifierContext specifiers;
  std::vector<Diagnostic>* diagnostics = nullptr;
};

// Starts a UnitSettings with systemd's defaults for the unit's type.
UnitSettings default_settings(const std::string& unit_name, const std::string& type,
                              bool user_manager);

// Assigns one assignment. Returns false when systemd would refuse to load the
// unit because of it (e.g. an invalid User= or DynamicUser= value).
bool assign(UnitSettings& s, const Assignment& a, const AssignContext& ctx);

}  // namespace sdh::unit
