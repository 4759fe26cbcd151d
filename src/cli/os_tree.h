// SPDX-License-Identifier: GPL-2.0-or-later
// --os-tree and --package, shared by auto, profile and verify: run the service
// under another Debian release's systemd, booted from a tree of that OS
// instead of this machine's root (a drop-in meant for Debian 13 proven under
// Debian 13's systemd).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "util/error.h"

namespace sdh::cli {

struct OsTreeArgs {
  std::string tree;                   // DIR, or a Debian suite name (trixie)
  std::vector<std::string> packages;  // installed into the tree first
};

void add_os_tree_options(CLI::App* cmd, OsTreeArgs* args);

// The root to boot: "/" without --os-tree; else the tree, built by the
// sdharden-os-tree helper for a suite name (debootstrap from the archive this
// machine's apt uses, cached) and given the packages it lacks.
Result<std::string> prepare_os_tree(const OsTreeArgs& args);

}  // namespace sdh::cli
