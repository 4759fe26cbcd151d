// SPDX-License-Identifier: GPL-2.0-or-later
// Running a child process with a deadline and captured output. Every
// OS-facing ServiceHost funnels its commands through here so that nothing
// can hang the caller and no child outlives its deadline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "util/error.h"

namespace sdh::systemd {

struct ExecResult {
  int exit_code = -1;     // valid when signal == 0 and !timed_out
  int signal = 0;         // the signal that ended the child, if any
  bool timed_out = false;
  std::string out;
  std::string err;
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit 3", "killed by SIGSYS", "timed out"
  std::string status_text() const;
};

struct RunOptions {
  std::chrono::milliseconds timeout{30000};
  std::string stdin_text;
  // Extra environment entries ("KEY=value"), added to the current one.
  std::vector<std::string> env;
  size_t max_output = 4 << 20;  // bytes kept per stream
};

// Runs argv[0] (searched in PATH) in its own process group; on timeout the
// whole group gets SIGKILL. Fails only when the child cannot be started.
Result<ExecResult> run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

}  // namespace sdh::systemd

namespace sdh::systemd {

// Finds one of sdharden's helper programs (sdharden-probe): next to the
// running executable, then in libexec, then in PATH. Empty when missing.
std::string locate_helper(const std::string& name);

}  // namespace sdh::systemd
