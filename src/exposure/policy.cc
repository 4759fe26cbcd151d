// SPDX-License-Identifier: GPL-2.0-or-later
#include <nlohmann/json.hpp>

#include "exposure/assess.h"

namespace sdh::exposure {

// The format of systemd-analyze --security-policy: an object keyed by an
// assessor's JSON field name, each value an object with optional unsigned
// "weight" and "range". Entries of other shapes are ignored, as systemd does.
Result<Policy> policy_from_json(const std::string& text, const std::string& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return fail(Error(std::string("invalid JSON: ") + e.what()).with_context("reading policy " + file));
  }
  if (!j.is_object()) return fail(Error("a policy must be a JSON object").with_context("reading policy " + file));
  Policy p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_object()) continue;
    PolicyOverride o;
    o.id = it.key();
    const auto& v = it.value();
    if (v.contains("weight") && v["weight"].is_number_unsigned()) o.weight = v["weight"].get<uint64_t>();
    if (v.contains("range") && v["range"].is_number_unsigned()) o.range = v["range"].get<uint64_t>();
    p.overrides.push_back(std::move(o));
  }
  return p;
}

}  // namespace sdh::exposure
