// SPDX-License-Identifier: GPL-2.0-or-later
// The lint rules as data: an id, a severity, why it matters and how to fix
// it, plus the predicate that finds it. Adding a rule is adding a row.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::lint {

// What a predicate sees: the loaded unit (assignments with their locations
// and the effective settings) and the file system the unit came from, for
// reading ELF headers and NSS/PAM configuration.
struct LintContext {
  const unit::LoadedUnit& unit;
  const FileSystem& fs;
  std::string native_arch;  // what SystemCallArchitectures=native means
};

// One place where a rule fires; the rule supplies reason and default fix.
struct Hit {
  unit::Location location;
  std::string message;  // specific to this unit ("ExecStart= runs /usr/bin/java ...")
  std::string fix;      // overrides the rule's fix when not empty
};

using CheckFn = void (*)(const LintContext&, std::vector<Hit>&);

enum class RuleKind { gotcha, contradiction, syntax };
std::string to_string(RuleKind k);

struct Rule {
  const char* id;            // stable, kebab-case: shown as [id], SARIF ruleId
  RuleKind kind;
  unit::Severity severity;
  const char* summary;       // one line
  const char* reason;        // why this breaks or misleads
  const char* fix;           // what to do instead
  CheckFn check;             // nullptr for rules fed by the parser's diagnostics
};

// Every rule, in a stable order.
std::span<const Rule> rules();
const Rule* find_rule(const std::string& id);

// Rule ids for the parser's own diagnostics.
inline constexpr const char* kRuleUnknownDirective = "unknown-directive";
inline constexpr const char* kRuleInvalidValue = "invalid-value";
inline constexpr const char* kRuleSyntax = "syntax";

}  // namespace sdh::lint
