// SPDX-License-Identifier: GPL-2.0-or-later
// An independent compatibility checker for proposed drop-ins: it reads the
// drop-in TEXT and the raw Profile (not the optimiser's Evidence or rules)
// and reports every directive that would forbid something observed. Written
// separately from src/synth so a shared mistake is unlikely.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "profile/profile.h"
#include "synth/system_facts.h"

namespace sdh::synth::testing {

struct CheckInput {
  std::string dropin;             // the drop-in text
  std::string unit_user;          // User= of the base unit ("" = root)
  unsigned unit_umask = 0022;     // UMask= of the base unit
  bool unit_dynamic_user = false;
  const profile::Profile* profile = nullptr;
  const SystemFacts* facts = nullptr;  // owners and accounts, for a static User=
  std::vector<std::string> unsandboxed;  // executables of "+" command lines: not bound by the drop-in
  // The base unit's own Exec*= lines (key -> lines as written): the drop-in
  // may re-list them with "+" (they then run outside it, their process trees too).
  std::map<std::string, std::vector<std::string>> unit_exec_lines;
  // Listen*= values of the socket units that start it ("" when unknown):
  // a passed IP socket takes clients from anywhere.
  std::vector<std::string> passed_sockets;
};

// Violations, one per line; empty when the drop-in is compatible. Also
// reports directives without a justification comment, not-set entries
// without a reason, and directives the checker has no rule for.
std::vector<std::string> check_dropin(const CheckInput& in);

}  // namespace sdh::synth::testing
