#include "verify/verdict.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace sdh::verify {

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
  j["unit"] = v.unit;
  j["host"] = v.host;
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
  return j.dump(2) + "\n";
}

std::string verdict_to_text(const Verdict& v) {
  std::string out = fmt::format("verify {} ({}), check: {}\n", v.unit, v.host, v.check);
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
  out += fmt::format("{} in {:.1f} s: {}\n", v.verified ? "VERIFIED" : "NOT VERIFIED", v.seconds,
                     v.verified ? "the service works under the drop-in and its restrictions hold"
                                : fmt::format("{} item(s) failed", v.failed_count()));
  return out;
}

}  // namespace sdh::verify
