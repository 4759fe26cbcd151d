// SPDX-License-Identifier: GPL-2.0-or-later
// One host audited under several systemd releases side by side: what each
// unit scores after an upgrade (audit --compare-systemd).
#pragma once

#include <string>
#include <vector>

#include "report/audit.h"

namespace sdh::report {

// The audits of the same units, one per release, in the order given.
struct ReleaseComparison {
  std::vector<AuditReport> per_release;
};

// UNIT, one exposure column per release, and the change from the first to
// the last; units whose score differs between releases first.
std::string comparison_table(const ReleaseComparison& c);
std::string comparison_json(const ReleaseComparison& c);

}  // namespace sdh::report
