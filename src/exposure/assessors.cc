// SPDX-License-Identifier: GPL-2.0-or-later
#include "exposure/assessors.h"

#include <string_view>

#include "util/strings.h"

namespace sdh::exposure::data {
extern const std::string_view k_exposure_assessors_v252_tsv;
extern const std::string_view k_exposure_assessors_latest_tsv;
}  // namespace sdh::exposure::data

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
  static const std::vector<AssessorInfo> v252 = load(data::k_exposure_assessors_v252_tsv);
  static const std::vector<AssessorInfo> latest = load(data::k_exposure_assessors_latest_tsv);
  return version == unit::SystemdVersion::v252 ? v252 : latest;
}

}  // namespace sdh::exposure
