// SPDX-License-Identifier: GPL-2.0-or-later
// The containment battery's attempts as sdharden-probe runs them: one
// function per row of verify/battery.h, each benign and undone at once.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "verify/battery.h"

namespace sdh::probe {

struct Outcome {
  verify::Attempt attempt = verify::Attempt::not_applicable;
  std::string detail;
};

// Row id -> the attempt. Every row of verify::battery_rows() has one.
const std::map<std::string, std::function<Outcome()>>& battery_attempts();

// Runs every attempt and prints "battery ID possible|refused|n/a DETAIL",
// on stdout and appended to `out_path` when it is given.
void run_battery(const std::string& out_path = "");

}  // namespace sdh::probe
