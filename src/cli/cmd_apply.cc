// SPDX-License-Identifier: GPL-2.0-or-later
#include <string>

#include <fmt/core.h>

#include "cli/command.h"
#include "synth/host_changes.h"
#include "unit/value_writer.h"
#include "util/strings.h"
#include "systemd/installer.h"
#include "util/fs.h"
#include "verify/dropin.h"
#include "verify/target.h"

namespace sdh::cli {

namespace {

struct ApplyArgs {
  std::string unit, dropin, check, root;
};

}  // namespace

void add_apply_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ApplyArgs>();
  auto* cmd = app.add_subcommand("apply", "Install a drop-in as /etc/systemd/system/UNIT.d/50-sdharden.conf "
                                          "atomically, keep the previous state, restart, check, roll back on failure");
  cmd->add_option("unit", args->unit, "unit name")->required();
  cmd->add_option("--dropin", args->dropin, "drop-in to install")->required()->check(CLI::ExistingFile);
  cmd->add_option("--check", args->check, "shell command that must succeed after the restart");
  cmd->add_option("--root", args->root, "install into this tree instead of the live system (no restart)");
  cmd->footer("Exit codes: 0 installed, 1 the check failed and the previous state was restored, 2 usage or I/O error.");
  cmd->callback([args, &dispatch] {
    dispatch.action = [args]() -> int {
      RealFileSystem fs;
      auto text = fs.read_file(args->dropin);
      if (!text) {
        fmt::print(stderr, "sdharden apply: {}\n", text.error().to_string());
        return kExitUsage;
      }
      if (auto parsed = verify::parse_dropin(*text); !parsed) {
        fmt::print(stderr, "sdharden apply: {}: {}\n", args->dropin, parsed.error().to_string());
        return kExitUsage;
      }
      // A unit name, not a path: "../x.service" or "" must not pick a folder,
      // and systemd never reads a hidden folder (".x.service.d").
      if (args->unit.empty() || args->unit.find('/') != std::string::npos || args->unit[0] == '.') {
        fmt::print(stderr, "sdharden apply: not a valid unit name: \"{}\"\n", args->unit);
        return kExitUsage;
      }
      // What the drop-in's header says starting the unit changes on this
      // machine (owners systemd hands over), before anything is installed.
      std::vector<std::string> changes;
      for (const auto& line : lines_of(*text))
        if (line.rfind(synth::kHostChangePrefix, 0) == 0)
          changes.push_back(line.substr(std::string_view(synth::kHostChangePrefix).size()));
      if (!changes.empty()) {
        fmt::print("starting {} changes the owner of these paths on this machine:\n",
                   unit::escape_for_display(args->unit));
        for (const auto& c : changes) fmt::print("  {}\n", unit::escape_for_display(c));
      }
      systemd::ApplyRequest req{verify::unit_name_from(args->unit), *text, args->check, args->root};
      auto rep = systemd::apply_dropin(req);
      if (!rep) {
        fmt::print(stderr, "sdharden apply: {}\n", rep.error().to_string());
        return kExitUsage;
      }
      for (const auto& s : rep->steps) fmt::print("{}\n", s);
      return rep->rolled_back ? kExitFailed : kExitOk;
    };
  });
}

}  // namespace sdh::cli
