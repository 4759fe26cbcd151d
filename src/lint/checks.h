// SPDX-License-Identifier: GPL-2.0-or-later
// The rules that read a unit, each row beside the predicate that finds it
// (checks.cc). A predicate appends one Hit per place the rule fires and
// touches nothing but the LintContext. Adding such a rule touches checks.cc
// and its test only.
#pragma once

#include <span>

#include "lint/rules.h"

namespace sdh::lint::checks {

// The predicate-backed rules, in a stable order (rules() appends the
// parser's own after them).
std::span<const Rule> check_rules();

}  // namespace sdh::lint::checks
