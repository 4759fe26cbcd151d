// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/knowledge.h"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/core.h>

#include "synth/rules/rules.h"
#include "synth/syscall_groups.h"
#include "unit/directives.h"
#include "unit/syscalls.h"
#include "unit/value_writer.h"
#include "util/strings.h"

namespace sdh::synth {

using rules::is_root_name;
using rules::setuid_text;
using rules::static_user_analysis;

std::set<std::string> syscall_allow_list(const std::set<std::string>& observed, unit::SystemdVersion version,
                                         const std::function<bool(const std::string&)>& permitted) {
  const auto& groups = SyscallGroups::builtin(version);
  std::set<std::string> dangerous;
  for (const auto& g : scored_syscall_groups()) {
    const auto& m = groups.members(g);
    dangerous.insert(m.begin(), m.end());
  }
  auto ok = [&](const std::string& name) { return !permitted || permitted(name); };
  std::set<std::string> tokens, allowed;
  // Whole groups with no member the score treats as dangerous, when the
  // daemon used any member: a trace misses rare code paths (error handling,
  // log rotation) that use the group's other calls.
  for (const auto& g : groups.groups()) {
    if (g == "@known" || g == "@system-service" || g == "@obsolete") continue;
    const auto& m = groups.members(g);
    bool benign = std::none_of(m.begin(), m.end(), [&](const std::string& s) { return dangerous.count(s); });
    bool used = std::any_of(m.begin(), m.end(), [&](const std::string& s) { return observed.count(s); });
    if (benign && used && !m.empty() && std::all_of(m.begin(), m.end(), ok)) {
      tokens.insert(g);
      allowed.insert(m.begin(), m.end());
    }
  }
  for (const auto& s : observed) {
    if (!allowed.count(s) && ok(s)) tokens.insert(s);
  }
  return tokens;
}

const Directive* Context::planned(const std::string& key) const {
  for (const auto& d : plan) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

bool Context::planned_is(const std::string& key, const std::string& value) const {
  const Directive* d = planned(key);
  return d && !d->values.empty() && d->values.back() == value;
}

bool Context::dynamic_user() const { return unit.dynamic_user || planned_is("DynamicUser", "yes"); }

bool Context::unprivileged() const {
  return dynamic_user() || !is_root_name(unit.user) || planned_static_user() != nullptr;
}

const Directive* Context::planned_static_user() const {
  const Directive* d = planned("User");
  return d && !d->values.empty() && !is_root_name(d->values.back()) ? d : nullptr;
}

std::optional<StaticUserAnalysis> Context::planned_user_analysis() const {
  const Directive* d = planned_static_user();
  const Account* a = d ? facts.account(d->values.back()) : nullptr;
  if (!a) return std::nullopt;
  auto su = static_user_analysis(*this, a);
  if (!su.usable()) return std::nullopt;
  return su;
}

std::map<std::string, std::string> Context::caps_obviated_by_user() const {
  auto su = planned_user_analysis();
  return su ? su->obviated_caps : std::map<std::string, std::string>{};
}

bool Context::private_tmp() const {
  const Directive* planned_tmp = planned("PrivateTmp");
  return unit.private_tmp || dynamic_user() ||
         (planned_tmp && !planned_tmp->values.empty() && parse_boolean(planned_tmp->values.back()) != false);
}

bool Context::strict() const {
  return unit.protect_system == unit::ProtectSystem::strict || planned_is("ProtectSystem", "strict");
}

std::vector<std::string> Context::planned_paths(const std::string& key) const {
  std::vector<std::string> out;
  for (const auto& d : plan)
    if (d.key == key)
      for (const auto& v : d.values)
        for (const auto& w : unit::read_list_items(v).value_or(std::vector<std::string>{}))
          out.push_back(unit::strip_path_prefixes(w));
  return out;
}

bool Context::made_by_systemd(const std::string& path) const {
  if (rules::under_unit_directory(unit, path)) return true;
  for (const auto& m : unit::managed_directories())
    for (const auto& d : planned_paths(std::string(m.key)))
      if (path_under(path, std::string(m.base) + d)) return true;
  return false;
}

bool Context::may_write(const std::string& path) const {
  if (rules::already_writable(unit, path) || made_by_systemd(path)) return true;
  const auto rw = planned_paths("ReadWritePaths");
  return std::any_of(rw.begin(), rw.end(), [&](const std::string& w) { return path_under(path, w); });
}

bool Context::accepts(const std::string& key, const std::string& value) const {
  return !unknown_to_release(Directive{"Service", key, {value}, "", ""}, version);
}

std::optional<std::string> unknown_to_release(const Directive& d, unit::SystemdVersion version) {
  if (unit::directive_status(version, d.section, d.key) != unit::DirectiveStatus::known) {
    auto since = unit::first_release_knowing(d.section, d.key);
    return fmt::format("systemd {} does not know {}={}", unit::to_string(version), d.key,
                       since ? " (systemd " + unit::to_string(*since) + " does)" : "");
  }
  const unit::DirectiveInfo* row = unit::find_directive(d.section, d.key, "service");
  if (!row) return std::nullopt;
  for (const auto& v : d.values) {
    if (unit::find_spelling(*row, v, version.number())) continue;
    if (const auto* later = unit::find_spelling(*row, v, std::numeric_limits<int>::max()))
      return fmt::format("systemd {} does not accept {}={} (systemd {} does)", unit::to_string(version), d.key, v,
                         later->since);
  }
  return std::nullopt;
}

std::optional<std::string> Context::nnp_blocker() const {
  if (!unprivileged() || ev.setuid_executables.empty()) return std::nullopt;
  return fmt::format("implies NoNewPrivileges=yes for this unprivileged service, and it executes setuid/setgid {}",
                     setuid_text(ev));
}

const std::vector<Rule>& knowledge_base() {
  static const std::vector<Rule> kRules = [] {
    std::vector<const Rule*> all;
    for (auto group : {rules::identity_rules, rules::process_rules, rules::syscalls_rules, rules::network_rules,
                       rules::devices_rules, rules::filesystem_rules, rules::root_directory_rules,
                       rules::kernel_rules})
      for (const Rule* r : group()) all.push_back(r);
    std::stable_sort(all.begin(), all.end(), [](const Rule* a, const Rule* b) { return a->order < b->order; });
    std::vector<Rule> out;
    for (const Rule* r : all) out.push_back(*r);
    return out;
  }();
  return kRules;
}

std::vector<std::string> knowledge_base_keys() {
  std::set<std::string> keys;
  for (const auto& r : knowledge_base()) keys.insert(r.keys.begin(), r.keys.end());
  return {keys.begin(), keys.end()};
}

}  // namespace sdh::synth

