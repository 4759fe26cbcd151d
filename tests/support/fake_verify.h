// SPDX-License-Identifier: GPL-2.0-or-later
// Verification options for runs against the FakeHost: no settling time and
// no grace for a failing check (the fake answers at once, and a grace would
// only retry the same answer for seconds).
#pragma once

#include <string>

#include "verify/verify.h"

namespace sdh::systemd {

inline verify::VerifyOptions fake_verify_options(const std::string& unit, const std::string& dropin = "") {
  verify::VerifyOptions o;
  o.unit = unit;
  o.dropin_text = dropin;
  o.check = "check";
  o.settle = std::chrono::milliseconds(0);
  o.check_grace = std::chrono::milliseconds(0);
  return o;
}

}  // namespace sdh::systemd
