// SPDX-License-Identifier: GPL-2.0-or-later
// Verdict: the outcome of `verify`, one item per thing checked, as a plain
// value for the CLI (human text, --json) and for `auto`.
#pragma once

#include <string>
#include <vector>

#include "verify/battery.h"

namespace sdh::verify {

enum class ItemStatus { passed, failed, inconclusive, skipped };
std::string to_string(ItemStatus s);

enum class Stage { baseline, hardened, directive, negative_control, fallback, sessions };
std::string to_string(Stage s);

struct VerdictItem {
  Stage stage = Stage::hardened;
  std::string name;    // "unit stays active", "ProtectSystem=strict", "address families"
  ItemStatus status = ItemStatus::passed;
  std::string detail;  // evidence: output, probe lines, property values
};

struct Verdict {
  std::string unit;
  std::string host;       // "container", "host", "fake"
  std::string environment;  // how that host differs from the real one (ServiceHost::environment)
  std::string check;
  bool verified = false;  // no failed item and no error
  std::string error;      // a stop before the end (e.g. the check fails without the drop-in)
  std::vector<VerdictItem> items;
  // What code inside the service could still do, baseline and hardened.
  Containment containment;
  double seconds = 0;
  int failed_count() const;
};

std::string verdict_to_json(const Verdict& v);
std::string verdict_to_text(const Verdict& v);
// The battery's outcome: counts per class, baseline -> hardened, and what
// stays possible under the drop-in.
std::string containment_to_text(const Containment& c);
std::string containment_to_json(const Containment& c);

}  // namespace sdh::verify
