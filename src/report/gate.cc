// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/gate.h"

#include <algorithm>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "report/audit.h"

namespace sdh::report {

using nlohmann::json;

Result<Baseline> baseline_from_json(const std::string& text, const std::string& file) {
  auto bad = [&](const std::string& why) { return fail(Error(why).with_context("reading baseline " + file)); };
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return bad(std::string("invalid JSON: ") + e.what());
  }
  const json* units = &doc;
  if (doc.is_object() && doc.contains("units")) units = &doc["units"];
  if (!units->is_array()) return bad("neither `score --json` output (an array) nor `audit --format json` (\"units\")");
  Baseline b;
  b.file = file;
  for (const auto& u : *units) {
    if (!u.is_object() || !u.contains("unit") || !u["unit"].is_string()) return bad("an entry without \"unit\"");
    if (!u.contains("exposure_tenths") || !u["exposure_tenths"].is_number_integer())
      return bad("entry " + u["unit"].get<std::string>() + " has no integer \"exposure_tenths\"");
    std::string unit = u["unit"].get<std::string>();
    if (u.contains("scope") && u["scope"] == "user") unit += " (user)";  // as audit names them
    b.exposure_tenths[unit] = u["exposure_tenths"].get<int>();
    if (u.contains("items") && u["items"].is_array())
      for (const auto& i : u["items"])
        if (i.is_object() && i.contains("id") && i["id"].is_string() && i.contains("contribution") &&
            i["contribution"].is_number_unsigned())
          b.items[unit][i["id"].get<std::string>()] = i["contribution"].get<uint64_t>();
  }
  return b;
}

GateResult run_gate(const std::vector<Scored>& now, const Baseline* baseline, std::optional<int> threshold_tenths) {
  GateResult r;
  r.units = now.size();
  auto above = [&](int t) { return threshold_tenths && t > *threshold_tenths; };
  std::map<std::string, int> current;
  std::map<std::string, const Scored*> by_unit;
  for (const auto& s : now) current[s.unit] = s.exposure_tenths, by_unit[s.unit] = &s;
  // The assessors behind a worse score: those that contribute more now.
  auto worse_items = [&](const std::string& unit) {
    std::vector<std::pair<uint64_t, std::string>> rose;
    auto before = baseline->items.find(unit);
    if (before == baseline->items.end()) return std::vector<std::string>{};
    for (const auto& [id, points] : by_unit[unit]->items) {
      auto was = before->second.find(id);
      uint64_t old_points = was == before->second.end() ? 0 : was->second;
      if (points > old_points)
        rose.push_back({points - old_points, fmt::format("{} {} -> {} points", id, old_points, points)});
    }
    std::stable_sort(rose.begin(), rose.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> out;
    for (auto& r : rose) out.push_back(std::move(r.second));
    return out;
  };
  for (const auto& [unit, t] : current) {
    if (!baseline) {
      if (above(t)) r.changes.push_back({ChangeKind::above, unit, -1, t, true});
      continue;
    }
    auto it = baseline->exposure_tenths.find(unit);
    if (it == baseline->exposure_tenths.end())
      r.changes.push_back({ChangeKind::added, unit, -1, t, above(t)});
    else if (t > it->second)
      r.changes.push_back({ChangeKind::worse, unit, it->second, t, true, worse_items(unit)});
    else if (t < it->second)
      r.changes.push_back({ChangeKind::better, unit, it->second, t, false});
  }
  if (baseline)
    for (const auto& [unit, t] : baseline->exposure_tenths)
      if (!current.count(unit)) r.changes.push_back({ChangeKind::removed, unit, t, -1, false});
  std::stable_sort(r.changes.begin(), r.changes.end(),
                   [](const GateChange& a, const GateChange& b) { return a.fails > b.fails; });
  r.failed = std::any_of(r.changes.begin(), r.changes.end(), [](const GateChange& c) { return c.fails; });
  return r;
}

std::string gate_text(const GateResult& r, const Baseline* baseline, std::optional<int> threshold_tenths) {
  std::string limit = threshold_tenths ? tenths_text(*threshold_tenths) : "";
  std::string out;
  size_t failing = 0;
  for (const auto& c : r.changes) {
    failing += c.fails;
    std::string mark = c.fails ? "FAIL" : "    ";
    switch (c.kind) {
      case ChangeKind::worse:
        out += fmt::format("gate: {} worse   {} {} -> {}\n", mark, c.unit, tenths_text(c.before), tenths_text(c.after));
        for (const auto& i : c.items) out += fmt::format("gate:              {}\n", i);
        break;
      case ChangeKind::better:
        out += fmt::format("gate: {} better  {} {} -> {}\n", mark, c.unit, tenths_text(c.before), tenths_text(c.after));
        break;
      case ChangeKind::added:
        out += fmt::format("gate: {} new     {} {}{}\n", mark, c.unit, tenths_text(c.after),
                           c.fails ? " (above " + limit + ")" : "");
        break;
      case ChangeKind::removed:
        out += fmt::format("gate: {} gone    {} (was {})\n", mark, c.unit, tenths_text(c.before));
        break;
      case ChangeKind::above:
        out += fmt::format("gate: {} above   {} {} > {}\n", mark, c.unit, tenths_text(c.after), limit);
        break;
    }
  }
  if (r.failed)
    out += fmt::format("gate: FAILED: {} of {} units {}\n", failing, r.units,
                       baseline ? "worse than " + baseline->file + (threshold_tenths ? " or new above " + limit : "")
                                : "above " + limit);
  else
    out += fmt::format("gate: passed: {} units, none {}\n", r.units,
                       baseline ? "worse than " + baseline->file + (threshold_tenths ? " nor new above " + limit : "")
                                : "above " + limit);
  return out;
}

}  // namespace sdh::report
