// SPDX-License-Identifier: GPL-2.0-or-later
// The CI gate of `score` and `audit`: against a baseline (a JSON report of an
// earlier run) only what got worse, or is new and above the threshold,
// fails; without one, whatever is above the threshold does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace sdh::report {

struct Scored {
  std::string unit;
  int exposure_tenths = 0;
  std::map<std::string, uint64_t> items;  // assessor id -> points it contributes
};

// Exposures by unit name, from `score --json` (an array of units) or
// `audit --format json` (an object with "units").
struct Baseline {
  std::string file;
  std::map<std::string, int> exposure_tenths;
  std::map<std::string, std::map<std::string, uint64_t>> items;  // per unit, when the file has them
};
Result<Baseline> baseline_from_json(const std::string& text, const std::string& file);

enum class ChangeKind { worse, better, added, removed, above };

struct GateChange {
  ChangeKind kind = ChangeKind::worse;
  std::string unit;
  int before = -1;  // tenths; -1: not in the baseline
  int after = -1;   // tenths; -1: no longer scored
  bool fails = false;
  std::vector<std::string> items;  // for worse: "ProtectSystem= 0 -> 2000 points", worst first
};

struct GateResult {
  std::vector<GateChange> changes;  // failing ones first, then by unit
  bool failed = false;
  size_t units = 0;
};

GateResult run_gate(const std::vector<Scored>& now, const Baseline* baseline, std::optional<int> threshold_tenths);

// One line per change and a verdict line, for stderr.
std::string gate_text(const GateResult& r, const Baseline* baseline, std::optional<int> threshold_tenths);

}  // namespace sdh::report
