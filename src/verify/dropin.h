// SPDX-License-Identifier: GPL-2.0-or-later
// A drop-in as a list of directive assignments: what verify applies, what
// bisect splits, what negative controls copy into a probe's sandbox.
#pragma once

#include <optional>
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

// The drop-in with each list whose entries restrict one by one
// (InaccessiblePaths=, ReadOnlyPaths=, ...; unit::entries_restrict) as one
// line per entry, which systemd reads as the same list: bisection then names
// the entry. A line with an entry that would need quoting stays whole.
std::vector<Directive> one_entry_per_line(const std::vector<Directive>& directives);

// The entries of a list value as written ("-/etc/ssl/private"); nullopt
// when an entry needs quotes, escapes or a specifier to be written.
std::optional<std::vector<std::string>> plain_entries(const std::string& value);

}  // namespace sdh::verify
