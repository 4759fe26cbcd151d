// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/system_facts.h"

#include <charconv>
#include <string_view>

#include "util/fs.h"

namespace sdh::synth {
namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t colon = line.find(':', start);
    out.push_back(line.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) return out;
    start = colon + 1;
  }
}

std::optional<uint32_t> number(std::string_view s) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

template <typename F>
void for_each_line(const std::string& text, F&& f) {
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line[0] != '#') f(line);
  }
}

}  // namespace

const Account* SystemFacts::account(uint32_t uid) const {
  for (const auto& a : accounts)
    if (a.uid == uid) return &a;
  return nullptr;
}

const Account* SystemFacts::account(const std::string& name) const {
  for (const auto& a : accounts)
    if (a.name == name) return &a;
  return nullptr;
}

const FileFacts* SystemFacts::file(const std::string& path) const {
  auto it = files.find(path);
  return it == files.end() ? nullptr : &it->second;
}

std::vector<Account> parse_accounts(const std::string& passwd, const std::string& group) {
  struct Group {
    std::string name;
    std::vector<std::string> members;
  };
  std::map<uint32_t, Group> groups;
  for_each_line(group, [&](std::string_view line) {
    auto f = fields(line);
    if (f.size() < 4) return;
    auto gid = number(f[2]);
    if (!gid || groups.count(*gid)) return;  // the first entry wins, as in NSS
    Group g{std::string(f[0]), {}};
    std::string_view m = f[3];
    while (!m.empty()) {
      size_t comma = m.find(',');
      if (comma != 0) g.members.emplace_back(m.substr(0, comma));
      m = comma == std::string_view::npos ? std::string_view{} : m.substr(comma + 1);
    }
    groups[*gid] = std::move(g);
  });
  std::vector<Account> out;
  std::set<std::string> seen;
  for_each_line(passwd, [&](std::string_view line) {
    auto f = fields(line);
    if (f.size() < 7) return;
    auto uid = number(f[2]), gid = number(f[3]);
    if (!uid || !gid || f[0].empty() || !seen.insert(std::string(f[0])).second) return;
    Account a;
    a.name = std::string(f[0]);
    a.uid = *uid;
    a.gid = *gid;
    a.shell = std::string(f[6]);
    a.groups.insert(*gid);
    if (auto it = groups.find(*gid); it != groups.end()) a.group = it->second.name;
    for (const auto& [id, g] : groups)
      for (const auto& m : g.members)
        if (m == a.name) a.groups.insert(id);
    out.push_back(std::move(a));
  });
  return out;
}

bool permits(const SystemFacts& facts, const Account& who, const std::string& path, uint32_t rwx) {
  auto bits_for = [&](const FileFacts& f) {
    if (f.uid == who.uid) return (f.mode >> 6) & 7;
    if (who.groups.count(f.gid)) return (f.mode >> 3) & 7;
    return f.mode & 7;
  };
  // Every directory on the way must be searchable.
  for (std::string dir = dirname_of(path);; dir = dirname_of(dir)) {
    const FileFacts* d = facts.file(dir);
    if (!d || !(bits_for(*d) & 1)) return false;
    if (dir == "/") break;
  }
  const FileFacts* f = facts.file(path);
  return f && (bits_for(*f) & rwx) == rwx;
}

std::set<std::string> paths_with_ancestors(const std::set<std::string>& paths) {
  std::set<std::string> out;
  for (const auto& p : paths) {
    if (p.empty() || p[0] != '/') continue;
    for (std::string q = p; out.insert(q).second && q != "/"; q = dirname_of(q)) {
    }
  }
  return out;
}

}  // namespace sdh::synth
