#include <fmt/core.h>

#include "cli/command.h"

namespace sdh::cli {

// Placeholder until the owning module lands.
void add_verify_command(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("verify", "(not yet available)");
  cmd->callback([&dispatch] {
    dispatch.action = [] {
      fmt::print(stderr, "sdharden verify: not available in this build yet\n");
      return kExitUsage;
    };
  });
}

}  // namespace sdh::cli
