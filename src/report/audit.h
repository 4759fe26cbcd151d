// SPDX-License-Identifier: GPL-2.0-or-later
// The host audit as a value (every service and its assessment) and its
// renderings: terminal table, JSON, SARIF; HTML lives in audit_html.h.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "exposure/assess.h"

namespace sdh::report {

struct AuditEntry {
  std::string unit;
  std::string path;                   // fragment path
  std::string scope = "system";       // "system" or "user"
  exposure::Assessment assessment;
};

struct AuditSkip {
  std::string unit;
  std::string scope = "system";
  std::string reason;  // "masked", "template without enabled instance", load error
  // The unit could not be read or systemd would refuse it: not scored, and
  // never a pass (a gate fails, SARIF says the run was not successful).
  bool error = false;
};

struct AuditReport {
  std::string host;
  // /etc/machine-id of the audited system (32 hex digits; "" when absent or
  // malformed): what tells two clones with one host name apart in `report`.
  std::string machine_id;
  std::string root;             // --root, empty for "/"
  std::string systemd_version;  // "257": whose tables scored it
  std::string generated_at;     // ISO 8601, UTC
  std::vector<AuditEntry> entries;
  std::vector<AuditSkip> skipped;
};

struct AuditSummary {
  int total = 0;
  std::array<int, 4> per_band{};  // indexed by exposure::Band
  int median_tenths = 0;          // of the exposures, rounded up to a tenth
  std::string worst_unit;
  int worst_tenths = 0;
  int skipped = 0;
};

// Highest exposure first; ties by scope then name, so output is stable.
void sort_by_exposure(std::vector<AuditEntry>& entries);
AuditSummary summarize(const AuditReport& report);
// The median of exposures in tenths, rounded up to a tenth (0 when empty).
int median_tenths(std::vector<int> values);

// 92 -> "9.2"
std::string tenths_text(int tenths);
// The assessors that contribute most (badness > 0), as their ids.
std::vector<std::string> top_contributors(const exposure::Assessment& a, std::size_t n);

std::string audit_table(const AuditReport& report);
std::string audit_json(const AuditReport& report);
// Units in band MEDIUM or worse are results (UNSAFE error, EXPOSED warning,
// MEDIUM note) located at their fragment.
std::string audit_sarif(const AuditReport& report, const std::string& tool_version);

}  // namespace sdh::report
