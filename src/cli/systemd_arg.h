// SPDX-License-Identifier: GPL-2.0-or-later
// The --systemd option the commands share: whose rules (directives, assessor
// table, syscall groups) to reproduce. Default: the systemd installed under
// --root (else on this machine, else the newest release), the nearest release
// of the table at or below it.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "unit/versions.h"
#include "util/error.h"

namespace sdh::cli {

void add_systemd_option(CLI::App* cmd, std::string* value);

struct ChosenRelease {
  unit::SystemdVersion version;
  std::string why;  // "systemd 257 (--systemd)", "systemd 254 (installed: 255)"
};

// `value` as given to --systemd, or "" for the installed systemd under `root`.
Result<ChosenRelease> choose_release(const std::string& value, const std::string& root);

}  // namespace sdh::cli
