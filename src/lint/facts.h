// SPDX-License-Identifier: GPL-2.0-or-later
// Questions the lint predicates ask about a loaded unit: where a directive
// was set, which list entries survive empty resets, what each Exec line runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "unit/semantics.h"
#include "util/fs.h"

namespace sdh::lint {

// Every assignment of `key` (any section but [Unit] and [Install]), in order.
std::vector<const unit::Assignment*> assignments_of(const unit::LoadedUnit& u, const std::string& key);

// The assignments of a list directive still in effect: those after the last
// empty assignment (which resets the list).
std::vector<const unit::Assignment*> effective_list(const unit::LoadedUnit& u, const std::string& key);

// Where `key` was last set: the settings' origin map, then the assignments,
// then the fragment itself (line 0).
unit::Location where(const unit::LoadedUnit& u, const std::string& key);
bool is_set(const unit::LoadedUnit& u, const std::string& key);

// One Exec*= line split into words, with systemd's prefixes (@-:+!) removed.
struct ExecLine {
  const unit::Assignment* assignment = nullptr;
  std::vector<std::string> argv;
};
std::vector<ExecLine> exec_lines(const unit::LoadedUnit& u);

// Whitespace-separated tokens of a value (no quote handling: lists of names).
std::vector<std::string> tokens(const std::string& text);

using unit::runs_as_root;



}  // namespace sdh::lint
