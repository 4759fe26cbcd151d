// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: the system call filter and architectures.
#include "synth/rules/rules.h"

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {

RuleOutcome decide_syscall_filter(const Context& c) {
  RuleOutcome r;
  if (c.ev.syscalls_all.empty()) {
    r.not_set.push_back(refuse("SystemCallFilter=", "the profile recorded no system calls"));
    return r;
  }
  const auto& groups = SyscallGroups::builtin(c.version);
  // What may be allowed at all: the unit's own filter bounds ours.
  auto permitted = [&](const std::string& name) {
    const auto& f = c.unit.system_call_filter;
    if (!f.configured) return true;
    return f.allow_list ? f.names.count(name) > 0 : f.names.count(name) == 0;
  };
  std::vector<std::string> refused_by_unit;
  for (const auto& s : c.ev.syscalls_all) {
    if (!permitted(s)) refused_by_unit.push_back(s);
  }
  // Started as the account it switched to itself, a daemon has no identity
  // to change and nothing to chown to that account. Were it to try anyway,
  // EPERM is what setgroups() gets without CAP_SETGID too; verification
  // shows whether it copes.
  std::set<std::string> needed = c.ev.syscalls_all;
  std::vector<std::string> moot;
  if (auto su = c.planned_user_analysis(); su && su->drops_to_it) {
    static const char* const kSwitch[] = {"setuid",   "setgid",   "setreuid", "setregid", "setresuid",
                                          "setresgid", "setfsuid", "setfsgid", "setgroups", "chown",
                                          "fchown",    "lchown",   "fchownat"};
    for (const char* s : kSwitch)
      if (needed.erase(s)) moot.push_back(s);
  }
  std::set<std::string> tokens = syscall_allow_list(needed, c.version, permitted);
  std::set<std::string> allowed = groups.expand(tokens);
  const auto& cur = c.unit.system_call_filter;
  if (cur.configured && cur.allow_list && groups.expand(cur.names) == allowed) return r;  // nothing to narrow
  std::string list;
  // Groups first, then single calls, for readability.
  for (const auto& t : tokens) if (t[0] == '@') list += (list.empty() ? "" : " ") + t;
  for (const auto& t : tokens) if (t[0] != '@') list += (list.empty() ? "" : " ") + t;
  std::vector<std::string> values;
  if (c.unit.system_call_filter.configured) values.push_back("");
  values.push_back(list);
  Option o;
  o.directives.push_back(make("SystemCallFilter", values,
                              fmt::format("allow-list of the {} system calls seen ({} at start-up, {} serving; {}), "
                                          "widened to harmless groups{}",
                                          c.ev.syscalls_all.size(), c.ev.syscalls_startup.size(),
                                          c.ev.syscalls_serving.size(), c.scope(),
                                          moot.empty() ? ""
                                                       : fmt::format("; {} left out: root used them only to become "
                                                                     "{}, which it is started as",
                                                                     sample(moot, 13),
                                                                     c.planned_static_user()->values.back()))));
  if (!c.unit.system_call_error_number) {
    o.directives.push_back(make("SystemCallErrorNumber", {"EPERM"},
                                "a refused call fails with EPERM instead of killing with SIGSYS, so it shows in logs"));
  }
  r.options.push_back(o);
  if (!refused_by_unit.empty()) {
    r.not_set.push_back(refuse("SystemCallFilter= (" + sample(refused_by_unit) + ")",
                               "called by the daemon but refused by the unit's own filter; not widened"));
  }
  return r;
}

}  // namespace

const Rule& rule_system_call_filter() {
  static const Rule r{
      .id = "system-call-filter",
      .keys = {"SystemCallFilter", "SystemCallErrorNumber"},
      .assessors = {"SystemCallFilter_swap", "SystemCallFilter_obsolete", "SystemCallFilter_clock", "SystemCallFilter_cpu_emulation", "SystemCallFilter_debug", "SystemCallFilter_mount", "SystemCallFilter_module", "SystemCallFilter_raw_io", "SystemCallFilter_reboot", "SystemCallFilter_privileged", "SystemCallFilter_resources"},
      .mount_namespace = false,
      .forbidden_by = "a system call outside the allow-list",
      .implies = "NoNewPrivileges= when unprivileged; EPERM instead of SIGSYS with SystemCallErrorNumber=",
      .decide = decide_syscall_filter, .order = 60};
  return r;
}

namespace {

RuleOutcome decide_architectures(const Context& c) {
  RuleOutcome r;
  if (!c.unit.system_call_architectures.empty()) return r;
  std::string native = systemd_arch(c.ev.architecture);
  std::map<std::string, std::set<std::string>> foreign;  // arch -> executables
  for (const auto& [exe, machine] : c.ev.machines) {
    std::string a = systemd_arch(machine);
    if (!native.empty() && a != native) foreign[a].insert(exe);
  }
  if (foreign.empty()) {
    r.options.push_back(single("SystemCallArchitectures", "native",
                               fmt::format("every executable is {} ({} checked)", native.empty() ? "native" : native,
                                           c.ev.machines.size())));
    return r;
  }
  std::string extra, why;
  for (const auto& [arch, exes] : foreign) {
    extra += " " + arch;
    why += (why.empty() ? "" : "; ") + fmt::format("{} is {}", who(exes), arch);
  }
  r.not_set.push_back(refuse("SystemCallArchitectures=native", why + " (multiarch)"));
  r.options.push_back(single("SystemCallArchitectures", "native" + extra,
                             "native plus the foreign ABI actually executed: " + why));
  return r;
}

}  // namespace

const Rule& rule_system_call_architectures() {
  static const Rule r{
      .id = "system-call-architectures",
      .keys = {"SystemCallArchitectures"},
      .assessors = {"SystemCallArchitectures"},
      .mount_namespace = false,
      .forbidden_by = "an executed binary of another ELF machine (multiarch)",
      .implies = "NoNewPrivileges= when unprivileged",
      .decide = decide_architectures, .order = 70};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> syscalls_rules() {
  return {
      &rule_system_call_filter(),
      &rule_system_call_architectures(),
  };
}

}  // namespace sdh::synth::rules
