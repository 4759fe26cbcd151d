#include <fmt/core.h>

#include "cli/command.h"

namespace sdh::cli {

// Placeholder until the owning module lands.
void add_explain_command(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("explain", "(not yet available)");
  cmd->callback([&dispatch] {
    dispatch.action = [] {
      fmt::print(stderr, "sdharden explain: not available in this build yet\n");
      return kExitUsage;
    };
  });
}

}  // namespace sdh::cli
