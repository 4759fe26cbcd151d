// SPDX-License-Identifier: GPL-2.0-or-later
// A drop-in as a list of directive assignments: what verify applies, what
// bisect splits, what negative controls copy into a probe's sandbox.
#pragma once

#include <string>
#include <vector>

#include "util/error.h"

namespace sdh::verify {

struct Directive {
  std::string section;  // "Service", "Unit"
  std::string key;
  std::string value;
  int line = 0;
  std::string assignment() const { return key + "=" + value; }
  // The same as a transient unit's property (systemd-run -p): the values a
  // boolean directive gained later travel as KEYEx= (PrivateTmpEx=disconnected).
  std::string transient_assignment() const;
  // The property `systemctl show` reports it under (KEYEx for those values,
  // and for command lines, whose prefixes only it shows).
  std::string property() const;
  // ExecStart= and the other command lines of a service.
  bool exec_command() const;
};

// Lenient parse: comments, blank lines, [Section] headers, "Key=Value" with
// backslash continuations. Fails only on a line that is none of these.
Result<std::vector<Directive>> parse_dropin(const std::string& text);

// Text of a drop-in holding `directives`, grouped under their sections in
// first-appearance order.
std::string render_dropin(const std::vector<Directive>& directives, const std::string& header = "");

// [Service] assignments as "Key=Value", the form a transient unit takes;
// command lines (ExecStart= and the like) are left out.
std::vector<std::string> service_assignments(const std::vector<Directive>& directives);

}  // namespace sdh::verify
