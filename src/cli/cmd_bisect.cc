// SPDX-License-Identifier: GPL-2.0-or-later
#include <chrono>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/verify_setup.h"
#include "systemd/service_host.h"
#include "systemd/process.h"
#include "util/fs.h"
#include "unit/value_writer.h"
#include "verify/bisect.h"
#include "verify/target.h"

namespace sdh::cli {

namespace {

struct BisectArgs {
  std::string unit, dropin, check, in = "container";
  bool json = false;
  int settle_ms = 1500;
  std::vector<std::string> files;  // --file DEST=SRC
};

}  // namespace

void add_bisect_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<BisectArgs>();
  auto* cmd = app.add_subcommand("bisect", "Find the smallest set of a drop-in's directives that breaks the "
                                           "service (delta debugging) and name the denied operation");
  cmd->add_option("unit", args->unit, "unit name or path to a unit file")->required();
  cmd->add_option("--dropin", args->dropin, "drop-in that breaks the service")->required()->check(CLI::ExistingFile);
  cmd->add_option("--check", args->check, "shell command that must succeed while the service runs")->required();
  cmd->add_option("--in", args->in, "container (default) or host")->check(CLI::IsMember({"container", "host"}));
  cmd->add_option("--settle", args->settle_ms, "milliseconds the unit must stay up after starting");
  add_file_option(*cmd, args->files);
  cmd->add_flag("--json", args->json, "print the result as JSON");
  cmd->footer("Exit codes: 0 the culprit was found (or nothing breaks), 2 usage error or the service fails "
              "even without the drop-in.");
  cmd->callback([args, &dispatch] {
    dispatch.action = [args]() -> int {
      RealFileSystem fs;
      auto target = verify::load_target(fs, args->unit, args->dropin, args->check);
      if (!target) {
        fmt::print(stderr, "sdharden bisect: {}\n", target.error().to_string());
        return kExitUsage;
      }
      if (auto f = read_extra_files(args->files, *target); !f) {
        fmt::print(stderr, "sdharden bisect: {}\n", f.error().to_string());
        return kExitUsage;
      }
      target->settle = std::chrono::milliseconds(args->settle_ms);
      auto r = verify::bisect_dropin(*target, host_factory_for(args->in));
      if (!r) {
        fmt::print(stderr, "sdharden bisect: {}\n", r.error().to_string());
        return kExitUsage;
      }
      fmt::print("{}", args->json ? verify::bisect_to_json(*r)
                                   : unit::escape_lines_for_display(verify::bisect_to_text(*r)));
      return kExitOk;
    };
  });
}

}  // namespace sdh::cli
