// SPDX-License-Identifier: GPL-2.0-or-later
#include "exposure/assessors.h"

#include <string_view>

#include "unit/versions.h"

#include "util/strings.h"

namespace sdh::exposure {
namespace {

std::vector<AssessorInfo> load(std::string_view tsv) {
  std::vector<AssessorInfo> out;
  auto rows = split(tsv, '\n');
  for (size_t i = 1; i < rows.size(); ++i) {  // row 0 is the header
    if (rows[i].empty() || rows[i][0] == '#') continue;
    auto c = split(rows[i], '\t');
    if (c.size() < 5) continue;
    AssessorInfo a;
    a.id = c[0];
    a.json_field = c[1];
    a.weight = std::stoull(c[2]);
    a.range = std::stoull(c[3]);
    a.default_dependencies_only = c[4] == "true";
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

const std::vector<AssessorInfo>& assessor_table(unit::SystemdVersion version) {
  return unit::per_release(version, [](unit::SystemdVersion r) { return load(unit::release_file(r, "assessors.tsv")); });
}

}  // namespace sdh::exposure
