// SPDX-License-Identifier: GPL-2.0-or-later
// The containment battery: what an attacker who runs code inside the
// service could still do. Each row is one benign attempt, undone at once
// (a file created is removed, a namespace lives in a child that exits, a
// signal is signal 0), run by sdharden-probe inside the unit's real sandbox
// (an ExecStartPost= of the unit: same user, namespaces, seccomp filter,
// capabilities, mounts) under the baseline and under the drop-in. The rows
// are data: what each tries and which directives are meant to refuse it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sdh::verify {

// Files the battery creates (and removes) start with this name; verify's
// behaviour diff leaves what runs from them out.
inline constexpr const char* kBatteryScratchPrefix = ".sdharden-battery-";

struct BatteryRow {
  std::string id;                      // "read-shadow"
  std::string klass;                   // "secrets", "persistence", ...
  std::string tries;                   // "read /etc/shadow"
  std::vector<std::string> closed_by;  // directives meant to refuse it
};

const std::vector<BatteryRow>& battery_rows();
const BatteryRow* battery_row(const std::string& id);
// The classes in report order.
const std::vector<std::string>& battery_classes();

// One attempt's outcome as the probe prints it: "battery ID possible|refused|n/a DETAIL".
enum class Attempt { possible, refused, not_applicable };
struct BatteryLine {
  std::string id;
  Attempt outcome = Attempt::not_applicable;
  std::string detail;  // errno name, what was found
};
// The battery lines in a text (journal lines included: "...: battery ID ...").
std::vector<BatteryLine> parse_battery(const std::string& text);

// Baseline and hardened outcomes side by side.
struct ContainmentRow {
  std::string id, klass, tries;
  std::optional<Attempt> baseline, hardened;  // nullopt: the attempt did not report
  std::string detail;                         // the hardened run's detail
};
struct Containment {
  bool ran = false;       // the battery reported under the drop-in
  std::string note;       // why it did not run, when it did not
  std::vector<ContainmentRow> rows;
  // Possible under the baseline / under the drop-in, per class and in all.
  std::map<std::string, std::pair<int, int>> per_class() const;
  int possible_baseline() const;
  int possible_hardened() const;
  // "read /etc/shadow, write /run, ..." for the drop-in header.
  std::vector<std::string> still_possible() const;
};
Containment compare_battery(const std::vector<BatteryLine>& baseline, const std::vector<BatteryLine>& hardened);

std::string to_string(Attempt a);

}  // namespace sdh::verify
