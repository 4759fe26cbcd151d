// SPDX-License-Identifier: GPL-2.0-or-later
// The assessor tables (ids, JSON field names, weights, ranges) per systemd
// release, read from data/systemd/NNN/assessors.tsv embedded at build time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "unit/loader.h"

namespace sdh::exposure {

struct AssessorInfo {
  std::string id;          // "PrivateDevices="
  std::string json_field;  // "PrivateDevices"
  uint64_t weight = 0;
  uint64_t range = 1;
  bool default_dependencies_only = false;  // not applicable with DefaultDependencies=no
};

const std::vector<AssessorInfo>& assessor_table(unit::SystemdVersion version);

}  // namespace sdh::exposure
