// SPDX-License-Identifier: GPL-2.0-or-later
// Drop-in text and JSON for a HardeningPlan.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "synth/evidence.h"
#include "synth/synth.h"

#include "synth/host_changes.h"
#include "unit/assign.h"
#include "unit/parser.h"
#include "unit/value_writer.h"

namespace sdh::synth {

namespace {

std::string tenths(int t) { return t < 0 ? "?" : fmt::format("{}.{}", t / 10, t % 10); }

// Comments must stay single lines, and what they quote (paths, program
// names, the unit's name) may come from the traced daemon or an OS image.
std::string one_line(const std::string& s) { return unit::escape_for_display(s); }

}  // namespace

std::string render_dropin(const HardeningPlan& plan) {
  std::string out;
  out += fmt::format("# Hardening drop-in for {}, proposed by sdharden from observed behaviour.\n", one_line(plan.unit));
  out += fmt::format("# Evidence: {} run{}, {} events, {} lost.\n", plan.runs, plan.runs == 1 ? "" : "s",
                     thousands(plan.events), thousands(plan.lost_events));
  out += fmt::format("# Predicted exposure (systemd-analyze security --offline=yes, systemd {}): {} -> {}\n",
                     plan.systemd_version, tenths(plan.exposure_before_tenths), tenths(plan.exposure_after_tenths));
  out += fmt::format(
      "# System calls observed: {} (start-up {}, serving {}); a filter applied after start-up would need {}.\n",
      plan.syscalls.observed_all, plan.syscalls.observed_startup, plan.syscalls.observed_serving,
      plan.syscalls.observed_serving);
  for (const auto& change : plan.host_changes) out += kHostChangePrefix + one_line(change) + "\n";
  if (plan.syscalls.emitted > 0) {
    out += fmt::format("# SystemCallFilter= below allows {} system calls", plan.syscalls.emitted);
    if (plan.syscalls.emitted_serving > 0) {
      out += fmt::format("; one built from the serving phase alone would allow {}", plan.syscalls.emitted_serving);
    }
    out += ".\n";
  }
  if (plan.containment) {
    const auto& c = *plan.containment;
    out += fmt::format("# Containment battery (verified run): {} of {} attempts possible without this drop-in, {} with it.\n",
                       c.possible_baseline, c.attempts, c.possible_hardened);
    if (!c.still_possible.empty()) {
      std::string list;
      for (const auto& s : c.still_possible) list += (list.empty() ? "" : "; ") + s;
      out += "# Still possible inside: " + one_line(list) + ".\n";
    }
  }
  for (const auto& w : plan.warnings) out += "# WARNING: " + one_line(w) + "\n";
  std::string section;
  for (const auto& d : plan.directives) {
    if (d.section != section) {
      out += "\n[" + d.section + "]\n";
      section = d.section;
    }
    out += "# " + one_line(d.justification) + "\n";
    for (const auto& v : d.values) out += d.key + "=" + v + "\n";
  }
  if (plan.directives.empty()) out += "\n# No directive could be added without forbidding observed behaviour.\n";
  if (!plan.not_set.empty()) {
    out += "\n# Not set, and the observation that forbids it:\n";
    for (const auto& n : plan.not_set) out += "#   " + one_line(n.directive) + ": " + one_line(n.reason) + "\n";
  }
  if (plan.beyond_dropin && plan.exposure_before_tenths >= 0) {
    const auto& b = *plan.beyond_dropin;
    out += fmt::format("\n# Beyond this drop-in: {}, the service would score {} -> {} (this drop-in: {}).\n",
                       b.change, tenths(plan.exposure_before_tenths), tenths(b.exposure_tenths),
                       tenths(plan.exposure_after_tenths));
    out += "# That takes a change to the daemon's configuration or packaging that removes:\n";
    for (const auto& why : b.blockers) out += "#   - " + one_line(why) + "\n";
  }
  if (!plan.not_counted.empty()) {
    out += "\n# Traced but not counted (they do not run inside this sandbox):\n";
    for (const auto& [exe, why] : plan.not_counted) out += "#   " + one_line(exe) + ": " + one_line(why) + "\n";
  }
  if (!plan.relaxed.empty()) {
    out += "\n# Relaxed after verification:\n";
    for (const auto& r : plan.relaxed) {
      out += fmt::format("#   {}{}: {} -> {}: {}\n", r.kind.empty() ? "" : "[" + one_line(r.kind) + "] ", one_line(r.directive),
                         r.from.empty() ? "(unset)" : one_line(r.from), r.to.empty() ? "(removed)" : one_line(r.to),
                         one_line(r.reason));
    }
  }
  return out;
}

Result<void> check_reads_back(const HardeningPlan& plan) {
  std::string text = render_dropin(plan);
  std::vector<unit::Diagnostic> diagnostics;
  unit::ParsedFile parsed = unit::parse_unit_file(text, "drop-in", diagnostics);
  auto refuse = [&](const std::string& why) {
    return fail("the drop-in for " + unit::escape_for_display(plan.unit) + " would not read back as planned: " + why);
  };
  if (parsed.fatal) return refuse("systemd would refuse the file");
  size_t i = 0;
  for (const auto& d : plan.directives) {
    for (const auto& v : d.values) {
      if (unit::has_control_character(v) || !unit::valid_utf8(v))
        return refuse(d.key + "= holds a control character or bytes that are not UTF-8");
      if (i >= parsed.assignments.size()) return refuse(d.key + "= is missing");
      const auto& a = parsed.assignments[i++];
      if (a.section != d.section || a.key != d.key || a.value != v)
        return refuse("[" + d.section + "] " + d.key + "=" + unit::escape_for_display(v) + " reads back as [" +
                      a.section + "] " + a.key + "=" + unit::escape_for_display(a.value));
    }
  }
  if (i != parsed.assignments.size())
    return refuse("it holds " + parsed.assignments[i].key + "=, which is not planned");
  return {};
}

std::string plan_to_json(const HardeningPlan& plan) {
  using nlohmann::json;
  json directives = json::array();
  for (const auto& d : plan.directives) {
    directives.push_back({{"section", d.section}, {"key", d.key}, {"values", d.values},
                          {"justification", d.justification}, {"rule", d.rule}});
  }
  json not_set = json::array();
  for (const auto& n : plan.not_set) {
    not_set.push_back({{"directive", n.directive}, {"reason", n.reason}, {"rule", n.rule}});
  }
  json relaxed = json::array();
  for (const auto& r : plan.relaxed) {
    relaxed.push_back(
        {{"directive", r.directive}, {"kind", r.kind}, {"from", r.from}, {"to", r.to}, {"reason", r.reason}});
  }
  auto score = [](int t) { return t < 0 ? json(nullptr) : json(t / 10.0); };
  json j = {
      {"schema_version", 1},  // docs/json-output.md
      {"unit", plan.unit},
      {"systemd", plan.systemd_version},
      {"exposure_before", score(plan.exposure_before_tenths)},
      {"exposure_after", score(plan.exposure_after_tenths)},
      {"evidence", {{"runs", plan.runs}, {"events", plan.events}, {"lost_events", plan.lost_events}}},
      {"syscalls",
       {{"observed", plan.syscalls.observed_all},
        {"observed_startup", plan.syscalls.observed_startup},
        {"observed_serving", plan.syscalls.observed_serving},
        {"allowed", plan.syscalls.emitted},
        {"allowed_serving", plan.syscalls.emitted_serving}}},
      {"warnings", plan.warnings},
      {"directives", directives},
      {"not_set", not_set},
      {"relaxed", relaxed},
      {"host_changes", plan.host_changes},
      {"beyond_dropin", plan.beyond_dropin ? json{{"change", plan.beyond_dropin->change},
                                                  {"user", plan.beyond_dropin->user},
                                                  {"blockers", plan.beyond_dropin->blockers},
                                                  {"exposure", score(plan.beyond_dropin->exposure_tenths)}}
                                           : json(nullptr)},
      {"dropin", render_dropin(plan)},
  };
  return j.dump(2) + "\n";
}

}  // namespace sdh::synth
