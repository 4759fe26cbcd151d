// SPDX-License-Identifier: GPL-2.0-or-later
// The rule table. Reasons and fixes are ours; the behaviour they describe is
// systemd 252's (checked against its documentation and source semantics).
#include "lint/rules.h"

#include <array>
#include <string_view>
#include <vector>

#include "lint/checks.h"

namespace sdh::lint {
namespace {

using unit::Severity;

constexpr std::array kParserRules = {
    // --- the parser's own diagnostics ---
    Rule{kRuleUnknownDirective, RuleKind::syntax, Severity::warning, "Unknown directive or section",
         "systemd ignores lines it does not know (with a warning in the journal), so the setting has no "
         "effect; often a typo or a directive from a newer systemd.",
         "Fix the spelling, or check that the systemd version in use supports the directive.", nullptr},
    Rule{kRuleInvalidValue, RuleKind::syntax, Severity::warning, "Invalid value",
         "systemd ignores an assignment whose value it cannot parse, keeping the previous value.",
         "Correct the value (see systemd.exec(5) for the accepted forms).", nullptr},
    Rule{kRuleSyntax, RuleKind::syntax, Severity::warning, "Malformed unit file line",
         "systemd skips lines it cannot read as KEY=VALUE inside a [Section].",
         "Fix the line: assignments need a section header above them and an '='.", nullptr},
};

}  // namespace

std::string to_string(RuleKind k) {
  switch (k) {
    case RuleKind::gotcha: return "gotcha";
    case RuleKind::contradiction: return "contradiction";
    case RuleKind::syntax: return "syntax";
  }
  return "unknown";
}

std::span<const Rule> rules() {
  static const std::vector<Rule> all = [] {
    const auto checked = checks::check_rules();
    std::vector<Rule> v(checked.begin(), checked.end());
    v.insert(v.end(), kParserRules.begin(), kParserRules.end());
    return v;
  }();
  return all;
}

const Rule* find_rule(const std::string& id) {
  for (const auto& r : rules()) {
    if (id == r.id) return &r;
  }
  return nullptr;
}

}  // namespace sdh::lint
