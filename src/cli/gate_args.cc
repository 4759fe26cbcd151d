// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/gate_args.h"

#include <cmath>

#include <fmt/core.h>

#include "cli/command.h"
#include "util/fs.h"

namespace sdh::cli {

void add_gate_options(CLI::App* cmd, GateArgs& args, const std::string& what) {
  cmd->add_option("--threshold", args.threshold,
                  fmt::format("Exit 1 when a {0}'s exposure is above this (0.0-10.0); with --baseline, only new {0}s "
                              "count",
                              what))
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--baseline", args.baseline,
                  fmt::format("JSON of an earlier run (score --json or audit --format json): exit 1 only for {}s "
                              "that got worse, or are new and above --threshold; what changed goes to stderr",
                              what));
}

bool load_baseline(GateArgs& args, const std::string& command) {
  if (args.baseline.empty()) return true;
  auto text = RealFileSystem().read_file(args.baseline);
  Result<report::Baseline> b = text ? report::baseline_from_json(*text, args.baseline) : fail(text.error());
  if (!b) {
    fmt::print(stderr, "sdharden {}: --baseline: {}\n", command, b.error().to_string());
    return false;
  }
  args.loaded = std::move(*b);
  return true;
}

report::Scored scored_entry(const std::string& name, const exposure::Assessment& a) {
  report::Scored s{name, a.exposure_tenths, {}};
  for (const auto& it : a.items)
    if (it.applicable) s.items[it.id] = it.contribution();
  return s;
}

int finish_gate(const GateArgs& args, const std::vector<report::Scored>& scored) {
  if (!args.loaded && !args.threshold) return kExitOk;
  std::optional<int> limit;
  if (args.threshold) limit = static_cast<int>(std::lround(*args.threshold * 10));
  const report::Baseline* base = args.loaded ? &*args.loaded : nullptr;
  auto gate = report::run_gate(scored, base, limit);
  fmt::print(stderr, "{}", report::gate_text(gate, base, limit));
  return gate.failed ? kExitFailed : kExitOk;
}

}  // namespace sdh::cli
