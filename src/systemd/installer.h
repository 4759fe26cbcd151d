// SPDX-License-Identifier: GPL-2.0-or-later
// Installing a drop-in for real (`sdharden apply`): atomically (temp file,
// fsync, rename, fsync of the directory), with the previous state kept, and
// rolled back when the service or its check fails afterwards. Killed at any
// point, the unit's directory holds the old drop-in or the new one, never a
// partial file (temporary files are dot-files systemd does not read).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "util/error.h"

namespace sdh::systemd {

struct ApplyRequest {
  std::string unit;           // "nginx.service"
  std::string dropin_text;
  std::string check;          // shell command; empty: no check
  std::string root;           // "" for the live system; else an image/tree (no reload/restart)
  std::string dropin_name = "50-sdharden.conf";
};

struct ApplyReport {
  std::string path;             // the installed drop-in (inside root)
  std::string backup_path;      // where the previous state is kept
  bool had_previous = false;
  bool reloaded = false;        // daemon-reload + restart were done
  bool check_passed = false;
  bool rolled_back = false;
  std::vector<std::string> steps;  // what was done, in order, for the CLI to show
};

// Test hook: SDHARDEN_APPLY_KILL_AT=N sends SIGKILL to ourselves when step N
// starts (1: backup, 2: temp file written, 3: renamed, 4: reload, 5: check,
// 6: rollback); SDHARDEN_APPLY_KILL_AT is read once per call.
Result<ApplyReport> apply_dropin(const ApplyRequest& request);

}  // namespace sdh::systemd
