// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/host_changes.h"

#include <map>
#include <optional>

#include <fmt/core.h>

#include "unit/semantics.h"
#include "unit/value_syntax.h"
#include "unit/value_writer.h"
#include "util/strings.h"

namespace sdh::synth {
namespace {

// The last value the plan gives `key`, else nullopt.
std::optional<std::string> planned(const HardeningPlan& plan, const std::string& key) {
  std::optional<std::string> v;
  for (const auto& d : plan.directives)
    if (d.key == key && !d.values.empty()) v = d.values.back();
  return v;
}

std::string user_name(const SystemFacts& facts, uint32_t uid) {
  const Account* a = facts.account(uid);
  return a ? a->name : std::to_string(uid);
}

std::string group_name(const SystemFacts& facts, uint32_t gid) {
  for (const auto& a : facts.accounts)
    if (a.gid == gid && !a.group.empty()) return a.group;
  return std::to_string(gid);
}

std::string owner_text(const SystemFacts& facts, uint32_t uid, uint32_t gid) {
  return user_name(facts, uid) + ":" + group_name(facts, gid);
}

}  // namespace

std::vector<std::string> host_owner_changes(const HardeningPlan& plan, const unit::UnitSettings& unit,
                                            const SystemFacts& facts) {
  std::vector<std::string> out;
  if (facts.empty()) return out;
  const bool dynamic = unit.dynamic_user || planned(plan, "DynamicUser") == "yes";
  std::optional<std::string> user = planned(plan, "User");
  if (!user) user = unit.user;
  std::optional<std::string> group = planned(plan, "Group");
  if (!group) group = unit.group;
  uint32_t uid = 0, gid = 0;
  if (user && !unit::is_root_name(user)) {
    const Account* a = facts.account(*user);
    if (!a) return out;  // an account this machine does not have: nothing to compare
    uid = a->uid;
    gid = a->gid;
  }
  if (group && !unit::is_root_name(group)) {
    bool found = false;
    for (const auto& a : facts.accounts)
      if (a.group == *group) gid = a.gid, found = true;
    if (!found) return out;
  }
  for (const auto& m : unit::managed_directories()) {
    for (const auto& d : plan.directives) {
      if (d.key != m.key) continue;
      for (const auto& v : d.values)
        for (const auto& item : unit::read_list_items(v).value_or(std::vector<std::string>{})) {
          const std::string name = item.substr(0, item.find(':'));  // NAME[:MODE]
          const std::string path = std::string(m.base) + name;
          const FileFacts* f = facts.file(path);
          if (!f) continue;  // systemd creates it: nothing of the machine's changes
          if (dynamic)
            out.push_back(fmt::format("{}: {} -> moved to {}private/{} and owned by a dynamic user, with everything "
                                      "in it",
                                      path, owner_text(facts, f->uid, f->gid), m.base, name));
          else if (f->uid != uid || f->gid != gid)
            out.push_back(fmt::format("{}: {} -> {}, with everything in it{}", path, owner_text(facts, f->uid, f->gid),
                                      owner_text(facts, uid, gid),
                                      m.key == "RuntimeDirectory" ? "; removed at the stop" : ""));
        }
    }
  }
  // "+/usr/bin/install -d [-m MODE] [-o UID -g GID] DIR": the plan's set-up lines.
  for (const auto& d : plan.directives) {
    if (d.key != "ExecStartPre") continue;
    for (const auto& v : d.values) {
      std::vector<std::string> w;
      if (!unit::split_words(v, true, w) || w.size() < 3 || w.size() % 2 == 0 || w[0] != "+/usr/bin/install" ||
          w[1] != "-d")
        continue;
      std::map<std::string, std::string> opt;
      for (size_t i = 2; i + 1 < w.size(); i += 2) opt[w[i]] = w[i + 1];
      const FileFacts* f = facts.file(w.back());
      if (!f || !opt.count("-o") || !opt.count("-g")) continue;
      auto to_uid = to_number<uint32_t>(opt["-o"]);
      auto to_gid = to_number<uint32_t>(opt["-g"]);
      if (!to_uid || !to_gid || (f->uid == *to_uid && f->gid == *to_gid)) continue;
      out.push_back(fmt::format("{}: {} -> {}, the folder alone", w.back(), owner_text(facts, f->uid, f->gid),
                                owner_text(facts, *to_uid, *to_gid)));
    }
  }
  return out;
}

}  // namespace sdh::synth
