// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: who the service runs as: User=/DynamicUser=, supplementary groups, user namespaces, IPC removal.
#include "synth/rules/rules.h"

#include <set>

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {

RuleOutcome decide_user(const Context& c) {
  RuleOutcome r;
  if (c.unit.dynamic_user || !is_root_name(c.unit.user)) return r;  // already unprivileged
  std::vector<std::string> blockers;
  if (!c.ev.capabilities.empty()) {
    std::vector<std::string> caps;
    for (const auto& [name, w] : c.ev.capabilities) caps.push_back(name);
    blockers.push_back(fmt::format("uses {} ({})", sample(caps), who(c.ev.capabilities.begin()->second.executables)));
  }
  for (const char* f : {"uid_change", "gid_change"}) {
    if (c.ev.flag(f)) blockers.push_back(fmt::format("{} changes its {} itself", who(c.ev.flags.at(f).executables),
                                                     std::string(f) == "uid_change" ? "user" : "group"));
  }
  if (!c.ev.setuid_executables.empty()) {
    blockers.push_back(fmt::format("executes setuid/setgid {}", setuid_text(c.ev)));
  }
  std::vector<std::string> unmanaged;
  for (const auto& [path, use] : c.ev.paths) {
    if (!(use.access & kWriteBits) || use.is_device) continue;
    if (path_under(path, "/dev") || path_under(path, "/proc") || path_under(path, "/sys") ||
        path_under(path, "/tmp") || path_under(path, "/var/tmp")) {
      continue;
    }
    if (managed_of(c.ev, path) || already_writable(c.unit, path)) continue;
    unmanaged.push_back(path);
  }
  if (!unmanaged.empty()) {
    blockers.push_back(fmt::format("writes {} outside directories systemd can hand to a dynamic user",
                                   sample(unmanaged)));
  }
  std::vector<std::string> secrets;
  for (const auto& [path, use] : c.ev.paths) {
    if (root_only_file(path) && (use.access & kRead)) secrets.push_back(path);
  }
  if (!secrets.empty()) blockers.push_back(fmt::format("reads root-only {}", sample(secrets)));
  if (!blockers.empty()) {
    std::string reason;
    for (const auto& b : blockers) reason += (reason.empty() ? "" : "; ") + b;
    auto su = static_user_analysis(c);
    if (!su.usable()) {
      r.not_set.push_back(refuse("DynamicUser=yes", "runs as root because it " + reason));
      // Always say why it stays root, with or without an account in view.
      std::string why;
      for (const auto& b : su.blockers) why += (why.empty() ? "" : "; ") + b;
      if (why.empty()) why = "no account to start it as";
      r.not_set.push_back(refuse("User=" + (su.account ? su.account->name : std::string()), why));
      return r;
    }
    r.not_set.push_back(refuse("DynamicUser=yes", "it " + reason + "; the static User= below covers that"));
    const Account& a = *su.account;
    std::vector<std::string> caps;
    for (const auto& [cap, why] : su.obviated_caps) caps.push_back(cap);
    std::string owns = su.owned_paths.empty() ? "" : fmt::format(" ({} owns {})", a.name, sample(su.owned_paths, 2));
    std::string why =
        su.drops_to_it
            ? fmt::format("{} switches to {} itself and used root for nothing else{}: started as {} it has no "
                          "root phase; every file access seen is allowed to {} by the file modes ({})",
                          who(c.ev.flags.at("uid_change").executables), a.name,
                          caps.empty() ? "" : " (" + sample(caps, 5) + ")", a.name, a.name, c.scope())
            : fmt::format("every file access seen is allowed to {} by the file modes{}{} ({})", a.name, owns,
                          caps.empty() ? "" : "; root used " + sample(caps, 5) + " only to reach them", c.scope());
    if (c.waive_static_user_blockers && !su.waived.empty())
      why = fmt::format("a trial as {}: systemd starts it as {} and does the root work; verification must show "
                        "it does without what root gave it ({}) ({})",
                        a.name, a.name, join(su.waived, "; "), c.scope());
    std::string group = a.group.empty() ? std::to_string(a.gid) : a.group;
    std::string group_why = a.name + "'s primary group";
    if (su.group && *su.group != a.gid) {
      group = std::to_string(*su.group);
      group_why = "the group it switches to itself";
    } else if (su.group) {
      group_why = "the group it switches to itself, " + group_why;
    }
    // The account comes from the machine's (or the image's) user database:
    // a name a unit file cannot carry is no account to propose.
    for (const std::string& name : {a.name, group})
      if (auto w = unit::write_account_name(name); !w) {
        r.not_set.push_back(refuse("User=", "the account cannot be named in a unit file: " + w.error().message()));
        return r;
      }
    Option o;
    o.directives.push_back(make("User", {a.name}, why));
    o.directives.push_back(make("Group", {group}, group_why));
    if (!su.ambient_caps.empty()) {
      std::vector<std::string> names, whys;
      for (const auto& [cap, w] : su.ambient_caps) {
        if (int n = cap_number(cap); n >= 0 && (c.unit.ambient_capabilities >> n) & 1) continue;
        names.push_back(cap);
        whys.push_back(w);
      }
      if (!names.empty()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : " ") + n;
        o.directives.push_back(make("AmbientCapabilities", {list},
                                    fmt::format("{}: the one privilege {} keeps (no file mode can grant it)",
                                                sample(whys), a.name)));
      }
    }
    if (!su.precreated.empty()) {
      // Before the unit's own ExecStartPre= lines, which may open them too
      // (nginx -t opens its PID file): reset, create, then re-list.
      std::vector<std::string> values;
      auto own = c.unit.exec_lines.find("ExecStartPre");
      bool relist = own != c.unit.exec_lines.end() && !own->second.empty();
      if (relist) values.push_back("");
      for (const auto& p : su.precreated) {
        values.push_back(written_command_line(
            {"/usr/bin/install", "-m", p == c.unit.pid_file ? "0644" : "0600", "-o", a.name, "-g", group, "/dev/null", p},
            "+"));
      }
      if (relist) values.insert(values.end(), own->second.begin(), own->second.end());
      std::set<std::string> dirs;
      for (const auto& p : su.precreated) dirs.insert(dirname_of(p));
      o.directives.push_back(make(
          "ExecStartPre", values,
          fmt::format("the PID file {} is created in {}, which {} may not write: systemd creates it for {} "
                      "first, with full privileges (\"+\"), and removes it after the stop{}",
                      sample(su.precreated), join(dirs), a.name, a.name,
                      relist ? "; the unit's own ExecStartPre= lines follow" : "")));
    }
    r.options.push_back(o);
    return r;
  }
  Option o = single("DynamicUser", "yes",
                    fmt::format("no capability used, no identity change, all writes in systemd-managed "
                                "directories ({})",
                                c.scope()));
  if (c.unit.user) {
    o.directives.insert(o.directives.begin(),
                        make("User", {""}, "drop User=root so DynamicUser= allocates its own user"));
  }
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_user() {
  static const Rule r{
      .id = "user",
      .keys = {"User", "Group", "DynamicUser", "AmbientCapabilities", "ExecStartPre"},
      .assessors = {"UserOrDynamicUser"},
      .mount_namespace = true,
      .forbidden_by = "capability use, uid/gid changes, setuid executables, writes outside systemd-managed directories, root-only files",
      .implies = "DynamicUser= implies ProtectSystem=strict, ProtectHome=read-only, PrivateTmp=, RemoveIPC=, RestrictSUIDSGID=",
      .decide = decide_user, .order = 10};
  return r;
}

namespace {

RuleOutcome decide_supplementary_groups(const Context& c) {
  RuleOutcome r;
  if (!c.unit.supplementary_groups.empty()) {
    std::set<std::string> g(c.unit.supplementary_groups.begin(), c.unit.supplementary_groups.end());
    r.not_set.push_back(refuse("SupplementaryGroups= (removal)",
                               fmt::format("kept {}: a profile cannot tell which group-owned files need them", join(g))));
  }
  return r;
}

}  // namespace

const Rule& rule_supplementary_groups() {
  static const Rule r{
      .id = "supplementary-groups",
      .keys = {"SupplementaryGroups"},
      .assessors = {"SupplementaryGroups"},
      .mount_namespace = false,
      .forbidden_by = "never removed: group-owned files are invisible to a profile",
      .implies = "",
      .decide = decide_supplementary_groups, .order = 20};
  return r;
}

namespace {

RuleOutcome decide_private_users(const Context& c) {
  RuleOutcome r;
  if (c.unit.private_users) return r;
  // Every reason a full namespace breaks it, in the order found; the identity
  // mapping (257+) fixes some: it keeps users, groups and file ownership as
  // they are, and the namespace's root keeps its power over files of mapped
  // owners. Any other capability, identity change or setuid program blocks both.
  std::vector<std::string> why;
  bool identity_fixes_all = true;
  static const std::set<std::string> kFileCaps = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
                                                  "CAP_FOWNER", "CAP_FSETID"};
  auto obviated = c.caps_obviated_by_user();
  for (const auto& [cap, w] : c.ev.capabilities) {
    if (obviated.count(cap)) continue;
    why.push_back(cap + " (useless inside a user namespace)");
    if (!kFileCaps.count(cap)) identity_fixes_all = false;
  }
  for (const char* f : {"uid_change", "gid_change"}) {
    if (!c.ev.flag(f)) continue;
    why.push_back(std::string(f == std::string("uid_change") ? "changes user" : "changes group"));
    identity_fixes_all = false;
  }
  if (!c.unit.supplementary_groups.empty()) {
    why.push_back("SupplementaryGroups= are not mapped into the user namespace");
  }
  if (!c.ev.setuid_executables.empty()) {
    why.push_back("executes setuid " + setuid_text(c.ev));
    identity_fixes_all = false;
  }
  for (const auto& [path, use] : c.ev.paths) {
    if (use.access & profile::kChown) {
      why.push_back("chown of " + path);
      break;
    }
  }
  if (!c.unprivileged() && why.empty()) why.push_back("runs as root: files of other users would appear as nobody");
  if (!why.empty()) {
    r.not_set.push_back(refuse("PrivateUsers=yes", sample(why)));
    if (identity_fixes_all && c.accepts("PrivateUsers", "identity"))
      r.options.push_back(single("PrivateUsers", "identity",
                                 fmt::format("a full user namespace would break it ({}); the identity mapping keeps "
                                             "users, groups and file ownership, and nothing else is needed ({})",
                                             sample(why), c.scope())));
    return r;
  }
  r.options.push_back(single("PrivateUsers", "yes",
                             fmt::format("unprivileged, no capability or identity change ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_private_users() {
  static const Rule r{
      .id = "private-users",
      .keys = {"PrivateUsers"},
      .assessors = {"PrivateUsers"},
      .mount_namespace = true,
      .forbidden_by = "capabilities, identity changes, SupplementaryGroups=, setuid executables",
      .implies = "",
      .decide = decide_private_users, .order = 150};
  return r;
}

namespace {

RuleOutcome decide_remove_ipc(const Context& c) {
  RuleOutcome r;
  if (c.unit.remove_ipc) return r;
  if (c.ev.flag("sysv_ipc")) {
    r.not_set.push_back(refuse("RemoveIPC=yes",
                               who(c.ev.flags.at("sysv_ipc").executables) +
                                   " uses SysV IPC; its objects may be meant to outlive a restart"));
    return r;
  }
  r.options.push_back(single("RemoveIPC", "yes", fmt::format("no SysV IPC object used ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_remove_ipc() {
  static const Rule r{
      .id = "remove-ipc",
      .keys = {"RemoveIPC"},
      .assessors = {"RemoveIPC"},
      .mount_namespace = false,
      .forbidden_by = "SysV IPC use",
      .implies = "",
      .decide = decide_remove_ipc, .order = 330};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> identity_rules() {
  return {
      &rule_user(),
      &rule_supplementary_groups(),
      &rule_private_users(),
      &rule_remove_ipc(),
  };
}

}  // namespace sdh::synth::rules
