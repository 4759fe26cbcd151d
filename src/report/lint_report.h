// SPDX-License-Identifier: GPL-2.0-or-later
// Rendering lint findings: compiler-like text, JSON, SARIF 2.1.0.
#pragma once

#include <string>
#include <vector>

#include "lint/lint.h"

namespace sdh::report {

struct LintedUnit {
  std::string unit;  // name as given or loaded
  std::string path;  // fragment path
  std::vector<lint::Finding> findings;
};

struct LintCounts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};
LintCounts count_findings(const std::vector<LintedUnit>& units);

// "file:line:col: warning: message [rule]", the line, reason and fix.
// `rules` names whose rules were applied ("systemd 257 (installed)"), for the summary line.
std::string lint_text(const std::vector<LintedUnit>& units, bool color = false, const std::string& rules = "");
std::string lint_json(const std::vector<LintedUnit>& units);
// base_dir: files below it get URIs relative to it (uriBaseId SRCROOT,
// which is base_on_disk when the files were read below a --root).
std::string lint_sarif(const std::vector<LintedUnit>& units, const std::string& tool_version,
                       const std::string& base_dir = "", const std::string& base_on_disk = "");

}  // namespace sdh::report
