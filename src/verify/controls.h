// SPDX-License-Identifier: GPL-2.0-or-later
// Negative controls: for each restriction class a drop-in sets, a probe that
// must be refused inside the drop-in's sandbox and must succeed without it.
// The plan is data (which directive, which probe, what to expect); the
// evaluation compares the two runs' probe lines.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "systemd/process.h"
#include "verify/dropin.h"
#include "verify/verdict.h"

namespace sdh::verify {

// What a verification run puts on the host under test, named after this
// process ("/run/sdharden-PID/..."): two runs on one host never share a
// path, and a run's leftovers say whose they are.
struct RunPaths {
  std::string folder;          // /run/sdharden-PID
  std::string probe;           // FOLDER/sdharden-probe
  std::string battery_output;  // /run/sdharden-PID-battery.out (the service writes it)
  std::string trace_folder;    // /run/sdharden-PID-trace (bisect's strace output)
};
const RunPaths& run_paths();

struct ProbeLine {
  std::string op;
  std::string arg;
  bool ok = false;
  bool killed = false;
  std::string detail;  // errno name, signal, ...
};
std::vector<ProbeLine> parse_probe_output(const std::string& out);

enum class ControlMode {
  refused_args,    // probe lines: listed args refused in the sandbox, ok without
  output_differs,  // a plain command prints something else inside the sandbox
};

struct Control {
  std::string name;                     // "address families"
  std::vector<std::string> directives;  // the drop-in keys this control tests
  std::vector<std::string> argv;        // run_paths().probe or a plain command, then args
  ControlMode mode = ControlMode::refused_args;
  // refused_args: these must be refused (empty: at least one arg must be);
  // args that are already refused without the sandbox make it inconclusive.
  std::vector<std::string> must_refuse;
  std::vector<std::string> must_allow;  // must stay ok inside the sandbox
};

// The controls for the restriction classes `directives` put in place, read
// as systemd reads them (implied settings included); classes the container
// cannot demonstrate (kernel tunables, clock...) are returned in
// `not_probed` with a reason.
std::vector<Control> plan_controls(const std::vector<Directive>& directives,
                                   std::vector<std::string>* not_probed = nullptr);

// The drop-in keys some control tests, and the others with the reason no
// control tests them (a test ties every key the synthesiser emits to one).
std::vector<std::string> keys_with_control();
const std::map<std::string, std::string>& keys_without_control();

struct ControlOutcome {
  ItemStatus status = ItemStatus::inconclusive;
  std::string detail;
};
ControlOutcome evaluate_control(const Control& control, const systemd::ExecResult& sandboxed,
                                const systemd::ExecResult& plain);

}  // namespace sdh::verify
