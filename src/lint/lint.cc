// SPDX-License-Identifier: GPL-2.0-or-later
#include "lint/lint.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "lint/elf.h"
#include "lint/facts.h"

namespace sdh::lint {
namespace {

// The parser reports free text; classify it onto our syntax rules. Order
// matters: "unknown capability 'X'" is a bad value, not an unknown directive.
const char* syntax_rule_for(const unit::Diagnostic& d) {
  std::string m = d.message;
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  auto has = [&](const char* s) { return m.find(s) != std::string::npos; };
  if (has("unknown directive") || has("unknown section") || has("unknown key")) return kRuleUnknownDirective;
  if (has("section header") || has("missing '='") || has("missing key") || has("outside of any section") ||
      has("utf-8") || has("too long") || has("continuation") || has("refuses the whole file"))
    return kRuleSyntax;
  return kRuleInvalidValue;
}

// Reads and caches unit files so findings can show the offending line.
class LineSource {
 public:
  explicit LineSource(const FileSystem& fs) : fs_(fs) {}
  std::string line(const unit::Location& loc) {
    if (loc.line <= 0 || loc.file.empty()) return {};
    auto it = cache_.find(loc.file);
    if (it == cache_.end()) {
      auto text = fs_.read_file(loc.file);
      it = cache_.emplace(loc.file, text ? lines_of(*text) : std::vector<std::string>{}).first;
    }
    const auto& lines = it->second;
    if (static_cast<std::size_t>(loc.line) > lines.size()) return {};
    std::string l = lines[static_cast<std::size_t>(loc.line) - 1];
    if (l.size() > 300) l = l.substr(0, 300) + "...";
    return l;
  }

 private:
  const FileSystem& fs_;
  std::map<std::string, std::vector<std::string>> cache_;
};

}  // namespace

const char* severity_name(unit::Severity s) {
  switch (s) {
    case unit::Severity::note: return "note";
    case unit::Severity::warning: return "warning";
    case unit::Severity::error: return "error";
  }
  return "warning";
}

std::vector<Finding> lint_unit(const unit::LoadedUnit& unit, const FileSystem& fs, const LintOptions& options) {
  std::vector<Finding> findings;
  LineSource lines(fs);
  for (const auto& d : unit.diagnostics) {
    const Rule* rule = find_rule(syntax_rule_for(d));
    Finding f;
    f.rule_id = rule->id;
    f.severity = d.severity;
    f.location = d.location;
    f.message = d.message;
    f.reason = rule->reason;
    f.fix = d.hint.empty() ? rule->fix : d.hint;
    f.source_line = d.source_line.empty() ? lines.line(d.location) : d.source_line;
    findings.push_back(std::move(f));
  }
  std::size_t parser_count = findings.size();

  LintContext ctx{unit, fs, options.native_arch.empty() ? native_architecture() : options.native_arch};
  for (const auto& rule : rules()) {
    if (!rule.check) continue;
    std::vector<Hit> hits;
    rule.check(ctx, hits);
    for (auto& h : hits) {
      Finding f;
      f.rule_id = rule.id;
      f.severity = rule.severity;
      f.location = h.location;
      f.message = std::move(h.message);
      f.reason = rule.reason;
      f.fix = h.fix.empty() ? rule.fix : std::move(h.fix);
      f.source_line = lines.line(h.location);
      findings.push_back(std::move(f));
    }
  }
  auto key = [](const Finding& f) { return std::tie(f.location.file, f.location.line, f.rule_id); };
  std::stable_sort(findings.begin() + static_cast<std::ptrdiff_t>(parser_count), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  return findings;
}

unit::Severity worst_severity(const std::vector<Finding>& findings) {
  unit::Severity worst = unit::Severity::note;
  for (const auto& f : findings) {
    if (static_cast<int>(f.severity) > static_cast<int>(worst)) worst = f.severity;
  }
  return worst;
}

}  // namespace sdh::lint
