// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/lint_report.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "report/sarif.h"
#include "unit/value_writer.h"

namespace sdh::report {

using nlohmann::json;

LintCounts count_findings(const std::vector<LintedUnit>& units) {
  LintCounts c;
  for (const auto& u : units) {
    for (const auto& f : u.findings) {
      switch (f.severity) {
        case unit::Severity::error: ++c.errors; break;
        case unit::Severity::warning: ++c.warnings; break;
        case unit::Severity::note: ++c.notes; break;
      }
    }
  }
  return c;
}

namespace {

std::string position(const unit::Location& l) {
  if (l.line <= 0) return l.file;
  return fmt::format("{}:{}:{}", l.file, l.line, l.column > 0 ? l.column : 1);
}

const char* sgr(unit::Severity s) {
  switch (s) {
    case unit::Severity::error: return "\033[1;31m";
    case unit::Severity::warning: return "\033[1;35m";
    case unit::Severity::note: return "\033[1;36m";
  }
  return "";
}

std::string plural(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

std::string lint_text(const std::vector<LintedUnit>& units, bool color, const std::string& rules) {
  std::string out;
  const char* bold = color ? "\033[1m" : "";
  const char* reset = color ? "\033[0m" : "";
  // What a unit file holds reaches the terminal escaped: an escape
  // sequence in a value must not recolour, retitle or clear it.
  auto shown = [](const std::string& s) { return unit::escape_for_display(s); };
  for (const auto& u : units) {
    for (const auto& f : u.findings) {
      out += fmt::format("{}{}:{} {}{}:{} {} [{}]\n", bold, shown(position(f.location)), reset,
                         color ? sgr(f.severity) : "", lint::severity_name(f.severity), reset, shown(f.message),
                         f.rule_id);
      if (!f.source_line.empty()) {
        out += fmt::format("  {:>4} | {}\n", f.location.line, shown(f.source_line));
      }
      if (!f.reason.empty()) out += fmt::format("       = why: {}\n", shown(f.reason));
      if (!f.fix.empty()) out += fmt::format("       = fix: {}\n", shown(f.fix));
    }
  }
  auto c = count_findings(units);
  out += fmt::format("{}, {}, {} in {}{}\n", plural(c.errors, "error"), plural(c.warnings, "warning"),
                     plural(c.notes, "note"), plural(static_cast<int>(units.size()), "unit"),
                     rules.empty() ? "" : " (rules of " + rules + ")");
  return out;
}

std::string lint_json(const std::vector<LintedUnit>& units) {
  json doc;
  doc["version"] = 1;
  json arr = json::array();
  for (const auto& u : units) {
    json ju;
    ju["unit"] = u.unit;
    ju["path"] = u.path;
    json fs = json::array();
    for (const auto& f : u.findings) {
      fs.push_back({{"rule", f.rule_id},
                    {"severity", lint::severity_name(f.severity)},
                    {"file", f.location.file},
                    {"line", f.location.line},
                    {"column", f.location.column > 0 ? f.location.column : (f.location.line > 0 ? 1 : 0)},
                    {"message", f.message},
                    {"reason", f.reason},
                    {"fix", f.fix},
                    {"source_line", f.source_line}});
    }
    ju["findings"] = std::move(fs);
    arr.push_back(std::move(ju));
  }
  doc["units"] = std::move(arr);
  auto c = count_findings(units);
  doc["summary"] = {{"errors", c.errors}, {"warnings", c.warnings}, {"notes", c.notes},
                    {"units", units.size()}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string lint_sarif(const std::vector<LintedUnit>& units, const std::string& tool_version,
                       const std::string& base_dir, const std::string& base_on_disk) {
  // Files below base_dir (the checkout a CI job lints) are named relative to
  // it, as code-scanning services expect; others keep their absolute URI.
  std::string base = base_dir;
  if (!base.empty() && base.back() != '/') base += '/';
  auto location = [&](const std::string& file) {
    if (!base.empty() && file.rfind(base, 0) == 0)
      return json{{"uri", file_uri(file.substr(base.size()))}, {"uriBaseId", "SRCROOT"}};
    return json{{"uri", file_uri(file)}};
  };
  json rules = json::array();
  std::vector<std::string> ids;
  for (const auto& r : lint::rules()) {
    ids.emplace_back(r.id);
    rules.push_back({{"id", r.id},
                     {"name", r.id},
                     {"shortDescription", {{"text", r.summary}}},
                     {"fullDescription", {{"text", r.reason}}},
                     {"help", {{"text", r.fix}}},
                     {"defaultConfiguration", {{"level", lint::severity_name(r.severity)}}},
                     // Code scanning ranks by security-severity (0.0-10.0).
                     {"properties",
                      {{"kind", lint::to_string(r.kind)},
                       {"tags", {"security"}},
                       {"security-severity", r.severity == unit::Severity::error     ? "7.0"
                                             : r.severity == unit::Severity::warning ? "5.0"
                                                                                      : "2.0"}}}});
  }
  json results = json::array();
  for (const auto& u : units) {
    for (const auto& f : u.findings) {
      json region = json::object();
      if (f.location.line > 0) {
        region["startLine"] = f.location.line;
        region["startColumn"] = f.location.column > 0 ? f.location.column : 1;
        if (!f.source_line.empty()) region["snippet"] = {{"text", f.source_line}};
      }
      json physical = {{"artifactLocation", location(f.location.file)}};
      if (!region.empty()) physical["region"] = region;
      json result = {{"ruleId", f.rule_id},
                     {"level", lint::severity_name(f.severity)},
                     {"message", {{"text", f.message + " Fix: " + f.fix}}},
                     {"locations", json::array({{{"physicalLocation", physical}}})},
                     // Stable across runs and line moves: rule, file, unit, the line's text.
                     {"partialFingerprints",
                      {{"sdhardenFinding/v1", f.rule_id + ":" + u.unit + ":" + f.source_line}}},
                     {"properties", {{"unit", u.unit}}}};
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] == f.rule_id) result["ruleIndex"] = i;
      }
      results.push_back(std::move(result));
    }
  }
  json run = {{"tool",
               {{"driver",
                 {{"name", "sdharden-lint"},
                  {"version", tool_version},
                  {"informationUri", kToolUri},
                  {"rules", std::move(rules)}}}}},
              {"results", std::move(results)}};
  std::string disk = base_on_disk.empty() ? base : base_on_disk;
  if (!disk.empty() && disk.back() != '/') disk += '/';
  if (!base.empty()) run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", file_uri(disk)}}}};
  json doc = {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace sdh::report
