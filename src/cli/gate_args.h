// SPDX-License-Identifier: GPL-2.0-or-later
// The CI gate as `score` and `audit` share it: --threshold and --baseline,
// reading the baseline, and the verdict on stderr with its exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "exposure/assess.h"
#include "report/gate.h"

namespace sdh::cli {

struct GateArgs {
  std::optional<double> threshold;
  std::string baseline;
  std::optional<report::Baseline> loaded;  // by load_baseline()
};

// `what` names the scored things in the help ("unit", "service").
void add_gate_options(CLI::App* cmd, GateArgs& args, const std::string& what);
// Reads --baseline when given; false (after saying why on stderr) when it cannot.
bool load_baseline(GateArgs& args, const std::string& command);
// One scored entry with its assessors' points, for the gate.
report::Scored scored_entry(const std::string& name, const exposure::Assessment& a);
// kExitOk when no gate was asked for or it passed, kExitFailed when it failed.
int finish_gate(const GateArgs& args, const std::vector<report::Scored>& scored);

}  // namespace sdh::cli
