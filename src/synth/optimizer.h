// SPDX-License-Identifier: GPL-2.0-or-later
// Internal helpers shared by the optimiser, relax() and the renderer.
#pragma once

#include <string>
#include <vector>

#include "synth/synth.h"

namespace sdh::synth {

// Directive lines only ("[Service]\nKey=value\n..."), the text scored.
std::string directives_text(const std::vector<Directive>& directives);

// The scorer propose() uses: the injected one, or load_unit + assess.
Result<ScoreFunction> make_scorer(const unit::LoadedUnit& unit, const ProposeOptions& options);

// Allow-list bookkeeping after the plan's SystemCallFilter= changed.
void update_allow_list_size(HardeningPlan& plan, unit::SystemdVersion version);

}  // namespace sdh::synth
