// SPDX-License-Identifier: GPL-2.0-or-later
// systemd's syscall groups (@system-service, @privileged, ...) as data, for
// building allow-lists and for knowing which groups the exposure score checks.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "util/error.h"

namespace sdh::synth {

class SyscallGroups {
 public:
  // Parses the TSV table (group, direct members, flattened members).
  static Result<SyscallGroups> parse(const std::string& tsv);
  // The table embedded at build time for this systemd version.
  static const SyscallGroups& builtin(unit::SystemdVersion version);

  bool has(const std::string& group) const { return flat_.count(group) > 0; }
  // Flattened members of "@group"; empty for an unknown group.
  const std::set<std::string>& members(const std::string& group) const;
  // Group names in table order.
  const std::vector<std::string>& groups() const { return order_; }
  // Expands a list of names and @groups into syscall names.
  std::set<std::string> expand(const std::set<std::string>& names) const;

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::set<std::string>> flat_;
};

// The groups the exposure score checks with SystemCallFilter=~@group items.
const std::vector<std::string>& scored_syscall_groups();

}  // namespace sdh::synth
