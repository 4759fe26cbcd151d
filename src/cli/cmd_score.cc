#include <fmt/core.h>

#include "cli/command.h"

namespace sdh::cli {

// Placeholder until the owning module lands.
void add_score_command(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("score", "(not yet available)");
  cmd->callback([&dispatch] {
    dispatch.action = [] {
      fmt::print(stderr, "sdharden score: not available in this build yet\n");
      return kExitUsage;
    };
  });
}

}  // namespace sdh::cli
