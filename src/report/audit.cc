// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/audit.h"

#include <algorithm>
#include <tuple>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "report/sarif.h"
#include "unit/value_writer.h"
#include "report/text_table.h"

namespace sdh::report {

using nlohmann::json;


std::string tenths_text(int tenths) { return fmt::format("{}.{}", tenths / 10, tenths % 10); }

void sort_by_exposure(std::vector<AuditEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const AuditEntry& a, const AuditEntry& b) {
    return std::make_tuple(-a.assessment.exposure_tenths, a.scope, a.unit) <
           std::make_tuple(-b.assessment.exposure_tenths, b.scope, b.unit);
  });
}

AuditSummary summarize(const AuditReport& report) {
  AuditSummary s;
  s.total = static_cast<int>(report.entries.size());
  s.skipped = static_cast<int>(report.skipped.size());
  std::vector<int> values;
  for (const auto& e : report.entries) {
    ++s.per_band[static_cast<std::size_t>(e.assessment.band)];
    values.push_back(e.assessment.exposure_tenths);
    if (s.worst_unit.empty() || e.assessment.exposure_tenths > s.worst_tenths) {
      s.worst_unit = e.unit;
      s.worst_tenths = e.assessment.exposure_tenths;
    }
  }
  s.median_tenths = median_tenths(std::move(values));
  return s;
}

int median_tenths(std::vector<int> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2] + 1) / 2;
}

std::vector<std::string> top_contributors(const exposure::Assessment& a, std::size_t n) {
  std::vector<const exposure::Item*> items;
  for (const auto& i : a.items) {
    if (i.applicable && i.badness > 0 && i.weight > 0) items.push_back(&i);
  }
  std::stable_sort(items.begin(), items.end(), [](const exposure::Item* x, const exposure::Item* y) {
    return x->contribution() > y->contribution();
  });
  std::vector<std::string> out;
  for (std::size_t k = 0; k < items.size() && k < n; ++k) out.push_back(items[k]->id);
  return out;
}

namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

}  // namespace

std::string audit_table(const AuditReport& report) {
  TextTable table({{"UNIT", Align::left, 50},
                    {"SCOPE", Align::left, 6},
                    {"EXPOSURE", Align::right, 8},
                    {"BAND", Align::left, 7},
                    {"TOP CONTRIBUTORS", Align::left, 70}});
  for (const auto& e : report.entries) {
    table.add_row({e.unit, e.scope, tenths_text(e.assessment.exposure_tenths), exposure::to_string(e.assessment.band),
                   join(top_contributors(e.assessment, 3), " ")});
  }
  std::string out = table.render();
  auto s = summarize(report);
  out += fmt::format(
      "\n{} services scored (systemd {} tables, {} mode): {} UNSAFE, {} EXPOSED, {} MEDIUM, {} OK; "
      "median {}",
      s.total, report.systemd_version, report.entries.empty() ? "offline" : report.entries.front().assessment.mode,
      s.per_band[3], s.per_band[2], s.per_band[1], s.per_band[0], tenths_text(s.median_tenths));
  if (!s.worst_unit.empty()) out += fmt::format(", worst {} ({})", s.worst_unit, tenths_text(s.worst_tenths));
  out += "\n";
  if (!report.skipped.empty()) {
    out += fmt::format("{} skipped:\n", report.skipped.size());
    for (const auto& k : report.skipped)
      out += fmt::format("  {} ({}): {}{}\n", unit::escape_for_display(k.unit), k.scope, k.error ? "ERROR: " : "",
                         unit::escape_for_display(k.reason));
  }
  return out;
}

std::string audit_json(const AuditReport& report) {
  auto s = summarize(report);
  json units = json::array();
  for (const auto& e : report.entries) {
    json items = json::array();
    for (const auto& i : e.assessment.items) {
      items.push_back({{"id", i.id},
                       {"json_field", i.json_field},
                       {"weight", i.weight},
                       {"range", i.range},
                       {"badness", i.badness},
                       {"applicable", i.applicable},
                       {"contribution", i.applicable ? i.contribution() : 0},
                       {"description", i.description}});
    }
    // The same keys as `score --json` for the same facts (docs/json-output.md).
    units.push_back({{"unit", e.unit},
                     {"fragment_path", e.path},
                     {"scope", e.scope},
                     {"exposure", e.assessment.exposure_tenths / 10.0},
                     {"exposure_tenths", e.assessment.exposure_tenths},
                     {"band", exposure::to_string(e.assessment.band)},
                     {"systemd_label", exposure::systemd_label(e.assessment.exposure_tenths)},
                     {"mode", e.assessment.mode},
                     {"items", std::move(items)}});
  }
  json skipped = json::array();
  for (const auto& k : report.skipped)
    skipped.push_back({{"unit", k.unit}, {"scope", k.scope}, {"reason", k.reason}, {"error", k.error}});
  json doc = {{"version", 1},
              {"host", report.host},
              {"machine_id", report.machine_id},
              {"root", report.root.empty() ? "/" : report.root},
              {"systemd", report.systemd_version},
              {"generated_at", report.generated_at},
              {"summary",
               {{"services", s.total},
                {"skipped", s.skipped},
                {"bands", {{"UNSAFE", s.per_band[3]}, {"EXPOSED", s.per_band[2]}, {"MEDIUM", s.per_band[1]},
                           {"OK", s.per_band[0]}}},
                {"median", s.median_tenths / 10.0},
                {"worst", s.worst_unit.empty() ? json(nullptr)
                                               : json({{"unit", s.worst_unit}, {"exposure", s.worst_tenths / 10.0}})}}},
              {"units", std::move(units)},
              {"skipped", std::move(skipped)}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string audit_sarif(const AuditReport& report, const std::string& tool_version) {
  struct BandRule {
    exposure::Band band;
    const char* id;
    const char* level;
    const char* text;
    const char* security_severity;  // code scanning's 0.0-10.0: the band's lower bound
  };
  const BandRule kRules[] = {
      {exposure::Band::unsafe, "exposure-unsafe", "error", "Service exposure is UNSAFE (9.0 or more)", "9.0"},
      {exposure::Band::exposed, "exposure-exposed", "warning", "Service exposure is EXPOSED (7.5 to 8.9)", "7.5"},
      {exposure::Band::medium, "exposure-medium", "note", "Service exposure is MEDIUM (5.0 to 7.4)", "5.0"},
  };
  json rules = json::array();
  for (const auto& r : kRules) {
    rules.push_back({{"id", r.id},
                     {"shortDescription", {{"text", r.text}}},
                     {"help", {{"text", "Run 'sdharden score UNIT' for the items behind the score and "
                                        "'sdharden profile/propose' for a drop-in that lowers it."}}},
                     {"defaultConfiguration", {{"level", r.level}}},
                     {"properties", {{"security-severity", r.security_severity}, {"tags", {"security"}}}}});
  }
  json results = json::array();
  for (const auto& e : report.entries) {
    for (std::size_t k = 0; k < std::size(kRules); ++k) {
      if (kRules[k].band != e.assessment.band) continue;
      std::string msg = fmt::format("{} has exposure {} ({}); largest contributors: {}", e.unit,
                                    tenths_text(e.assessment.exposure_tenths), exposure::to_string(e.assessment.band),
                                    join(top_contributors(e.assessment, 5), ", "));
      results.push_back(
          {{"ruleId", kRules[k].id},
           {"ruleIndex", k},
           {"level", kRules[k].level},
           {"message", {{"text", msg}}},
           // Relative to the audited tree (--root), so the same unit has the
           // same location wherever the tree is mounted.
           {"locations",
            json::array({{{"physicalLocation",
                           {{"artifactLocation",
                             {{"uri", file_uri(e.path.substr(e.path.find_first_not_of('/') == std::string::npos
                                                                 ? e.path.size()
                                                                 : e.path.find_first_not_of('/')))},
                              {"uriBaseId", "ROOT"}}},
                            {"region", {{"startLine", 1}}}}}}})},
           // One result per unit and band: a CI system follows it across runs.
           {"partialFingerprints", {{"sdhardenUnit/v1", e.scope + ":" + e.unit + ":" + kRules[k].id}}},
           {"properties", {{"unit", e.unit}, {"scope", e.scope}, {"exposure", e.assessment.exposure_tenths / 10.0}}}});
    }
  }
  json run = {{"tool",
               {{"driver",
                 {{"name", "sdharden-audit"},
                  {"version", tool_version},
                  {"informationUri", kToolUri},
                  {"rules", std::move(rules)}}}}},
              {"originalUriBaseIds",
               {{"ROOT", {{"uri", file_uri(report.root.empty() ? "/" : report.root + "/")},
                          {"description", {{"text", "the root of the audited tree (--root)"}}}}}}},
              {"results", std::move(results)}};
  // Units that could not be scored make the run unsuccessful: a code
  // scanner must not read "no results" as "nothing exposed".
  json notifications = json::array();
  for (const auto& s : report.skipped)
    if (s.error)
      notifications.push_back({{"level", "error"},
                               {"message", {{"text", s.unit + " (" + s.scope + "): " + s.reason}}}});
  run["invocations"] = json::array({{{"executionSuccessful", notifications.empty()},
                                     {"toolExecutionNotifications", std::move(notifications)}}});
  json doc = {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace sdh::report
