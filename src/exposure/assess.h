// SPDX-License-Identifier: GPL-2.0-or-later
// The exposure score, as `systemd-analyze security --offline=yes` computes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "unit/settings.h"
#include "util/error.h"

namespace sdh::exposure {

// Our four bands: OK below 5.0, MEDIUM >=5.0, EXPOSED >=7.5, UNSAFE >=9.0.
enum class Band { ok, medium, exposed, unsafe };
std::string to_string(Band b);  // "OK", "MEDIUM", "EXPOSED", "UNSAFE"
Band band_for(int exposure_tenths);
// The finer label systemd-analyze prints: PERFECT 0.0, SAFE >=0.1, OK >=1.0,
// MEDIUM, EXPOSED, UNSAFE, DANGEROUS 10.0.
std::string systemd_label(int exposure_tenths);

// One assessor's verdict on a unit.
struct Item {
  std::string id;          // "PrivateDevices=", as systemd names it
  std::string json_field;  // "PrivateDevices"
  uint64_t weight = 0;
  uint64_t range = 0;
  uint64_t badness = 0;
  bool applicable = true;  // false: excluded (not counted in Σw)
  std::string description; // our own words for the verdict
  bool good() const { return applicable && badness == 0; }
  // This item's share of the overall exposure in tenths, as systemd-analyze's
  // JSON "exposure" column computes it; -1 when not applicable or zero.
  int exposure_tenths = -1;
  // ceil(badness * weight / range): this item's contribution to Σ.
  uint64_t contribution() const;
};

struct Assessment {
  std::string unit;
  std::vector<Item> items;   // in the table's order
  int exposure_tenths = 0;   // 0..100, shown as x.y
  Band band = Band::ok;
  std::string mode = "offline";  // which systemd-analyze mode this reproduces
  std::string exposure_text() const;  // "9.2"
};

// Per-assessor overrides, like systemd-analyze --security-policy.
struct PolicyOverride {
  std::string id;  // assessor id or json_field
  std::optional<uint64_t> weight;
  std::optional<uint64_t> range;
};
struct Policy {
  std::vector<PolicyOverride> overrides;
};
Result<Policy> policy_from_json(const std::string& text, const std::string& file);

// Scores a unit. Pure and allocation-light: the synthesiser calls it in loops.
Assessment assess(const unit::UnitSettings& settings, unit::SystemdVersion version,
                  const Policy* policy = nullptr);

// The "x.y" text of an exposure given in tenths.
std::string exposure_text(int exposure_tenths);

}  // namespace sdh::exposure
