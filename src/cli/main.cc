// SPDX-License-Identifier: GPL-2.0-or-later
#include <cstdio>
#include <exception>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/suggest.h"
#include "util/interrupt.h"

int main(int argc, char** argv) {
  using namespace sdh::cli;
  CLI::App app{"sdharden: harden systemd services with evidence"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sdharden " SDHARDEN_VERSION);
  app.footer(
      "Exit codes: 0 ok, 1 threshold exceeded or verification failed, 2 usage or input error.\n"
      "Run 'sdharden COMMAND --help' for a command's options.");
  Dispatch dispatch;
  add_score_command(app, dispatch);
  add_audit_command(app, dispatch);
  add_lint_command(app, dispatch);
  add_profile_command(app, dispatch);
  add_propose_command(app, dispatch);
  add_explain_command(app, dispatch);
  add_verify_command(app, dispatch);
  add_bisect_command(app, dispatch);
  add_auto_command(app, dispatch);
  add_apply_command(app, dispatch);
  add_report_command(app, dispatch);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    for (const auto& s : suggestions(app, argc, argv)) fmt::print(stderr, "sdharden: {}\n", s);
    return kExitUsage;
  }
  if (!dispatch.action) return kExitUsage;
  // From here on SIGINT/SIGTERM/SIGHUP take down what the command set up
  // (containers, files installed on a host) before exiting.
  sdh::interrupt::install("sdharden");
  try {
    return dispatch.action();
  } catch (const std::exception& e) {
    fmt::print(stderr, "sdharden: internal error: {}\n", e.what());
    return 70;
  }
}
