// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/syscalls.h"

#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "util/strings.h"

namespace sdh::unit::data {
extern const std::string_view k_syscalls_x86_64_txt;
extern const std::string_view k_errno_names_txt;
}  // namespace sdh::unit::data

namespace sdh::unit {
namespace {

// The data lines of an embedded table: no comments, no blank lines.
std::vector<std::string> data_lines(std::string_view text) {
  std::vector<std::string> out;
  for (auto& l : split(text, '\n'))
    if (!l.empty() && l[0] != '#') out.push_back(l);
  return out;
}

struct GroupTable {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> flattened;
  std::map<std::string, std::vector<std::string>> direct;
};

GroupTable load_groups(SystemdVersion v) {
  GroupTable t;
  auto rows = data_lines(release_file(v, "syscall-groups.tsv"));
  for (size_t i = 1; i < rows.size(); ++i) {  // row 0 is the header
    auto cols = split(rows[i], '\t');
    if (cols.size() < 3) continue;
    auto words = [](const std::string& s) {
      std::vector<std::string> w;
      for (auto& x : split(s, ' '))
        if (!x.empty()) w.push_back(x);
      return w;
    };
    t.order.push_back(cols[0]);
    t.direct[cols[0]] = words(cols[1]);
    t.flattened[cols[0]] = words(cols[2]);
  }
  // systemd generates @known at build time: @obsolete plus every system call
  // name it knows. The group tables only carry the @obsolete part.
  if (auto it = t.flattened.find("@known"); it != t.flattened.end()) {
    std::set<std::string> all(it->second.begin(), it->second.end());
    for (auto& n : data_lines(release_file(v, "syscall-known.txt"))) all.insert(n);
    it->second.assign(all.begin(), all.end());
  }
  return t;
}

const GroupTable& groups(SystemdVersion v) {
  return per_release(v, [](SystemdVersion r) { return load_groups(r); });
}

const std::unordered_set<std::string>& native() {
  static const std::unordered_set<std::string> s = [] {
    std::unordered_set<std::string> out;
    for (auto& l : data_lines(data::k_syscalls_x86_64_txt)) out.insert(l);
    return out;
  }();
  return s;
}

const std::unordered_set<std::string>& known() {
  static const std::unordered_set<std::string> s = [] {
    std::unordered_set<std::string> out = native();
    for (auto v : all_releases())
      for (auto& [g, members] : groups(v).flattened)
        for (auto& m : members) out.insert(m);
    return out;
  }();
  return s;
}

}  // namespace

const std::vector<std::string>* syscall_group(SystemdVersion version, const std::string& group) {
  const auto& t = groups(version);
  auto it = t.flattened.find(group);
  return it == t.flattened.end() ? nullptr : &it->second;
}

const std::vector<std::string>* syscall_group_direct(SystemdVersion version,
                                                     const std::string& group) {
  const auto& t = groups(version);
  auto it = t.direct.find(group);
  return it == t.direct.end() ? nullptr : &it->second;
}

std::vector<std::string> syscall_group_names(SystemdVersion version) { return groups(version).order; }

bool is_native_syscall(const std::string& name) { return native().count(name) > 0; }
bool is_known_syscall(const std::string& name) { return known().count(name) > 0; }

bool is_errno_name(const std::string& name) {
  static const std::unordered_set<std::string> s = [] {
    std::unordered_set<std::string> out;
    for (auto& l : data_lines(data::k_errno_names_txt)) out.insert(l);
    return out;
  }();
  return s.count(name) > 0;
}

namespace {

// "Section.Key" -> removed (accepted but ignored with a warning).
using DirectiveNames = std::map<std::string, bool>;

DirectiveNames load_directive_names(SystemdVersion v) {
  DirectiveNames out;
  for (auto& l : data_lines(release_file(v, "directives.txt"))) {
    auto cols = split(l, '\t');
    out[cols[0]] = cols.size() > 1 && cols[1] == "removed";
  }
  return out;
}

}  // namespace

DirectiveStatus directive_status(SystemdVersion version, const std::string& section, const std::string& key) {
  const auto& names = per_release(version, [](SystemdVersion r) { return load_directive_names(r); });
  auto it = names.find(section + "." + key);
  if (it == names.end()) return DirectiveStatus::unknown;
  return it->second ? DirectiveStatus::removed : DirectiveStatus::known;
}

std::optional<SystemdVersion> first_release_knowing(const std::string& section, const std::string& key) {
  for (auto v : all_releases())
    if (directive_status(v, section, key) == DirectiveStatus::known) return v;
  return std::nullopt;
}

}  // namespace sdh::unit
