// SPDX-License-Identifier: GPL-2.0-or-later
// Profiling sessions: run a tracer over a command or a cgroup and build the
// Profile. `sdharden profile` calls these; the unit/container harness reuses
// profile_cgroup with its own stop condition (e.g. "the workload finished").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "profile/profile.h"
#include "trace/tracer.h"
#include "util/error.h"

namespace sdh::trace {

// Polled about ten times a second; returning true ends the session.
using StopCondition = std::function<bool()>;

struct SessionOptions {
  double duration_seconds = 0;   // 0: no limit
  StopCondition stop;            // optional (e.g. SIGINT seen, workload done)
  // Polled like stop; returning true places the explicit start-up/serving
  // marker at that moment (e.g. SIGUSR1 received).
  std::function<bool()> marker;
  TracerOptions tracer;
  // Makes the back-end; the eBPF one when empty. Tests pass a fake.
  std::function<Result<std::unique_ptr<Tracer>>(const TracerOptions&)> make_tracer;
};

struct SessionResult {
  profile::Profile profile;
  TracerCounters counters;
  uint64_t events = 0;             // TraceEvents delivered
  int command_status = -1;         // wait status of the command, -1 when not reaped
  bool command_exited = false;
  bool stopped_early = false;      // stop condition or duration ended the session
  std::vector<std::string> notes;  // from the tracer
};

// Starts `argv` stopped before exec, attaches, releases it, and follows it
// and all its descendants until they have all exited (or stop/duration).
// The command is never killed: when the session ends first it keeps running.
Result<SessionResult> profile_command(const std::vector<std::string>& argv, const SessionOptions& options);

// Follows every process of the cgroup v2 directory `cgroup_path` (and its
// sub-cgroups) until stop or duration; needs one of the two.
Result<SessionResult> profile_cgroup(const std::string& cgroup_path, const SessionOptions& options);


}  // namespace sdh::trace
