// SPDX-License-Identifier: GPL-2.0-or-later
#include "lint/lint.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>

#include "lint/elf.h"
#include "lint/facts.h"
#include "util/strings.h"

namespace sdh::lint {
namespace {

// The parser reports free text; classify it onto our syntax rules. Order
// matters: "unknown capability 'X'" is a bad value, not an unknown directive.
const char* syntax_rule_for(const unit::Diagnostic& d) {
  switch (d.kind) {
    case unit::DiagnosticKind::unknown_directive: return kRuleUnknownDirective;
    case unit::DiagnosticKind::syntax: return kRuleSyntax;
    case unit::DiagnosticKind::invalid_value: return kRuleInvalidValue;
  }
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

bool Waivers::waives(const std::string& rule, int line) const {
  if (whole_file.count(rule)) return true;
  auto it = at_line.find(line);
  return it != at_line.end() && it->second.count(rule);
}

Waivers waivers_in(const std::string& text) {
  static constexpr std::string_view kMarker = "sdharden: ignore=";
  Waivers w;
  std::set<std::string> pending;
  bool in_section = false;
  int number = 0;
  for (const auto& raw : split(text, '\n')) {
    ++number;
    std::string line = trim(raw);
    if (line.empty()) continue;
    if (line[0] == '#' || line[0] == ';') {
      if (auto at = line.find(kMarker); at != std::string::npos) {
        auto ids = words(line.substr(at + kMarker.size()));
        if (!ids.empty())
          for (const auto& id : split(ids.front(), ','))
            if (!id.empty()) pending.insert(id);
      }
      continue;
    }
    if (line[0] == '[' && !in_section) {
      w.whole_file.insert(pending.begin(), pending.end());
    } else if (!pending.empty()) {
      w.at_line[number].insert(pending.begin(), pending.end());
    }
    pending.clear();
    in_section = in_section || line[0] == '[';
  }
  return w;
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
  std::map<std::string, Waivers> waivers;
  for (const auto& file : unit::files_of(unit))
    if (auto text = fs.read_file(file)) waivers[file] = waivers_in(*text);
  std::erase_if(findings, [&](const Finding& f) {
    if (options.disabled.count(f.rule_id)) return true;
    auto w = waivers.find(f.location.file);
    return w != waivers.end() && w->second.waives(f.rule_id, f.location.line);
  });
  parser_count = std::min(parser_count, findings.size());
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
