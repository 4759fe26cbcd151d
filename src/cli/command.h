// SPDX-License-Identifier: GPL-2.0-or-later
// Each subcommand lives in its own cmd_<name>.cc and registers itself here.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace sdh::cli {

// Documented, stable exit codes.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,  // threshold exceeded, verification failed
  kExitUsage = 2,   // usage or input error
};

// A command's action returns the process exit code.
using Action = std::function<int()>;

// Set by a command's callback; main runs it after parsing.
struct Dispatch {
  Action action;
};

void add_score_command(CLI::App& app, Dispatch& dispatch);
void add_audit_command(CLI::App& app, Dispatch& dispatch);
void add_lint_command(CLI::App& app, Dispatch& dispatch);
void add_profile_command(CLI::App& app, Dispatch& dispatch);
void add_propose_command(CLI::App& app, Dispatch& dispatch);
void add_explain_command(CLI::App& app, Dispatch& dispatch);
void add_verify_command(CLI::App& app, Dispatch& dispatch);
void add_bisect_command(CLI::App& app, Dispatch& dispatch);
void add_auto_command(CLI::App& app, Dispatch& dispatch);
void add_apply_command(CLI::App& app, Dispatch& dispatch);
void add_report_command(CLI::App& app, Dispatch& dispatch);

}  // namespace sdh::cli
