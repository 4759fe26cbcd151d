// SPDX-License-Identifier: GPL-2.0-or-later
// Linting a loaded unit: runs every rule and turns the parser's diagnostics
// into findings, each with file:line, the reason and a suggested fix.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lint/rules.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::lint {

struct Finding {
  std::string rule_id;
  unit::Severity severity = unit::Severity::warning;
  unit::Location location;
  std::string message;
  std::string reason;
  std::string fix;
  std::string source_line;  // the offending line as written, when readable
};

struct LintOptions {
  std::string native_arch;  // empty: this machine's architecture
  std::set<std::string> disabled;  // rule ids never reported (--disable)
};

// Findings a unit file waives itself: a comment "# sdharden: ignore=RULE[,RULE...]"
// waives those rules on the next line that is not a comment, or in the whole
// file when it stands before the first section header.
struct Waivers {
  std::set<std::string> whole_file;
  std::map<int, std::set<std::string>> at_line;
  bool waives(const std::string& rule, int line) const;
};
Waivers waivers_in(const std::string& text);

// Findings sorted by file, line, rule id, without the disabled and waived ones. The parser's diagnostics come
// first in their own file order because they explain later surprises.
std::vector<Finding> lint_unit(const unit::LoadedUnit& unit, const FileSystem& fs,
                               const LintOptions& options = {});

// Highest severity among findings (note when empty).
unit::Severity worst_severity(const std::vector<Finding>& findings);

// Local names for severities so this module does not depend on how the unit
// module prints them.
const char* severity_name(unit::Severity s);

}  // namespace sdh::lint
