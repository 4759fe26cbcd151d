// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/os_tree.h"

#include <chrono>

#include "systemd/process.h"
#include "util/strings.h"

namespace sdh::cli {

void add_os_tree_options(CLI::App* cmd, OsTreeArgs* args) {
  cmd->add_option("--os-tree", args->tree,
                  "Boot this OS tree instead of this machine's root: a directory, or a Debian suite "
                  "(trixie, forky) built once with debootstrap and cached in /var/cache/sdharden/os-trees")
      ->type_name("DIR|SUITE");
  cmd->add_option("--package", args->packages,
                  "Install this Debian package into the --os-tree first (the daemon, what its check needs)")
      ->type_name("PKG");
}

Result<std::string> prepare_os_tree(const OsTreeArgs& args) {
  if (args.tree.empty()) {
    if (!args.packages.empty()) return fail("--package needs --os-tree");
    return std::string("/");
  }
  std::string helper = systemd::locate_helper("sdharden-os-tree");
  if (helper.empty()) return fail("sdharden-os-tree helper not found (it builds --os-tree trees)");
  std::vector<std::string> argv = {helper, args.tree};
  argv.insert(argv.end(), args.packages.begin(), args.packages.end());
  systemd::RunOptions o;
  o.timeout = std::chrono::minutes(20);  // a first debootstrap takes a few minutes
  auto r = systemd::run_process(argv, o);
  if (!r) return fail(std::move(r.error()).with_context("preparing --os-tree " + args.tree));
  std::string path = trim(r->out);
  if (r->exit_code != 0 || path.empty() || path[0] != '/') {
    std::string why = trim(r->err);
    return fail("preparing --os-tree " + args.tree + " failed" + (why.empty() ? "" : ": " + why));
  }
  return path;
}

}  // namespace sdh::cli
