// SPDX-License-Identifier: GPL-2.0-or-later
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/audit.h"
#include "report/audit_html.h"
#include "report/fleet.h"
#include "report/gate.h"
#include "report/lint_report.h"
#include "report/sarif.h"
#include "report/text_table.h"

namespace sdh::report {
namespace {

using nlohmann::json;

exposure::Assessment assessment(const std::string& unit, int tenths) {
  exposure::Assessment a;
  a.unit = unit;
  a.exposure_tenths = tenths;
  a.band = exposure::band_for(tenths);
  exposure::Item big{"PrivateNetwork=", "PrivateNetwork", 500, 1, 1, true, "no private network"};
  exposure::Item small{"ProtectClock=", "ProtectClock", 50, 1, 1, true, "clock writable"};
  exposure::Item zero{"NoNewPrivileges=", "NoNewPrivileges", 1000, 1, 0, true, "set"};
  a.items = {small, zero, big};
  return a;
}

AuditReport sample_report() {
  AuditReport r;
  r.host = "test<host>";
  r.systemd_version = "252";
  r.generated_at = "2026-01-01T00:00:00Z";
  for (auto [name, t] : std::vector<std::pair<std::string, int>>{
           {"b.service", 55}, {"a.service", 96}, {"c.service", 12}, {"d.service", 96}, {"e.service", 80}}) {
    r.entries.push_back({name, "/lib/systemd/system/" + name, "system", assessment(name, t)});
  }
  r.skipped.push_back({"x@.service", "system", "template without an enabled instance"});
  return r;
}

TEST(TextTable, PadsAndAlignsColumns) {
  TextTable t({{"NAME", Align::left, 60}, {"N", Align::right, 60}});
  t.add_row({"alpha", "7"});
  t.add_row({"b", "123"});
  std::string out = t.render();
  EXPECT_NE(out.find("NAME     N\n"), std::string::npos) << out;
  EXPECT_NE(out.find("alpha    7\n"), std::string::npos) << out;
  EXPECT_NE(out.find("b      123\n"), std::string::npos) << out;
  TextTable narrow({{"X", Align::left, 5}});
  narrow.add_row({"abcdefghij"});
  EXPECT_NE(narrow.render().find("abcd…"), std::string::npos);
}

TEST(Audit, SortsWorstFirstWithStableTies) {
  auto r = sample_report();
  sort_by_exposure(r.entries);
  std::vector<std::string> order;
  for (const auto& e : r.entries) order.push_back(e.unit);
  EXPECT_EQ(order, (std::vector<std::string>{"a.service", "d.service", "e.service", "b.service", "c.service"}));
}

TEST(Audit, SummaryCountsBandsMedianAndWorst) {
  auto r = sample_report();
  auto s = summarize(r);
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.per_band[static_cast<int>(exposure::Band::unsafe)], 2);
  EXPECT_EQ(s.per_band[static_cast<int>(exposure::Band::exposed)], 1);
  EXPECT_EQ(s.per_band[static_cast<int>(exposure::Band::medium)], 1);
  EXPECT_EQ(s.per_band[static_cast<int>(exposure::Band::ok)], 1);
  EXPECT_EQ(s.median_tenths, 80);
  EXPECT_EQ(s.worst_tenths, 96);
  r.entries.pop_back();  // even count: 12 55 96 96 -> (55+96)/2 rounded up
  EXPECT_EQ(summarize(r).median_tenths, 76);
}

TEST(Audit, TopContributorsSkipZeroBadness) {
  auto top = top_contributors(assessment("a", 50), 5);
  EXPECT_EQ(top, (std::vector<std::string>{"PrivateNetwork=", "ProtectClock="}));
}

TEST(Audit, TableAndJsonCarryEveryUnit) {
  auto r = sample_report();
  sort_by_exposure(r.entries);
  std::string table = audit_table(r);
  EXPECT_LT(table.find("a.service"), table.find("c.service"));
  EXPECT_NE(table.find("2 UNSAFE, 1 EXPOSED, 1 MEDIUM, 1 OK"), std::string::npos) << table;
  EXPECT_NE(table.find("x@.service"), std::string::npos);
  auto doc = json::parse(audit_json(r));
  EXPECT_EQ(doc["units"].size(), 5u);
  EXPECT_EQ(doc["units"][0]["exposure_tenths"], 96);
  EXPECT_EQ(doc["units"][0]["band"], "UNSAFE");
  EXPECT_EQ(doc["units"][0]["items"].size(), 3u);
  EXPECT_EQ(doc["summary"]["bands"]["OK"], 1);
  EXPECT_DOUBLE_EQ(doc["summary"]["median"].get<double>(), 8.0);
  EXPECT_EQ(doc["skipped"][0]["unit"], "x@.service");
}

TEST(Audit, SarifHasResultsForMediumAndWorse) {
  auto doc = json::parse(audit_sarif(sample_report(), "0.1.0"));
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["results"].size(), 4u);  // the OK unit is not a result
  for (const auto& res : run["results"]) {
    auto idx = res["ruleIndex"].get<std::size_t>();
    EXPECT_EQ(run["tool"]["driver"]["rules"][idx]["id"], res["ruleId"]);
    // Relative to the audited tree, with a fingerprint per unit and band.
    const auto& where = res["locations"][0]["physicalLocation"]["artifactLocation"];
    EXPECT_EQ(where["uri"].get<std::string>().rfind("lib/systemd/system/", 0), 0u) << where;
    EXPECT_EQ(where["uriBaseId"], "ROOT");
    EXPECT_EQ(res["partialFingerprints"]["sdhardenUnit/v1"].get<std::string>().rfind("system:", 0), 0u);
  }
  EXPECT_EQ(run["originalUriBaseIds"]["ROOT"]["uri"], "file:///");
  auto under = sample_report();
  under.root = "/srv/img";
  auto u = json::parse(audit_sarif(under, "0.1.0"));
  EXPECT_EQ(u["runs"][0]["originalUriBaseIds"]["ROOT"]["uri"], "file:///srv/img/");
}

TEST(Gate, BaselineFailsOnlyWhatGotWorseOrIsNewAboveTheThreshold) {
  auto b = baseline_from_json(R"([{"unit": "a.service", "exposure_tenths": 50,
                                   "items": [{"id": "PrivateTmp=", "contribution": 0},
                                             {"id": "UMask=", "contribution": 50}]},
                                  {"unit": "b.service", "exposure_tenths": 90},
                                  {"unit": "gone.service", "exposure_tenths": 10}])", "base.json");
  ASSERT_TRUE(b.has_value()) << b.error().to_string();
  std::vector<Scored> now{{"a.service", 51, {{"PrivateTmp=", 1000}, {"UMask=", 50}}},
                          {"b.service", 20, {}},
                          {"new-low.service", 30, {}},
                          {"new-high.service", 96, {}}};
  auto r = run_gate(now, &*b, 80);
  EXPECT_TRUE(r.failed);
  ASSERT_EQ(r.changes.size(), 5u);
  EXPECT_TRUE(r.changes[0].fails);
  EXPECT_TRUE(r.changes[1].fails);
  EXPECT_FALSE(r.changes[2].fails);
  std::string text = gate_text(r, &*b, 80);
  EXPECT_NE(text.find("FAIL worse   a.service 5.0 -> 5.1"), std::string::npos) << text;
  // ...and the assessor behind it, not the unchanged one.
  ASSERT_EQ(r.changes[0].items.size(), 1u);
  EXPECT_EQ(r.changes[0].items[0], "PrivateTmp= 0 -> 1000 points");
  EXPECT_NE(text.find("FAIL new     new-high.service 9.6 (above 8.0)"), std::string::npos) << text;
  EXPECT_NE(text.find("better  b.service 9.0 -> 2.0"), std::string::npos) << text;
  EXPECT_NE(text.find("gone    gone.service (was 1.0)"), std::string::npos) << text;
  EXPECT_NE(text.find("gate: FAILED: 2 of 4 units"), std::string::npos) << text;
  // Without a threshold a new unit never fails; nothing worse passes.
  auto ok = run_gate({{"a.service", 50}, {"new-high.service", 96}}, &*b, std::nullopt);
  EXPECT_FALSE(ok.failed);
  // Without a baseline, the threshold alone.
  auto t = run_gate(now, nullptr, 80);
  EXPECT_TRUE(t.failed);
  ASSERT_EQ(t.changes.size(), 1u);
  EXPECT_EQ(t.changes[0].unit, "new-high.service");
}

TEST(Gate, BaselineReadsScoreAndAuditJsonAndRefusesOthers) {
  auto audit = baseline_from_json(audit_json(sample_report()), "audit.json");
  ASSERT_TRUE(audit.has_value());
  EXPECT_EQ(audit->exposure_tenths.at("a.service"), 96);
  EXPECT_FALSE(baseline_from_json("{\"x\": 1}", "x.json").has_value());
  EXPECT_FALSE(baseline_from_json("[{\"unit\": \"a\"}]", "x.json").has_value());
  auto bad = baseline_from_json("[1", "broken.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find("broken.json"), std::string::npos);
}

TEST(Audit, HtmlIsSelfContainedWithHistogram) {
  auto r = sample_report();
  auto bins = exposure_histogram(r);
  EXPECT_EQ(bins[9], 2);
  EXPECT_EQ(bins[8], 1);
  EXPECT_EQ(bins[5], 1);
  EXPECT_EQ(bins[1], 1);
  std::string html = audit_html(r, "0.1.0");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("test<host>"), std::string::npos);  // escaped
  EXPECT_NE(html.find("test&lt;host&gt;"), std::string::npos);
  // Five data rows plus the header row.
  std::size_t rows = 0;
  for (std::size_t p = html.find("<tr>"); p != std::string::npos; p = html.find("<tr>", p + 1)) ++rows;
  EXPECT_EQ(rows, 6u);
}

lint::Finding finding(const std::string& rule, unit::Severity sev, int line) {
  lint::Finding f;
  f.rule_id = rule;
  f.severity = sev;
  f.location = {"/etc/systemd/system/a b.service", line, 0};
  f.message = "something is off";
  f.reason = "because";
  f.fix = "do this";
  f.source_line = "Key=value";
  return f;
}

TEST(Lint, TextIsCompilerLike) {
  std::vector<LintedUnit> units{{"a.service", "/x", {finding("dynamic-user-root", unit::Severity::warning, 4),
                                                       finding("syntax", unit::Severity::note, 0)}}};
  std::string out = lint_text(units);
  EXPECT_NE(out.find("/etc/systemd/system/a b.service:4:1: warning: something is off [dynamic-user-root]\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("     4 | Key=value\n"), std::string::npos) << out;
  EXPECT_NE(out.find("= fix: do this"), std::string::npos);
  EXPECT_NE(out.find("/etc/systemd/system/a b.service: note: something is off [syntax]"), std::string::npos);
  EXPECT_NE(out.find("0 errors, 1 warning, 1 note in 1 unit"), std::string::npos) << out;
  auto c = count_findings(units);
  EXPECT_EQ(c.warnings, 1);
  EXPECT_EQ(c.notes, 1);
}

TEST(Lint, JsonAndSarif) {
  std::vector<LintedUnit> units{{"a.service", "/x", {finding("dynamic-user-root", unit::Severity::error, 4)}}};
  auto j = json::parse(lint_json(units));
  EXPECT_EQ(j["units"][0]["findings"][0]["rule"], "dynamic-user-root");
  EXPECT_EQ(j["units"][0]["findings"][0]["line"], 4);
  EXPECT_EQ(j["units"][0]["findings"][0]["column"], 1);
  EXPECT_EQ(j["summary"]["errors"], 1);
  auto s = json::parse(lint_sarif(units, "0.1.0"));
  EXPECT_EQ(s["version"], "2.1.0");
  const auto& res = s["runs"][0]["results"][0];
  EXPECT_EQ(res["level"], "error");
  auto idx = res["ruleIndex"].get<std::size_t>();
  EXPECT_EQ(s["runs"][0]["tool"]["driver"]["rules"][idx]["id"], "dynamic-user-root");
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///etc/systemd/system/a%20b.service");
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
  EXPECT_FALSE(res["partialFingerprints"]["sdhardenFinding/v1"].get<std::string>().empty());
  // Below the checkout being linted: relative, against SRCROOT.
  auto rel = json::parse(lint_sarif(units, "0.1.0", "/etc/systemd"));
  const auto& loc = rel["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(loc["uri"], "system/a%20b.service");
  EXPECT_EQ(loc["uriBaseId"], "SRCROOT");
  EXPECT_EQ(rel["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///etc/systemd/");
}

TEST(Fleet, MergesHostsWorstFirstAndMarksWhatDiffers) {
  auto host = [](const std::string& name, std::vector<std::pair<std::string, int>> units) {
    AuditReport r;
    r.host = name;
    r.systemd_version = "252";
    for (auto& [u, t] : units) r.entries.push_back({u, "/lib/systemd/system/" + u, "system", assessment(u, t)});
    return audit_json(r);
  };
  auto f = merge_audits({{"a.json", host("web1", {{"nginx.service", 96}, {"cron.service", 96}})},
                         {"b.json", host("web2", {{"nginx.service", 14}, {"cron.service", 96}})},
                         {"c.json", host("db1", {{"cron.service", 96}, {"mariadb.service", 80}})}});
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  ASSERT_EQ(f->hosts.size(), 3u);
  EXPECT_EQ(f->hosts[2].name, "db1");
  EXPECT_EQ(f->hosts[0].median_tenths, 96);
  ASSERT_EQ(f->services.size(), 3u);
  EXPECT_EQ(f->services[0].unit, "cron.service");  // 9.6, same on all three
  EXPECT_FALSE(f->services[0].differs);
  EXPECT_EQ(f->services[1].unit, "nginx.service");  // 9.6 on web1, 1.4 on web2, absent on db1
  EXPECT_TRUE(f->services[1].differs);
  EXPECT_EQ(f->services[1].exposure.at("web2"), 14);
  auto j = json::parse(fleet_json(*f));
  EXPECT_EQ(j["services"][1]["missing_on"], json::array({"db1"}));
  EXPECT_EQ(j["hosts"].size(), 3u);
  std::string html = fleet_html(*f, "0.1.0");
  EXPECT_NE(html.find("<th data-numeric>db1</th>"), std::string::npos);
  EXPECT_NE(html.find("absent"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // The same host twice is a mistake of the caller; so is a file that is no audit.
  EXPECT_FALSE(merge_audits({{"a.json", host("web1", {})}, {"b.json", host("web1", {})}}).has_value());
  auto bad = merge_audits({{"x.json", "[1, 2]"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find("x.json"), std::string::npos);
}

// Cloned VMs share a host name: hosts are told apart by machine id, shown
// with its first digits; the same machine twice is still refused.
TEST(Fleet, ClonesWithOneHostNameAreToldApartByMachineId) {
  auto host = [](const std::string& name, const std::string& id, int exposure) {
    AuditReport r;
    r.host = name;
    r.machine_id = id;
    r.systemd_version = "252";
    r.entries.push_back({"nginx.service", "/lib/systemd/system/nginx.service", "system", assessment("nginx.service", exposure)});
    return audit_json(r);
  };
  const std::string a(32, 'a'), b(32, 'b');
  auto f = merge_audits({{"1.json", host("web", a, 96)}, {"2.json", host("web", b, 14)}, {"3.json", host("db", a.substr(0, 31) + "c", 50)}});
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  ASSERT_EQ(f->hosts.size(), 3u);
  EXPECT_EQ(f->hosts[0].name, "web (aaaaaaaa)");
  EXPECT_EQ(f->hosts[1].name, "web (bbbbbbbb)");
  EXPECT_EQ(f->hosts[2].name, "db");
  EXPECT_EQ(f->services[0].exposure.at("web (bbbbbbbb)"), 14);
  EXPECT_EQ(json::parse(fleet_json(*f))["hosts"][1]["machine_id"], b);
  auto twice = merge_audits({{"1.json", host("web", a, 96)}, {"2.json", host("other", a, 96)}});
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().to_string().find("machine " + a), std::string::npos) << twice.error().to_string();
  // An id that is not one is refused, naming the file.
  auto bad = merge_audits({{"1.json", host("web", "../../etc", 96)}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find("machine_id"), std::string::npos) << bad.error().to_string();
}

TEST(Sarif, FileUriEncodes) {
  EXPECT_EQ(file_uri("/etc/a b%.service"), "file:///etc/a%20b%25.service");
  EXPECT_EQ(file_uri("rel/x.service"), "rel/x.service");
}

}  // namespace
}  // namespace sdh::report
