// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/syscall_groups.h"

#include <sstream>

#include "unit/syscalls.h"
#include "util/strings.h"

namespace sdh::synth {

Result<SyscallGroups> SyscallGroups::parse(const std::string& tsv) {
  SyscallGroups g;
  std::istringstream in(tsv);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line_no == 1) continue;  // header
    auto cols = split(line, '\t');
    if (cols.size() < 3 || cols[0].empty() || cols[0][0] != '@') {
      return fail("syscall group table: line " + std::to_string(line_no) + ": expected 3 columns");
    }
    std::set<std::string> names;
    for (auto& n : split(cols[2], ' ')) {
      if (!n.empty()) names.insert(n);
    }
    g.order_.push_back(cols[0]);
    g.flat_[cols[0]] = std::move(names);
  }
  if (g.order_.empty()) return fail("syscall group table: no groups");
  return g;
}

const SyscallGroups& SyscallGroups::builtin(unit::SystemdVersion version) {
  // A set-based view of the tables the unit module embeds, built once.
  auto view = [](unit::SystemdVersion v) {
    SyscallGroups g;
    for (const auto& name : unit::syscall_group_names(v)) {
      const auto* members = unit::syscall_group(v, name);
      if (!members) continue;
      g.order_.push_back(name);
      g.flat_[name] = std::set<std::string>(members->begin(), members->end());
    }
    return g;
  };
  return unit::per_release(version, view);
}

const std::set<std::string>& SyscallGroups::members(const std::string& group) const {
  static const std::set<std::string> empty;
  auto it = flat_.find(group);
  return it == flat_.end() ? empty : it->second;
}

std::set<std::string> SyscallGroups::expand(const std::set<std::string>& names) const {
  std::set<std::string> out;
  for (const auto& n : names) {
    if (!n.empty() && n[0] == '@') {
      const auto& m = members(n);
      out.insert(m.begin(), m.end());
    } else {
      out.insert(n);
    }
  }
  return out;
}

const std::vector<std::string>& scored_syscall_groups() {
  static const std::vector<std::string> groups = {
      "@swap",  "@obsolete", "@clock",  "@cpu-emulation", "@debug",    "@mount",
      "@module", "@raw-io",  "@reboot", "@privileged",    "@resources"};
  return groups;
}

}  // namespace sdh::synth
