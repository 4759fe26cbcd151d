// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/release_compare.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "report/text_table.h"

namespace sdh::report {
namespace {

struct Row {
  std::string unit, scope;
  std::vector<std::optional<int>> tenths;  // per release; nullopt: not scored there (refused, missing)
  int change() const {
    if (tenths.empty() || !tenths.front() || !tenths.back()) return 0;
    return *tenths.back() - *tenths.front();
  }
};

std::vector<Row> rows_of(const ReleaseComparison& c) {
  std::map<std::pair<std::string, std::string>, Row> by_unit;
  const size_t n = c.per_release.size();
  for (size_t i = 0; i < n; ++i)
    for (const auto& e : c.per_release[i].entries) {
      auto& r = by_unit[{e.scope, e.unit}];
      r.unit = e.unit;
      r.scope = e.scope;
      r.tenths.resize(n);
      r.tenths[i] = e.assessment.exposure_tenths;
    }
  std::vector<Row> rows;
  for (auto& [key, r] : by_unit) {
    r.tenths.resize(n);
    rows.push_back(std::move(r));
  }
  // Units that change first (largest change), then the worst under the last release.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (std::abs(a.change()) != std::abs(b.change())) return std::abs(a.change()) > std::abs(b.change());
    return a.tenths.back().value_or(-1) > b.tenths.back().value_or(-1);
  });
  return rows;
}

std::string signed_tenths(int t) { return t == 0 ? "=" : (t > 0 ? "+" : "-") + tenths_text(std::abs(t)); }

}  // namespace

std::string comparison_table(const ReleaseComparison& c) {
  std::vector<TextTable::Column> cols = {{"UNIT", Align::left, 60}};
  for (const auto& r : c.per_release) cols.push_back({"systemd " + r.systemd_version, Align::right, 12});
  cols.push_back({"CHANGE", Align::right, 8});
  TextTable t(cols);
  int changed = 0;
  auto rows = rows_of(c);
  for (const auto& r : rows) {
    std::vector<std::string> cells = {r.scope == "user" ? r.unit + " (user)" : r.unit};
    for (const auto& v : r.tenths) cells.push_back(v ? tenths_text(*v) : "-");
    cells.push_back(signed_tenths(r.change()));
    if (r.change() != 0) ++changed;
    t.add_row(std::move(cells));
  }
  std::string out = t.render();
  if (!c.per_release.empty())
    out += fmt::format("{} units; {} score differently under systemd {} than under systemd {}\n", rows.size(),
                       changed, c.per_release.back().systemd_version, c.per_release.front().systemd_version);
  return out;
}

std::string comparison_json(const ReleaseComparison& c) {
  nlohmann::json j;
  j["schema_version"] = 1;  // docs/json-output.md
  j["releases"] = nlohmann::json::array();
  for (const auto& r : c.per_release) j["releases"].push_back(r.systemd_version);
  j["units"] = nlohmann::json::array();
  for (const auto& r : rows_of(c)) {
    nlohmann::json u = {{"unit", r.unit}, {"scope", r.scope}};
    nlohmann::json scores = nlohmann::json::object();
    for (size_t i = 0; i < r.tenths.size(); ++i)
      scores[c.per_release[i].systemd_version] =
          r.tenths[i] ? nlohmann::json(tenths_text(*r.tenths[i])) : nlohmann::json(nullptr);
    u["exposure"] = scores;
    u["change_tenths"] = r.change();
    j["units"].push_back(std::move(u));
  }
  return j.dump(2) + "\n";
}

}  // namespace sdh::report
