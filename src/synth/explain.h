// SPDX-License-Identifier: GPL-2.0-or-later
// A Markdown security posture of a unit (optionally with a drop-in and the
// profile's evidence): what is restricted, what is not and why, what was seen.
#pragma once

#include <optional>
#include <string>

#include "profile/profile.h"
#include "synth/synth.h"
#include "unit/loader.h"

namespace sdh::synth {

struct ExplainInput {
  const unit::LoadedUnit* unit = nullptr;       // with the drop-in applied, if any
  std::string dropin_path;                      // shown in the header, may be empty
  const profile::Profile* profile = nullptr;    // optional evidence
  const HardeningPlan* plan = nullptr;          // optional: why things stay unrestricted
  unit::SystemdVersion version;
};

// Needs the exposure scorer (sdh_exposure); fails without it.
Result<std::string> explain_markdown(const ExplainInput& in);

// The knowledge-base rule that governs an exposure item (json_field), if any.
std::optional<std::string> rule_for_assessor(const std::string& json_field);

}  // namespace sdh::synth
