// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/verdict.h"

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sdh::verify {

nlohmann::ordered_json containment_json(const Containment& c);

std::string containment_to_json(const Containment& c) { return containment_json(c).dump(2); }

std::string to_string(ItemStatus s) {
  switch (s) {
    case ItemStatus::passed: return "passed";
    case ItemStatus::failed: return "failed";
    case ItemStatus::inconclusive: return "inconclusive";
    case ItemStatus::skipped: return "skipped";
  }
  return "?";
}

std::string to_string(Stage s) {
  switch (s) {
    case Stage::baseline: return "baseline";
    case Stage::hardened: return "hardened";
    case Stage::directive: return "directive";
    case Stage::negative_control: return "negative-control";
    case Stage::fallback: return "silent-fallback";
    case Stage::sessions: return "login-sessions";
  }
  return "?";
}

int Verdict::failed_count() const {
  int n = 0;
  for (const auto& i : items) n += i.status == ItemStatus::failed;
  return n;
}

std::string verdict_to_json(const Verdict& v) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;  // docs/json-output.md
  j["unit"] = v.unit;
  j["host"] = v.host;
  if (!v.environment.empty()) j["environment"] = v.environment;
  j["check"] = v.check;
  j["verified"] = v.verified;
  if (!v.error.empty()) j["error"] = v.error;
  j["seconds"] = v.seconds;
  j["items"] = nlohmann::ordered_json::array();
  for (const auto& i : v.items) {
    nlohmann::ordered_json it;
    it["stage"] = to_string(i.stage);
    it["name"] = i.name;
    it["status"] = to_string(i.status);
    it["detail"] = i.detail;
    j["items"].push_back(it);
  }
  j["containment"] = containment_json(v.containment);
  return j.dump(2) + "\n";
}

nlohmann::ordered_json containment_json(const Containment& c) {
  nlohmann::ordered_json j;
  j["ran"] = c.ran;
  if (!c.note.empty()) j["note"] = c.note;
  if (!c.ran) return j;
  j["possible_baseline"] = c.possible_baseline();
  j["possible_hardened"] = c.possible_hardened();
  j["attempts"] = c.rows.size();
  auto& classes = j["classes"] = nlohmann::ordered_json::object();
  for (const auto& [k, counts] : c.per_class()) classes[k] = {{"baseline", counts.first}, {"hardened", counts.second}};
  auto opt = [](const std::optional<Attempt>& a) { return a ? nlohmann::ordered_json(to_string(*a)) : nullptr; };
  j["rows"] = nlohmann::ordered_json::array();
  for (const auto& r : c.rows)
    j["rows"].push_back({{"id", r.id}, {"class", r.klass}, {"tries", r.tries}, {"baseline", opt(r.baseline)},
                         {"hardened", opt(r.hardened)}, {"detail", r.detail}});
  return j;
}

std::string containment_to_text(const Containment& c) {
  if (!c.ran) return "containment battery: not run (" + c.note + ")\n";
  std::string out = fmt::format("containment battery: {} of {} attempts possible without the drop-in, {} with it\n",
                                c.possible_baseline(), c.rows.size(), c.possible_hardened());
  std::string classes;
  const auto per_class = c.per_class();
  for (const auto& k : battery_classes()) {
    auto counts = per_class.at(k);
    classes += fmt::format("{}{} {}->{}", classes.empty() ? "" : ", ", k, counts.first, counts.second);
  }
  out += "  per class (baseline->hardened): " + classes + "\n";
  auto still = c.still_possible();
  if (!still.empty()) out += fmt::format("  still possible inside: {}\n", fmt::join(still, "; "));
  return out;
}

std::string verdict_to_text(const Verdict& v) {
  std::string out = fmt::format("verify {} ({}), check: {}\n", v.unit, v.host, v.check);
  if (!v.environment.empty()) out += "  " + v.environment + "\n";
  for (const auto& i : v.items) {
    const char* mark = i.status == ItemStatus::passed ? "PASS"
                       : i.status == ItemStatus::failed ? "FAIL"
                       : i.status == ItemStatus::inconclusive ? "----" : "skip";
    std::string detail = i.detail;
    if (detail.size() > 300) detail = detail.substr(0, 300) + "…";
    for (auto& c : detail)
      if (c == '\n') c = ';';
    out += fmt::format("  {} {:<17} {}{}\n", mark, to_string(i.stage), i.name,
                       detail.empty() ? "" : "  (" + detail + ")");
  }
  if (!v.error.empty()) out += "error: " + v.error + "\n";
  else out += containment_to_text(v.containment);
  out += fmt::format("{} in {:.1f} s: {}\n", v.verified ? "VERIFIED" : "NOT VERIFIED", v.seconds,
                     v.verified ? "the service works under the drop-in and its restrictions hold"
                                : fmt::format("{} item(s) failed", v.failed_count()));
  return out;
}

}  // namespace sdh::verify
