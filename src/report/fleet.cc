// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/fleet.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "exposure/assess.h"
#include "report/audit.h"
#include "report/audit_html.h"
#include "util/json_reader.h"

namespace sdh::report {

using nlohmann::json;

namespace {

struct AuditUnit {
  std::string unit, scope = "system", fragment_path;
  int exposure_tenths = 0;
};

// One audit document, read against its schema (docs/json-output.md): every
// member it uses has the documented type, or the file is refused naming it.
Result<FleetHost> read_audit(const std::string& file, const std::string& text, std::vector<AuditUnit>& units) {
  return json_in::read(text, file, [&](json_in::Node& doc) {
    if (!doc.has("units")) doc.refuse("not the output of `sdharden audit --format json` (no \"units\")");
    FleetHost h;
    h.file = file;
    doc.get("host", h.name);
    doc.get("machine_id", h.machine_id);
    if (!h.machine_id.empty() &&
        (h.machine_id.size() != 32 || h.machine_id.find_first_not_of("0123456789abcdef") != std::string::npos))
      doc.member("machine_id").refuse("not 32 lowercase hex digits");
    if (h.name.empty()) h.name = file.substr(file.rfind('/') + 1);
    doc.get("systemd", h.systemd);
    doc.get("generated_at", h.generated_at);
    size_t skipped = 0;
    doc.each("skipped", [&](json_in::Node k) {
      k.expect_object();
      std::string reason;
      k.get("reason", reason);
      ++skipped;
    });
    h.skipped = static_cast<int>(skipped);
    doc.each("units", [&](json_in::Node u) {
      u.expect_object();
      AuditUnit a;
      u.member("unit").to(a.unit);
      u.member("exposure_tenths").to(a.exposure_tenths);
      if (a.exposure_tenths < 0 || a.exposure_tenths > 100) u.member("exposure_tenths").refuse("not between 0 and 100");
      u.get("scope", a.scope);
      u.get("fragment_path", a.fragment_path);
      units.push_back(std::move(a));
    });
    return h;
  });
}

}  // namespace

Result<Fleet> merge_audits(const std::vector<std::pair<std::string, std::string>>& files_and_texts) {
  Fleet f;
  std::vector<std::vector<AuditUnit>> units_of;
  for (const auto& input : files_and_texts) {
    const std::string& file = input.first;
    std::vector<AuditUnit> units;
    auto read = read_audit(file, input.second, units);
    if (!read) return fail(std::move(read.error()).with_context("reading audit"));
    FleetHost h = std::move(*read);
    for (const auto& other : f.hosts) {
      bool same = !h.machine_id.empty() && !other.machine_id.empty()
                      ? h.machine_id == other.machine_id
                      : h.name == other.name;
      if (same)
        return fail(Error((h.machine_id.empty() ? "host " + h.name : "machine " + h.machine_id + " (" + h.name + ")") +
                          " is already in " + other.file)
                        .with_context("reading audit " + file));
    }
    f.hosts.push_back(std::move(h));
    units_of.push_back(std::move(units));
  }
  // Clones share a host name: each is shown with its machine id's start.
  std::map<std::string, int> named;
  for (const auto& h : f.hosts) ++named[h.name];
  for (auto& h : f.hosts)
    if (named[h.name] > 1) h.name += " (" + h.machine_id.substr(0, 8) + ")";
  std::map<std::string, FleetService> by_unit;
  for (size_t i = 0; i < f.hosts.size(); ++i) {
    FleetHost& h = f.hosts[i];
    std::vector<int> all;
    for (const auto& u : units_of[i]) {
      std::string unit = u.scope == "user" ? u.unit + " (user)" : u.unit;
      auto& s = by_unit[unit];
      s.unit = unit;
      s.exposure[h.name] = u.exposure_tenths;
      s.path[h.name] = u.fragment_path;
      all.push_back(u.exposure_tenths);
    }
    h.services = static_cast<int>(all.size());
    h.median_tenths = median_tenths(std::move(all));
  }
  for (auto& [unit, s] : by_unit) {
    std::set<int> values;
    for (const auto& [host, t] : s.exposure) values.insert(t), s.worst_tenths = std::max(s.worst_tenths, t);
    s.differs = values.size() > 1 || s.exposure.size() != f.hosts.size();
    f.services.push_back(std::move(s));
  }
  std::stable_sort(f.services.begin(), f.services.end(), [](const FleetService& a, const FleetService& b) {
    return a.worst_tenths > b.worst_tenths;
  });
  return f;
}

std::string fleet_json(const Fleet& fleet) {
  json hosts = json::array();
  for (const auto& h : fleet.hosts)
    hosts.push_back({{"host", h.name},
                     {"machine_id", h.machine_id},
                     {"file", h.file},
                     {"systemd", h.systemd},
                     {"generated_at", h.generated_at},
                     {"services", h.services},
                     {"skipped", h.skipped},
                     {"median", h.median_tenths / 10.0}});
  json services = json::array();
  for (const auto& s : fleet.services) {
    json per_host = json::object();
    for (const auto& [host, t] : s.exposure)
      per_host[host] = {{"exposure", t / 10.0}, {"exposure_tenths", t}, {"fragment_path", s.path.at(host)}};
    json missing = json::array();
    for (const auto& h : fleet.hosts)
      if (!s.exposure.count(h.name)) missing.push_back(h.name);
    services.push_back({{"unit", s.unit},
                        {"worst", s.worst_tenths / 10.0},
                        {"worst_tenths", s.worst_tenths},
                        {"band", exposure::to_string(exposure::band_for(s.worst_tenths))},
                        {"differs", s.differs},
                        {"hosts", std::move(per_host)},
                        {"missing_on", std::move(missing)}});
  }
  json doc = {{"version", 1}, {"hosts", std::move(hosts)}, {"services", std::move(services)}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string fleet_html(const Fleet& fleet, const std::string& tool_version) {
  int differing = static_cast<int>(
      std::count_if(fleet.services.begin(), fleet.services.end(), [](const FleetService& s) { return s.differs; }));
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<title>sdharden fleet: {} hosts</title>\n", fleet.hosts.size());
  h += fmt::format("<style>{}\ntd.differs {{ background: #fff4e0; }} td.absent {{ color: #aaa; }}</style>\n</head><body>\n",
                   html_style());
  h += fmt::format("<h1>Service exposure across {} hosts</h1>\n", fleet.hosts.size());
  h += fmt::format("<p class=\"meta\">{} services, {} not the same on every host; sdharden {}</p>\n",
                   fleet.services.size(), differing, html_escape(tool_version));
  h += "<div class=\"cards\">\n";
  for (const auto& host : fleet.hosts)
    h += fmt::format(
        "<div class=\"card host\"><b>{}</b>{} services, median {}<br><span class=\"path\">systemd {}, {}</span></div>\n",
        html_escape(host.name), host.services, tenths_text(host.median_tenths), html_escape(host.systemd),
        html_escape(host.generated_at));
  h += "</div>\n<table class=\"sortable\" id=\"services\">\n<thead><tr><th>service</th><th data-numeric>worst</th>";
  for (const auto& host : fleet.hosts) h += fmt::format("<th data-numeric>{}</th>", html_escape(host.name));
  h += "<th>same everywhere</th></tr></thead>\n<tbody>\n";
  for (const auto& s : fleet.services) {
    auto band = exposure::band_for(s.worst_tenths);
    h += fmt::format("<tr{}><td>{}</td><td class=\"num\" data-sort=\"{}\"><span class=\"band\" "
                     "style=\"background:{}\">{}</span></td>",
                     s.differs ? " class=\"differs\"" : "", html_escape(s.unit), s.worst_tenths, band_color(band),
                     tenths_text(s.worst_tenths));
    for (const auto& host : fleet.hosts) {
      auto it = s.exposure.find(host.name);
      if (it == s.exposure.end()) {
        h += "<td class=\"num absent\" data-sort=\"-1\">absent</td>";
        continue;
      }
      h += fmt::format("<td class=\"num{}\" data-sort=\"{}\" title=\"{}\">{}</td>",
                       s.differs && it->second != s.worst_tenths ? " differs" : "", it->second,
                       html_escape(s.path.at(host.name)), tenths_text(it->second));
    }
    h += fmt::format("<td>{}</td></tr>\n", s.differs ? "no" : "yes");
  }
  h += fmt::format("</tbody></table>\n<script>{}</script>\n</body></html>\n", html_sort_script());
  return h;
}

}  // namespace sdh::report
