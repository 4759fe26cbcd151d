// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/knowledge.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "synth/static_user.h"
#include "synth/syscall_groups.h"
#include "unit/apply.h"
#include "util/fs.h"
#include "util/strings.h"
#include "util/linux_names.h"

namespace sdh::synth {

namespace {

using profile::kCreate;
using profile::kDelete;
using profile::kRename;
using profile::kRead;
using profile::kWrite;

Directive make(const std::string& key, std::vector<std::string> values, std::string why,
               const std::string& rule, const std::string& section = "Service") {
  Directive d;
  d.section = section;
  d.key = key;
  d.values = std::move(values);
  d.justification = std::move(why);
  d.rule = rule;
  return d;
}

Option single(const std::string& key, const std::string& value, std::string why, const std::string& rule,
              int forbids = 0) {
  Option o;
  o.directives.push_back(make(key, {value}, std::move(why), rule));
  o.forbids = forbids;
  return o;
}

NotSet refuse(const std::string& directive, std::string reason, const std::string& rule) {
  return NotSet{directive, std::move(reason), rule};
}

template <typename Container>
std::string join(const Container& s, const std::string& sep = " ") {
  std::string out;
  for (const auto& x : s) {
    if (!out.empty()) out += sep;
    out += x;
  }
  return out;
}

// First few items of a list for a comment, "a, b, c and 4 more".
std::string sample(const std::vector<std::string>& items, size_t max = 3) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  if (items.size() > max) out += fmt::format(" and {} more", items.size() - max);
  return out;
}

std::vector<std::string> path_list(const std::vector<const PathUse*>& uses) {
  std::vector<std::string> out;
  for (const auto* u : uses) out.push_back(u->path);
  return out;
}

// ---- capabilities -------------------------------------------------------

const int kCapCount = capability_count();

int cap_number(const std::string& name) { return capability_number(name); }

std::string caps_text(uint64_t bits) {
  std::string out;
  for (int i = 0; i < kCapCount; ++i) {
    if (bits & (uint64_t{1} << i)) {
      if (!out.empty()) out += ' ';
      out += capability_name(i);
    }
  }
  return out;
}

uint64_t observed_caps(const Evidence& ev) {
  uint64_t bits = 0;
  for (const auto& [name, w] : ev.capabilities) {
    int n = cap_number(name);
    if (n >= 0) bits |= uint64_t{1} << n;
  }
  return bits;
}

// "/usr/sbin/sendmail" (the setuid binaries run, or who ran one).
std::string setuid_text(const Evidence& ev) { return join(ev.setuid_executables, ", "); }

bool is_root_name(const std::optional<std::string>& user) {
  return !user || user->empty() || *user == "root" || *user == "0";
}

// ---- identity -----------------------------------------------------------

// Directories systemd can create and hand to a dynamic user. `path` may be
// the directory itself when `is_dir` (it has observed children).
std::optional<std::pair<std::string, std::string>> managed_directory(const std::string& path, bool is_dir = false) {
  static const std::pair<const char*, const char*> kDirs[] = {{"/var/lib/", "StateDirectory"},
                                                             {"/var/cache/", "CacheDirectory"},
                                                             {"/var/log/", "LogsDirectory"},
                                                             {"/run/", "RuntimeDirectory"}};
  for (const auto& [prefix, key] : kDirs) {
    std::string p = prefix;
    if (path.rfind(p, 0) != 0) continue;
    std::string rest = path.substr(p.size());
    auto slash = rest.find('/');
    if (slash == std::string::npos && !is_dir) return std::nullopt;  // a file directly in /var/lib
    std::string name = rest.substr(0, slash);
    if (name.empty() || name == "private" || name == "systemd" || name == "user") return std::nullopt;
    return std::make_pair(std::string(key), name);
  }
  return std::nullopt;
}

// A path with observed paths below it is a directory.
bool has_children(const Evidence& ev, const std::string& path) {
  // "/a-b" sorts between "/a" and "/a/c": look from "/a/" on.
  std::string below = path + "/";
  auto it = ev.paths.lower_bound(below);
  return it != ev.paths.end() && it->first.compare(0, below.size(), below) == 0;
}

std::optional<std::pair<std::string, std::string>> managed_of(const Evidence& ev, const std::string& path) {
  return managed_directory(path, has_children(ev, path));
}

// Where systemd puts StateDirectory= and friends.
std::string managed_base(const std::string& key) {
  return key == "StateDirectory"   ? "/var/lib/"
         : key == "CacheDirectory" ? "/var/cache/"
         : key == "LogsDirectory"  ? "/var/log/"
                                   : "/run/";
}

// StateDirectory= and friends chown the whole tree to the service's user and
// group at every start. That takes nothing from anyone when systemd creates
// the directory, when it is theirs already, or when it is root's and no one
// else may write it (root keeps its access through its capabilities). A
// directory of another account (unbound's /var/lib/unbound for a daemon
// started as root; /var/log/redis, redis:adm) would be taken from it.
bool hand_over_harmless(const SystemFacts& facts, const std::string& dir, uint32_t uid, uint32_t gid) {
  if (facts.empty()) return true;
  const FileFacts* f = facts.file(dir);
  if (!f) return true;
  if (f->uid == uid && f->gid == gid) return true;
  return f->uid == 0 && f->gid == 0 && !(f->mode & 022);
}

// Writes a fresh ProtectSystem=strict mount view would refuse, minus the
// paths the plan or unit makes writable by other means.
bool api_or_scratch(const Context& c, const std::string& path) {
  for (const char* p : {"/dev", "/proc", "/sys"}) {
    if (path_under(path, p)) return true;
  }
  if (c.private_tmp() && (path_under(path, "/tmp") || path_under(path, "/var/tmp"))) return true;
  return false;
}

// Under a directory systemd creates for the unit and hands to its user
// (RuntimeDirectory= and friends).
bool under_unit_directory(const unit::UnitSettings& u, const std::string& path) {
  const std::pair<const std::vector<std::string>*, const char*> dirs[] = {
      {&u.state_directory, "/var/lib/"}, {&u.cache_directory, "/var/cache/"},
      {&u.logs_directory, "/var/log/"},  {&u.runtime_directory, "/run/"}};
  for (const auto& [list, base] : dirs) {
    for (const auto& d : *list) {
      if (path_under(path, std::string(base) + d)) return true;
    }
  }
  return false;
}

bool already_writable(const unit::UnitSettings& u, const std::string& path) {
  for (const auto& p : u.read_write_paths) {
    std::string q = p;
    while (!q.empty() && (q[0] == '-' || q[0] == '+')) q.erase(0, 1);
    if (path_under(path, q)) return true;
  }
  return under_unit_directory(u, path);
}

StaticUserAnalysis static_user_analysis(const Context& c, const Account* forced = nullptr) {
  UnitSetup setup;
  setup.pid_file = c.unit.pid_file;
  setup.unit_name = c.unit.name;
  setup.handed_over = [&](const std::string& p, const Account& who) {
    if (under_unit_directory(c.unit, p)) return true;
    // Handed over only when written to: the writes rule then lists it.
    auto m = managed_of(c.ev, p);
    if (!m) return false;
    std::string dir = managed_base(m->first) + m->second;
    return !c.ev.paths_under(dir, kWriteBits).empty() && hand_over_harmless(c.facts, dir, who.uid, who.gid);
  };
  return analyse_static_user(c.ev, c.facts, setup, forced, c.waive_static_user_blockers);
}

std::vector<const PathUse*> writes_needing_rw(const Context& c) {
  std::vector<const PathUse*> out;
  for (const auto& [path, use] : c.ev.paths) {
    if (!(use.access & kWriteBits) || use.is_device) continue;
    if (api_or_scratch(c, path) || already_writable(c.unit, path)) continue;
    out.push_back(&use);
  }
  return out;
}

// Files only root may read on a stock system, and private keys, which are
// usually mode 0600 root: a dynamic user could not open them.
bool root_only_file(const std::string& path) {
  for (const char* p : {"/etc/shadow", "/etc/gshadow", "/etc/ssl/private", "/etc/sudoers", "/root",
                        "/etc/letsencrypt/archive", "/etc/letsencrypt/live"}) {
    if (path_under(path, p)) return true;
  }
  if (!path_under(path, "/etc")) return false;
  auto ends_with = [&](const std::string& suffix) {
    return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".key") || path.find("/private/") != std::string::npos;
}

RuleOutcome decide_user(const Context& c) {
  RuleOutcome r;
  if (c.unit.dynamic_user || !is_root_name(c.unit.user)) return r;  // already unprivileged
  const std::string rule = "user";
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
      r.not_set.push_back(refuse("DynamicUser=yes", "runs as root because it " + reason, rule));
      // Always say why it stays root, with or without an account in view.
      std::string why;
      for (const auto& b : su.blockers) why += (why.empty() ? "" : "; ") + b;
      if (why.empty()) why = "no account to start it as";
      r.not_set.push_back(refuse("User=" + (su.account ? su.account->name : std::string()), why, rule));
      return r;
    }
    r.not_set.push_back(refuse("DynamicUser=yes", "it " + reason + "; the static User= below covers that", rule));
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
    std::string group = a.group.empty() ? std::to_string(a.gid) : a.group;
    std::string group_why = a.name + "'s primary group";
    if (su.group && *su.group != a.gid) {
      group = std::to_string(*su.group);
      group_why = "the group it switches to itself";
    } else if (su.group) {
      group_why = "the group it switches to itself, " + group_why;
    }
    Option o;
    o.directives.push_back(make("User", {a.name}, why, rule));
    o.directives.push_back(make("Group", {group}, group_why, rule));
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
                                                sample(whys), a.name),
                                    rule));
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
        values.push_back(fmt::format("+/usr/bin/install -m {} -o {} -g {} /dev/null {}",
                                     p == c.unit.pid_file ? "0644" : "0600", a.name, group, p));
      }
      if (relist) values.insert(values.end(), own->second.begin(), own->second.end());
      std::set<std::string> dirs;
      for (const auto& p : su.precreated) dirs.insert(dirname_of(p));
      o.directives.push_back(make(
          "ExecStartPre", values,
          fmt::format("the PID file {} is created in {}, which {} may not write: systemd creates it for {} "
                      "first, with full privileges (\"+\"), and removes it after the stop{}",
                      sample(su.precreated), join(dirs), a.name, a.name,
                      relist ? "; the unit's own ExecStartPre= lines follow" : ""),
          rule));
    }
    r.options.push_back(o);
    return r;
  }
  Option o = single("DynamicUser", "yes",
                    fmt::format("no capability used, no identity change, all writes in systemd-managed "
                                "directories ({})",
                                c.scope()),
                    rule);
  if (c.unit.user) {
    o.directives.insert(o.directives.begin(),
                        make("User", {""}, "drop User=root so DynamicUser= allocates its own user", rule));
  }
  r.options.push_back(o);
  return r;
}

RuleOutcome decide_supplementary_groups(const Context& c) {
  RuleOutcome r;
  if (!c.unit.supplementary_groups.empty()) {
    std::set<std::string> g(c.unit.supplementary_groups.begin(), c.unit.supplementary_groups.end());
    r.not_set.push_back(refuse("SupplementaryGroups= (removal)",
                               fmt::format("kept {}: a profile cannot tell which group-owned files need them", join(g)),
                               "supplementary-groups"));
  }
  return r;
}

RuleOutcome decide_capabilities(const Context& c) {
  RuleOutcome r;
  const std::string rule = "capabilities";
  uint64_t current = c.unit.capability_bounding_set;
  auto obviated = c.caps_obviated_by_user();
  uint64_t want = observed_caps(c.ev) & current;
  for (const auto& [cap, why] : obviated)
    if (int n = cap_number(cap); n >= 0) want &= ~(uint64_t{1} << n);
  uint64_t all_known = (uint64_t{1} << kCapCount) - 1;
  if ((current & all_known) != want) {
    std::string caps = caps_text(want);
    std::string why;
    if (want != 0) why = fmt::format("only {} checked ({})", caps, c.scope());
    else if (obviated.empty()) why = fmt::format("no capability check by any process ({})", c.scope());
    else why = fmt::format("no capability needed ({})", c.scope());
    for (const auto& [cap, why_ignored] : c.ev.ignored_capabilities) {
      why += "; " + cap + " dropped: " + why_ignored;
    }
    // Grouped by reason: the file-permission checks share one.
    std::map<std::string, std::vector<std::string>> by_reason;
    for (const auto& [cap, why_not] : obviated) by_reason[why_not].push_back(cap);
    for (const auto& [why_not, list] : by_reason) {
      why += fmt::format("; {} not needed as {}: {}", sample(list, 8), c.planned_static_user()->values.back(),
                         why_not);
    }
    std::vector<std::string> values;
    if (current != ~uint64_t{0}) values.push_back("");  // reset the unit's own set before narrowing
    values.push_back(caps);
    Option o;
    o.directives.push_back(make("CapabilityBoundingSet", values, why, rule));
    r.options.push_back(o);
  }
  uint64_t ambient = c.unit.ambient_capabilities;
  if (ambient != 0) {
    uint64_t keep = ambient & observed_caps(c.ev);
    if (keep != ambient) {
      Option o;
      o.directives.push_back(make("AmbientCapabilities", {"", caps_text(keep)},
                                  keep == 0 ? "no ambient capability was used" : "only " + caps_text(keep) + " used",
                                  rule));
      r.options.push_back(o);
    } else {
      r.not_set.push_back(refuse("AmbientCapabilities= (removal)",
                                 fmt::format("{} used by {}", caps_text(keep),
                                             who(c.ev.capabilities.begin()->second.executables)),
                                 rule));
    }
  }
  return r;
}

RuleOutcome decide_nnp(const Context& c) {
  RuleOutcome r;
  if (c.unit.no_new_privileges) return r;
  if (!c.ev.setuid_executables.empty()) {
    r.not_set.push_back(refuse("NoNewPrivileges=yes",
                               fmt::format("executes setuid/setgid {}, which would lose its privileges",
                                           setuid_text(c.ev)),
                               "no-new-privileges"));
    return r;
  }
  r.options.push_back(single("NoNewPrivileges", "yes",
                             fmt::format("no setuid/setgid executable run ({})", c.scope()), "no-new-privileges"));
  return r;
}

// ---- seccomp-style ------------------------------------------------------

RuleOutcome decide_syscall_filter(const Context& c) {
  RuleOutcome r;
  const std::string rule = "system-call-filter";
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("SystemCallFilter=", *b, rule));
    return r;
  }
  if (c.ev.syscalls_all.empty()) {
    r.not_set.push_back(refuse("SystemCallFilter=", "the profile recorded no system calls", rule));
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
                                                                     c.planned_static_user()->values.back())),
                              rule));
  if (!c.unit.system_call_error_number) {
    o.directives.push_back(make("SystemCallErrorNumber", {"EPERM"},
                                "a refused call fails with EPERM instead of killing with SIGSYS, so it shows in logs",
                                rule));
  }
  r.options.push_back(o);
  if (!refused_by_unit.empty()) {
    r.not_set.push_back(refuse("SystemCallFilter= (" + sample(refused_by_unit) + ")",
                               "called by the daemon but refused by the unit's own filter; not widened", rule));
  }
  return r;
}

RuleOutcome decide_architectures(const Context& c) {
  RuleOutcome r;
  const std::string rule = "system-call-architectures";
  if (!c.unit.system_call_architectures.empty()) return r;
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("SystemCallArchitectures=native", *b, rule));
    return r;
  }
  std::string native = systemd_arch(c.ev.architecture);
  std::map<std::string, std::set<std::string>> foreign;  // arch -> executables
  for (const auto& [exe, machine] : c.ev.machines) {
    std::string a = systemd_arch(machine);
    if (!native.empty() && a != native) foreign[a].insert(exe);
  }
  if (foreign.empty()) {
    r.options.push_back(single("SystemCallArchitectures", "native",
                               fmt::format("every executable is {} ({} checked)", native.empty() ? "native" : native,
                                           c.ev.machines.size()),
                               rule));
    return r;
  }
  std::string extra, why;
  for (const auto& [arch, exes] : foreign) {
    extra += " " + arch;
    why += (why.empty() ? "" : "; ") + fmt::format("{} is {}", who(exes), arch);
  }
  r.not_set.push_back(refuse("SystemCallArchitectures=native", why + " (multiarch)", rule));
  r.options.push_back(single("SystemCallArchitectures", "native" + extra,
                             "native plus the foreign ABI actually executed: " + why, rule));
  return r;
}

RuleOutcome decide_address_families(const Context& c) {
  RuleOutcome r;
  const std::string rule = "restrict-address-families";
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("RestrictAddressFamilies=", *b, rule));
    return r;
  }
  std::set<std::string> fams;
  std::vector<std::string> reasons;
  for (const auto& [f, w] : c.ev.families) {
    fams.insert(f);
    reasons.push_back(fmt::format("{} by {}", f, who(w.executables)));
  }
  // NSS/PAM modules talk to their back-ends through families the profiled
  // workload may not have exercised.
  for (const auto& [module, lib] : c.ev.nss_modules) {
    std::set<std::string> need;
    if (module == "ldap" || module == "nis" || module == "nisplus" || module == "winbind" || module == "wins" ||
        module.rfind("mdns", 0) == 0 || module == "dns") {
      need = {"AF_UNIX", "AF_INET", "AF_INET6"};
    } else if (module == "sss" || module == "systemd" || module == "resolve" || module == "mymachines") {
      need = {"AF_UNIX"};
    }
    for (const auto& f : need) {
      if (fams.insert(f).second) reasons.push_back(fmt::format("{} for NSS module {}", f, lib));
    }
  }
  if (!c.ev.pam_files.empty()) {
    for (const char* f : {"AF_UNIX", "AF_NETLINK"}) {
      if (fams.insert(f).second) reasons.push_back(fmt::format("{} for PAM (audit, nscd)", f));
    }
  }
  const auto& cur = c.unit.restrict_address_families;
  if (cur.configured) {
    std::set<std::string> bounded;
    for (const auto& f : fams) {
      if (cur.allow_list ? cur.names.count(f) > 0 : cur.names.count(f) == 0) bounded.insert(f);
    }
    if (cur.allow_list && bounded == cur.names) return r;  // nothing to narrow
    fams = bounded;
  }
  std::vector<std::string> values;
  if (cur.configured) values.push_back("");
  values.push_back(fams.empty() ? "none" : join(fams));
  std::vector<std::string> absent;
  for (const char* f : {"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET"}) {
    if (!fams.count(f)) absent.push_back(f);
  }
  std::string none_of;
  for (size_t i = 0; i < absent.size(); ++i) {
    none_of += (i == 0 ? "" : i + 1 == absent.size() ? " or " : ", ") + absent[i];
  }
  std::string why = fams.empty() ? fmt::format("no socket created in {}", c.scope())
                    : absent.empty()
                        ? fmt::format("{} ({})", sample(reasons, 4), c.scope())
                        : fmt::format("{}; no {} socket in {}", sample(reasons, 4), none_of, c.scope());
  if (c.ev.socket_activated) why += "; listening sockets are passed in by socket activation";
  Option o;
  o.directives.push_back(make("RestrictAddressFamilies", values, why, rule));
  r.options.push_back(o);
  return r;
}

bool loopback(const std::string& a) {
  return a.rfind("127.", 0) == 0 || a == "::1" || a == "localhost" || a == "::ffff:127.0.0.1";
}
bool wildcard(const std::string& a) { return a.empty() || a == "0.0.0.0" || a == "::" || a == "*"; }
bool ip_family(const std::string& f) { return f == "AF_INET" || f == "AF_INET6"; }

RuleOutcome decide_ip_address(const Context& c) {
  RuleOutcome r;
  const std::string rule = "ip-address";
  if (!c.unit.ip_address_deny.empty() || !c.unit.ip_ingress_filter_path.empty()) return r;
  std::set<std::string> peers;
  std::vector<std::string> open;
  bool any_ip = false;
  for (const auto& a : c.ev.addresses) {
    if (!ip_family(a.family)) continue;
    any_ip = true;
    if (a.op == "bind" || a.op == "listen") {
      if (!loopback(a.address)) open.push_back(fmt::format("{} binds {}:{}", a.executable, a.address.empty() ? "*" : a.address, a.port));
    } else if (a.op == "accept") {
      if (!loopback(a.address)) open.push_back(fmt::format("{} accepts from {}", a.executable, a.address));
    } else if (!loopback(a.address) && !wildcard(a.address)) {
      peers.insert(a.address);
    }
  }
  bool ip_sockets = c.ev.families.count("AF_INET") || c.ev.families.count("AF_INET6");
  // Passed sockets bring clients the profile cannot name; sockets that are
  // not IP (paths, abstract names, netlink...) bring none an IP rule sees.
  std::vector<std::string> passed, passed_ip;
  if (c.ev.socket_activated && c.activation) {
    for (const auto& l : *c.activation) {
      passed.push_back(fmt::format("{} {}={}", l.socket_unit, l.kind, l.value));
      if (l.ip()) passed_ip.push_back(passed.back());
    }
  }
  if (!open.empty() || (c.ev.socket_activated && (!c.activation || !passed_ip.empty()))) {
    std::string why = !open.empty()      ? sample(open) + ": clients can come from anywhere"
                      : !c.activation    ? "socket-activated: clients of the passed sockets are unknown"
                                         : sample(passed_ip) + ": clients can come from anywhere";
    r.not_set.push_back(refuse("IPAddressDeny=any", why, rule));
    return r;
  }
  if (!any_ip && !ip_sockets) {
    std::string why = fmt::format("no IP traffic ({})", c.scope());
    if (!passed.empty()) why += "; the passed sockets are not IP: " + sample(passed);
    r.options.push_back(single("IPAddressDeny", "any", why, rule));
    return r;
  }
  // NSS modules that talk to directory servers fail over to servers of their
  // own configuration: the peers seen are not the whole list.
  for (const auto& [module, lib] : c.ev.nss_modules) {
    if (module == "ldap" || module == "nis" || module == "nisplus" || module == "winbind" || module == "sss") {
      if (peers.empty()) continue;
      r.not_set.push_back(refuse("IPAddressDeny=any",
                                 fmt::format("NSS module {} reaches the servers of its own configuration; {} seen, "
                                             "others would be blocked on fail-over",
                                             lib, join(peers, ", ")),
                                 rule));
      return r;
    }
  }
  Option o;
  o.directives.push_back(make("IPAddressDeny", {"any"},
                              fmt::format("IP traffic only to {} ({})",
                                          peers.empty() ? "localhost" : "localhost and " + join(peers, ", "),
                                          c.scope()),
                              rule));
  std::string allow = "localhost";
  for (const auto& p : peers) allow += " " + p;
  o.directives.push_back(make("IPAddressAllow", {allow}, "the peers observed", rule));
  r.options.push_back(o);
  return r;
}

RuleOutcome decide_socket_bind(const Context& c) {
  RuleOutcome r;
  const std::string rule = "socket-bind";
  if (!c.unit.socket_bind_allow.empty() || !c.unit.socket_bind_deny.empty()) return r;
  bool ip_sockets = c.ev.families.count("AF_INET") || c.ev.families.count("AF_INET6");
  if (!ip_sockets) return r;  // RestrictAddressFamilies= already covers it
  if (c.version == unit::SystemdVersion::v252) {
    r.not_set.push_back(refuse("SocketBindDeny=any",
                               "not scored, and Debian's systemd 252 is built without the BPF framework it needs",
                               rule));
    return r;
  }
  std::set<std::string> allows;
  for (const auto& a : c.ev.addresses) {
    if (a.op != "bind" || !ip_family(a.family)) continue;
    if (a.port == 0) {
      r.not_set.push_back(refuse("SocketBindDeny=any", a.executable + " binds an ephemeral port", rule));
      return r;
    }
    allows.insert(fmt::format("{}:{}", a.family == "AF_INET" ? "ipv4" : "ipv6", a.port));
  }
  Option o;
  o.required = true;  // unscored defence: the binds observed and nothing else
  o.directives.push_back(make("SocketBindDeny", {"any"},
                              allows.empty() ? "no bind() on an IP socket" : "binds only the ports below", rule));
  // One rule per assignment: systemd takes a single bind rule per line.
  if (!allows.empty()) {
    o.directives.push_back(make("SocketBindAllow", {allows.begin(), allows.end()}, "the ports bound", rule));
  }
  r.options.push_back(o);
  return r;
}

RuleOutcome decide_private_network(const Context& c) {
  RuleOutcome r;
  const std::string rule = "private-network";
  if (c.unit.private_network) return r;
  std::vector<std::string> why;
  for (const char* f : {"AF_INET", "AF_INET6", "AF_PACKET"}) {
    auto it = c.ev.families.find(f);
    if (it != c.ev.families.end()) why.push_back(fmt::format("{} socket by {}", f, who(it->second.executables)));
  }
  for (const auto& a : c.ev.addresses) {
    if (ip_family(a.family)) {
      why.push_back(fmt::format("{} {} {}", a.executable, a.op, a.address));
      break;
    }
  }
  for (const auto& a : c.ev.addresses) {
    if (a.family == "AF_UNIX" && !a.address.empty() && a.address[0] == '@') {
      why.push_back(fmt::format("abstract socket {} (per network namespace)", a.address));
      break;
    }
  }
  if (!why.empty()) {
    r.not_set.push_back(refuse("PrivateNetwork=yes", sample(why), rule));
    return r;
  }
  r.options.push_back(single("PrivateNetwork", "yes",
                             fmt::format("no IP, packet or abstract-socket use ({})", c.scope()), rule));
  return r;
}

// ---- devices ------------------------------------------------------------

std::vector<const PathUse*> real_devices(const Evidence& ev) {
  std::vector<const PathUse*> out;
  for (const auto& [path, use] : ev.paths) {
    if (!(use.is_device || path_under(path, "/dev"))) continue;
    if (is_pseudo_device(path)) continue;
    if (use.access == profile::kStat || use.access == profile::kList) continue;
    out.push_back(&use);
  }
  return out;
}

std::string device_access(const PathUse& u) {
  std::string a;
  if (u.access & (kRead | profile::kList | profile::kStat)) a += 'r';
  if (u.access & (kWrite | kCreate)) a += 'w';
  if (u.access & profile::kMknod) a += 'm';
  return a.empty() ? "r" : a;
}

RuleOutcome decide_private_devices(const Context& c) {
  RuleOutcome r;
  const std::string rule = "private-devices";
  if (c.unit.private_devices) return r;
  auto devs = real_devices(c.ev);
  if (!devs.empty()) {
    r.not_set.push_back(refuse("PrivateDevices=yes", "opens " + sample(path_list(devs)), rule));
    return r;
  }
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("PrivateDevices=yes", "mounts file systems (needs the host's mount namespace)", rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("PrivateDevices=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("PrivateDevices", "yes",
                             fmt::format("only pseudo devices (/dev/null, /dev/urandom, ...) used ({})", c.scope()),
                             rule));
  return r;
}

RuleOutcome decide_device_policy(const Context& c) {
  RuleOutcome r;
  const std::string rule = "device-policy";
  if (c.unit.device_policy != unit::DevicePolicy::auto_) return r;
  std::vector<const PathUse*> used;
  for (const auto& [path, use] : c.ev.paths) {
    if (!(use.is_device || path_under(path, "/dev")) || path == "/dev") continue;
    if (path_under(path, "/dev/pts") || path_under(path, "/dev/shm") || path_under(path, "/dev/mqueue") ||
        path_under(path, "/dev/fd") || path == "/dev/log" || path_under(path, "/dev/hugepages")) {
      continue;  // not device nodes, or covered by the standard allow-list
    }
    if (use.access == profile::kStat) continue;
    used.push_back(&use);
  }
  std::vector<std::string> allow;
  for (const auto* u : used) allow.push_back(u->path + " " + device_access(*u));
  auto dev_allow = [&](Option& o, const std::vector<std::string>& entries) {
    for (const auto& e : entries) {
      o.directives.push_back(make("DeviceAllow", {e}, "opened by " + who(c.ev.paths.at(e.substr(0, e.find(' '))).executables), rule));
    }
  };
  // closed: the standard pseudo devices plus what was seen; strict: only what was seen.
  std::vector<std::string> non_pseudo;
  for (const auto& e : allow) {
    if (!is_pseudo_device(e.substr(0, e.find(' ')))) non_pseudo.push_back(e);
  }
  {
    Option o;
    o.forbids = 0;
    o.directives.push_back(make("DevicePolicy", {"closed"},
                                non_pseudo.empty() ? fmt::format("only pseudo devices used ({})", c.scope())
                                                   : "device access limited to the nodes below",
                                rule));
    dev_allow(o, non_pseudo);
    r.options.push_back(o);
  }
  {
    Option o;
    o.forbids = 1;
    o.directives.push_back(make("DevicePolicy", {"strict"},
                                allow.empty() ? fmt::format("no device node opened ({})", c.scope())
                                              : "device access limited to the nodes below",
                                rule));
    dev_allow(o, allow);
    r.options.push_back(o);
  }
  return r;
}

// ---- file system view ---------------------------------------------------

RuleOutcome decide_private_tmp(const Context& c) {
  RuleOutcome r;
  const std::string rule = "private-tmp";
  if (c.unit.private_tmp || c.dynamic_user()) return r;
  std::vector<std::string> shared;
  for (const char* base : {"/tmp", "/var/tmp"}) {
    for (const auto* u : c.ev.paths_under(base, ~0u)) {
      if (u->path == base) continue;
      // Something the service did not create itself is shared with others.
      bool created = false;
      for (std::string p = u->path; p.size() > std::string(base).size(); p = p.substr(0, p.rfind('/'))) {
        auto it = c.ev.paths.find(p);
        if (it != c.ev.paths.end() && (it->second.access & kCreate)) {
          created = true;
          break;
        }
      }
      if (!created) shared.push_back(u->path);
    }
  }
  for (const auto& a : c.ev.addresses) {
    if (a.family == "AF_UNIX" && (path_under(a.address, "/tmp") || path_under(a.address, "/var/tmp"))) {
      shared.push_back(a.address);
    }
  }
  if (!shared.empty()) {
    r.not_set.push_back(refuse("PrivateTmp=yes", "uses pre-existing " + sample(shared), rule));
    return r;
  }
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("PrivateTmp=yes", "mounts file systems the host must see", rule));
    return r;
  }
  r.options.push_back(single("PrivateTmp", "yes",
                             fmt::format("no file in /tmp or /var/tmp shared with other programs ({})", c.scope()),
                             rule));
  return r;
}

RuleOutcome decide_private_mounts(const Context& c) {
  RuleOutcome r;
  if (c.unit.private_mounts) return r;
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("PrivateMounts=yes",
                               who(c.ev.flags.at("mounts").executables) + " mounts file systems the host must see",
                               "private-mounts"));
    return r;
  }
  r.options.push_back(single("PrivateMounts", "yes", fmt::format("no mount() ({})", c.scope()), "private-mounts"));
  return r;
}

RuleOutcome decide_private_users(const Context& c) {
  RuleOutcome r;
  const std::string rule = "private-users";
  if (c.unit.private_users) return r;
  std::vector<std::string> why;
  auto obviated = c.caps_obviated_by_user();
  for (const auto& [cap, w] : c.ev.capabilities)
    if (!obviated.count(cap)) why.push_back(cap + " (useless inside a user namespace)");
  for (const char* f : {"uid_change", "gid_change"}) {
    if (c.ev.flag(f)) why.push_back(std::string(f == std::string("uid_change") ? "changes user" : "changes group"));
  }
  if (!c.unit.supplementary_groups.empty()) {
    why.push_back("SupplementaryGroups= are not mapped into the user namespace");
  }
  if (!c.ev.setuid_executables.empty()) why.push_back("executes setuid " + setuid_text(c.ev));
  for (const auto& [path, use] : c.ev.paths) {
    if (use.access & profile::kChown) {
      why.push_back("chown of " + path);
      break;
    }
  }
  if (!c.unprivileged() && why.empty()) why.push_back("runs as root: files of other users would appear as nobody");
  if (!why.empty()) {
    r.not_set.push_back(refuse("PrivateUsers=yes", sample(why), rule));
    return r;
  }
  r.options.push_back(single("PrivateUsers", "yes",
                             fmt::format("unprivileged, no capability or identity change ({})", c.scope()), rule));
  return r;
}

std::string rw_path_for(const PathUse& u) {
  // A file the service creates or renames does not exist at start: open its directory.
  if (u.access & (kCreate | kDelete | kRename)) return dirname_of(u.path);
  return u.path;
}

void add_unique_prefix(std::set<std::string>& set, const std::string& p) {
  for (const auto& q : set) {
    if (path_under(p, q)) return;
  }
  for (auto it = set.begin(); it != set.end();) {
    it = path_under(*it, p) ? set.erase(it) : std::next(it);
  }
  set.insert(p);
}

// The uid and gid the service will run as, when the machine's accounts tell.
std::optional<std::pair<uint32_t, uint32_t>> service_ids(const Context& c) {
  std::optional<std::string> user = c.unit.user, group = c.unit.group;
  if (const Directive* d = c.planned_static_user()) user = d->values.back();
  if (const Directive* g = c.planned("Group"); g && !g->values.empty()) group = g->values.back();
  uint32_t uid = 0, gid = 0;
  if (!is_root_name(user)) {
    const Account* a = c.facts.account(*user);
    if (!a) return std::nullopt;
    uid = a->uid;
    gid = a->gid;
  }
  if (group && !group->empty() && *group != "root" && *group != "0") {
    const Account* by_group = nullptr;
    for (const auto& a : c.facts.accounts)
      if (a.group == *group) by_group = &a;
    if (by_group) gid = by_group->gid;
    else if (auto n = to_number<uint32_t>(*group)) gid = *n;
    else return std::nullopt;
  }
  return std::make_pair(uid, gid);
}

// A directory systemd may hand to the service's user without taking it
// from anyone (else ReadWritePaths= leaves it alone). Without facts, nothing
// is known to change.
bool hand_over_keeps_owner(const Context& c, const std::string& dir) {
  if (c.facts.empty() || c.dynamic_user()) return true;
  auto ids = service_ids(c);
  return ids && hand_over_harmless(c.facts, dir, ids->first, ids->second);
}

RuleOutcome decide_protect_system(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-system";
  if (c.unit.protect_system == unit::ProtectSystem::strict && !c.dynamic_user()) return r;
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("ProtectSystem=", "mounts file systems the host must see", rule));
    return r;
  }
  auto writes = writes_needing_rw(c);
  // Option A: systemd-managed directories where the paths match, else ReadWritePaths=.
  std::map<std::string, std::set<std::string>> managed;  // key -> names
  std::set<std::string> rw_a, rw_b;
  // A managed directory systemd may hand over without changing its owner.
  auto managed_here = [&](const std::string& path) -> std::optional<std::pair<std::string, std::string>> {
    auto m = managed_of(c.ev, path);
    if (m && !hand_over_keeps_owner(c, managed_base(m->first) + m->second)) return std::nullopt;
    return m;
  };
  for (const auto* u : writes) {
    auto m = managed_here(u->path);
    if (m) managed[m->first].insert(m->second);
    else add_unique_prefix(rw_a, rw_path_for(*u));
    if (m) add_unique_prefix(rw_b, managed_base(m->first) + m->second);
    else add_unique_prefix(rw_b, rw_path_for(*u));
  }
  auto written_under = [&](const std::string& key, const std::string& name) {
    std::vector<std::string> p;
    for (const auto* u : writes) {
      auto m = managed_here(u->path);
      if (m && m->first == key && m->second == name) p.push_back(u->path);
    }
    return sample(p, 2);
  };
  auto strict_line = [&](const std::string& extra) {
    return make("ProtectSystem", {"strict"},
                fmt::format("the OS tree is read-only; {}", extra.empty() ? "no write outside /dev, /proc, /sys" +
                                                                               std::string(c.private_tmp() ? " and the private /tmp" : "")
                                                                         : extra),
                rule);
  };
  bool rw_needed = !writes.empty();
  Option a;
  a.forbids = 0;
  a.required = rw_needed;  // companions keep the service working under an implied strict view
  // Companions only when the unit already has strict (a dynamic user still
  // needs its directories handed over).
  bool restate = c.unit.protect_system != unit::ProtectSystem::strict;
  if (restate) a.directives.push_back(strict_line(rw_needed ? "the writable paths below are the ones written" : ""));
  for (const auto& [key, names] : managed) {
    for (const auto& n : names) a.directives.push_back(make(key, {n}, "writes " + written_under(key, n), rule));
  }
  auto written_below = [&](const std::string& dir) {
    std::vector<std::string> p;
    std::set<std::string> exes;
    for (const auto* u : writes) {
      if (path_under(u->path, dir)) {
        p.push_back(u->path);
        exes.insert(u->executables.begin(), u->executables.end());
      }
    }
    return who(exes) + " writes " + sample(p, 2);
  };
  for (const auto& p : rw_a) a.directives.push_back(make("ReadWritePaths", {"-" + p}, written_below(p), rule));
  r.options.push_back(a);
  if (!managed.empty()) {
    Option b;
    b.forbids = 1;  // ReadWritePaths= keeps paths of other services writable too
    b.required = rw_needed;
    if (restate) b.directives.push_back(strict_line("the writable paths below are the ones written"));
    for (const auto& p : rw_b) b.directives.push_back(make("ReadWritePaths", {"-" + p}, written_below(p), rule));
    r.options.push_back(b);
  }
  return r;
}

RuleOutcome decide_protect_home(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-home";
  if (c.unit.protect_home == unit::ProtectHome::yes) return r;
  std::vector<const PathUse*> any, writes;
  for (const char* base : {"/home", "/root", "/run/user"}) {
    for (const auto* u : c.ev.paths_under(base, ~0u)) {
      if (u->path == base) continue;
      any.push_back(u);
      if (u->access & kWriteBits) writes.push_back(u);
    }
  }
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("ProtectHome=", "mounts file systems the host must see", rule));
    return r;
  }
  if (any.empty()) {
    r.options.push_back(single("ProtectHome", "yes",
                               fmt::format("nothing under /home, /root or /run/user touched ({})", c.scope()), rule));
    return r;
  }
  r.not_set.push_back(refuse("ProtectHome=yes", "uses " + sample(path_list(any)), rule));
  if (writes.empty()) {
    // tmpfs over the homes with the files read bound back in beats read-only.
    Option t;
    t.forbids = 0;
    t.directives.push_back(make("ProtectHome", {"tmpfs"}, "homes hidden except the files read below", rule));
    for (const auto* u : any) {
      t.directives.push_back(make("BindReadOnlyPaths", {"-" + u->path}, "read by " + who(u->executables), rule));
    }
    r.options.push_back(t);
    if (c.unit.protect_home == unit::ProtectHome::no) {
      r.options.push_back(single("ProtectHome", "read-only", "homes only read: " + sample(path_list(any)), rule, 1));
    }
  } else {
    r.not_set.push_back(refuse("ProtectHome=read-only", "writes " + sample(path_list(writes)), rule));
  }
  return r;
}

RuleOutcome decide_kernel_tunables(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-kernel-tunables";
  if (c.unit.protect_kernel_tunables) return r;
  std::vector<std::string> w;
  for (const char* base : {"/proc/sys", "/sys"}) {
    for (const auto* u : c.ev.paths_under(base, kWriteBits)) {
      if (!path_under(u->path, "/sys/fs/cgroup")) w.push_back(u->path);
    }
  }
  if (!w.empty()) {
    r.not_set.push_back(refuse("ProtectKernelTunables=yes", "writes " + sample(w), rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("ProtectKernelTunables=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("ProtectKernelTunables", "yes",
                             fmt::format("no write under /proc/sys or /sys ({})", c.scope()), rule));
  return r;
}

RuleOutcome decide_kernel_modules(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-kernel-modules";
  if (c.unit.protect_kernel_modules) return r;
  std::vector<std::string> why;
  if (c.ev.flag("kernel_module")) why.push_back(who(c.ev.flags.at("kernel_module").executables) + " loads modules");
  for (const auto& exe : c.ev.executables) {
    std::string base = exe.substr(exe.rfind('/') + 1);
    if (base == "modprobe" || base == "insmod" || base == "rmmod") why.push_back("runs " + exe);
  }
  for (const char* base : {"/lib/modules", "/usr/lib/modules"}) {
    for (const auto* u : c.ev.paths_under(base, ~0u)) {
      why.push_back("reads " + u->path);
      break;
    }
  }
  if (!why.empty()) {
    r.not_set.push_back(refuse("ProtectKernelModules=yes", sample(why), rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("ProtectKernelModules=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("ProtectKernelModules", "yes",
                             fmt::format("no module load or /lib/modules access ({})", c.scope()), rule));
  return r;
}

RuleOutcome decide_kernel_logs(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-kernel-logs";
  if (c.unit.protect_kernel_logs) return r;
  std::vector<std::string> why;
  if (c.ev.flag("kernel_log")) why.push_back(who(c.ev.flags.at("kernel_log").executables) + " reads the kernel log");
  for (const char* p : {"/dev/kmsg", "/proc/kmsg"}) {
    if (c.ev.paths.count(p)) why.push_back(std::string("opens ") + p);
  }
  if (!why.empty()) {
    r.not_set.push_back(refuse("ProtectKernelLogs=yes", sample(why), rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("ProtectKernelLogs=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("ProtectKernelLogs", "yes",
                             fmt::format("no syslog(2), /dev/kmsg or /proc/kmsg use ({})", c.scope()), rule));
  return r;
}

RuleOutcome decide_control_groups(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-control-groups";
  if (c.unit.protect_control_groups) return r;
  if (c.unit.delegate) {
    r.not_set.push_back(refuse("ProtectControlGroups=yes", "the unit has Delegate=yes", rule));
    return r;
  }
  auto w = c.ev.paths_under("/sys/fs/cgroup", kWriteBits);
  if (!w.empty()) {
    r.not_set.push_back(refuse("ProtectControlGroups=yes", "writes " + sample(path_list(w)), rule));
    return r;
  }
  r.options.push_back(single("ProtectControlGroups", "yes",
                             fmt::format("no write under /sys/fs/cgroup ({})", c.scope()), rule));
  return r;
}

RuleOutcome decide_clock(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-clock";
  if (c.unit.protect_clock) return r;
  if (c.ev.flag("clock_change")) {
    r.not_set.push_back(refuse("ProtectClock=yes", who(c.ev.flags.at("clock_change").executables) + " sets the clock", rule));
    return r;
  }
  // ProtectClock= adds DeviceAllow=char-rtc r; with DevicePolicy=auto that
  // turns the unit into a device allow-list and cuts it off from any other
  // device it opens unless those are listed too.
  bool listed_policy = c.unit.device_policy != unit::DevicePolicy::auto_ || !c.unit.device_allow.empty() ||
                       c.planned("DevicePolicy") || c.planned("PrivateDevices") || c.unit.private_devices;
  std::vector<std::string> cut;
  for (const auto* u : real_devices(c.ev)) {
    if (path_under(u->path, "/dev/rtc") && !(u->access & kWrite)) continue;
    if (path_under(u->path, "/dev/rtc")) {
      cut.push_back(u->path + " written");
    } else if (!listed_policy) {
      cut.push_back(u->path);
    }
  }
  if (!cut.empty()) {
    r.not_set.push_back(refuse("ProtectClock=yes",
                               "its implied DeviceAllow=char-rtc r would switch to a device allow-list without " +
                                   sample(cut),
                               rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("ProtectClock=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("ProtectClock", "yes",
                             fmt::format("no clock change ({}); the implied DeviceAllow=char-rtc r cuts off no device used",
                                         c.scope()),
                             rule));
  return r;
}

RuleOutcome decide_hostname(const Context& c) {
  RuleOutcome r;
  const std::string rule = "protect-hostname";
  if (c.unit.protect_hostname) return r;
  if (c.ev.flag("hostname_change")) {
    r.not_set.push_back(
        refuse("ProtectHostname=yes", who(c.ev.flags.at("hostname_change").executables) + " sets the host name", rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("ProtectHostname=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("ProtectHostname", "yes",
                             fmt::format("no sethostname/setdomainname ({})", c.scope()), rule));
  return r;
}

struct ProcReads {
  std::vector<std::string> other_pids, non_pid;
};

ProcReads proc_reads(const Evidence& ev) {
  ProcReads out;
  for (const auto* u : ev.paths_under("/proc", ~0u)) {
    if (u->path == "/proc") continue;
    std::string rest = u->path.substr(6);
    std::string first = rest.substr(0, rest.find('/'));
    if (first == "self" || first == "thread-self") continue;
    if (is_pid_name(first)) out.other_pids.push_back(u->path);
    else out.non_pid.push_back(u->path);
  }
  return out;
}

RuleOutcome decide_protect_proc(const Context& c) {
  RuleOutcome r;
  if (c.unit.protect_proc != unit::ProtectProc::default_) return r;
  auto reads = proc_reads(c.ev);
  if (!reads.other_pids.empty()) {
    r.not_set.push_back(refuse("ProtectProc=invisible", "reads other processes: " + sample(reads.other_pids), "protect-proc"));
    return r;
  }
  r.options.push_back(single("ProtectProc", "invisible",
                             fmt::format("no /proc/PID of another process read ({})", c.scope()), "protect-proc"));
  return r;
}

RuleOutcome decide_proc_subset(const Context& c) {
  RuleOutcome r;
  if (c.unit.proc_subset != unit::ProcSubset::all) return r;
  auto reads = proc_reads(c.ev);
  if (!reads.non_pid.empty()) {
    r.not_set.push_back(refuse("ProcSubset=pid", "reads " + sample(reads.non_pid), "proc-subset"));
    return r;
  }
  r.options.push_back(single("ProcSubset", "pid",
                             fmt::format("only per-process files under /proc read ({})", c.scope()), "proc-subset"));
  return r;
}

RuleOutcome decide_mdwe(const Context& c) {
  RuleOutcome r;
  const std::string rule = "memory-deny-write-execute";
  if (c.unit.memory_deny_write_execute) return r;
  if (c.ev.flag("wx_mapping")) {
    r.not_set.push_back(refuse("MemoryDenyWriteExecute=yes",
                               who(c.ev.flags.at("wx_mapping").executables) + " maps memory writable and executable (JIT)",
                               rule));
    return r;
  }
  if (!c.ev.jit_libraries.empty()) {
    const auto& [lib, engine] = *c.ev.jit_libraries.begin();
    r.not_set.push_back(refuse("MemoryDenyWriteExecute=yes",
                               fmt::format("loads {} ({}), a JIT that may map W+X memory later", lib, engine), rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("MemoryDenyWriteExecute=yes", *b, rule));
    return r;
  }
  r.options.push_back(single("MemoryDenyWriteExecute", "yes",
                             fmt::format("no W+X mapping and no JIT library ({})", c.scope()), rule));
  return r;
}

RuleOutcome decide_flag_rule(const Context& c, bool already, const char* flag, const std::string& key,
                             const std::string& rule, const std::string& what_forbids, const std::string& why_ok) {
  RuleOutcome r;
  if (already) return r;
  if (c.ev.flag(flag)) {
    r.not_set.push_back(refuse(key + "=yes", who(c.ev.flags.at(flag).executables) + " " + what_forbids, rule));
    return r;
  }
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse(key + "=yes", *b, rule));
    return r;
  }
  r.options.push_back(single(key, "yes", fmt::format("{} ({})", why_ok, c.scope()), rule));
  return r;
}

RuleOutcome decide_lock_personality(const Context& c) {
  return decide_flag_rule(c, c.unit.lock_personality, "personality_change", "LockPersonality", "lock-personality",
                          "changes its execution domain (personality)", "no personality() change");
}
RuleOutcome decide_realtime(const Context& c) {
  return decide_flag_rule(c, c.unit.restrict_realtime, "realtime_scheduling", "RestrictRealtime", "restrict-realtime",
                          "uses realtime scheduling", "no SCHED_FIFO/SCHED_RR");
}
RuleOutcome decide_suid_sgid(const Context& c) {
  return decide_flag_rule(c, c.unit.restrict_suid_sgid, "setuid_file_created", "RestrictSUIDSGID",
                          "restrict-suid-sgid", "creates setuid/setgid files", "no setuid/setgid file created");
}

RuleOutcome decide_namespaces(const Context& c) {
  RuleOutcome r;
  const std::string rule = "restrict-namespaces";
  static const std::pair<const char*, uint32_t> kNs[] = {
      {"cgroup", unit::kNsCgroup}, {"ipc", unit::kNsIpc}, {"net", unit::kNsNet}, {"mnt", unit::kNsMnt},
      {"pid", unit::kNsPid},       {"user", unit::kNsUser}, {"uts", unit::kNsUts}};
  uint32_t used = 0;
  std::vector<std::string> names;
  for (const auto& [name, bit] : kNs) {
    if (c.ev.namespaces.count(name)) {
      used |= bit;
      names.push_back(name);
    }
  }
  uint32_t allowed = c.unit.restrict_namespaces & used;
  if (c.unit.restrict_namespaces_configured && allowed == c.unit.restrict_namespaces) return r;
  if (auto b = c.nnp_blocker()) {
    r.not_set.push_back(refuse("RestrictNamespaces=yes", *b, rule));
    return r;
  }
  if (used) {
    r.not_set.push_back(refuse("RestrictNamespaces=yes", "creates " + sample(names, 7) + " namespaces", rule));
  }
  std::string value;
  for (const auto& [name, bit] : kNs) {
    if (allowed & bit) value += (value.empty() ? "" : " ") + std::string(name);
  }
  std::vector<std::string> values;
  if (c.unit.restrict_namespaces_configured) values.push_back("");
  values.push_back(value.empty() ? "yes" : value);
  Option o;
  o.directives.push_back(make("RestrictNamespaces", values,
                              value.empty() ? fmt::format("no unshare/clone/setns of a namespace ({})", c.scope())
                                            : "only the namespaces created: " + value,
                              rule));
  r.options.push_back(o);
  return r;
}

RuleOutcome decide_keyring(const Context& c) {
  RuleOutcome r;
  if (c.unit.keyring_mode != unit::KeyringMode::shared) return r;
  if (c.ev.flag("keyring")) {
    r.not_set.push_back(refuse("KeyringMode=private", "uses the kernel keyring and the unit shares it on purpose",
                               "keyring-mode"));
    return r;
  }
  r.options.push_back(single("KeyringMode", "private", fmt::format("no keyring use ({})", c.scope()), "keyring-mode"));
  return r;
}

RuleOutcome decide_remove_ipc(const Context& c) {
  RuleOutcome r;
  if (c.unit.remove_ipc) return r;
  if (c.ev.flag("sysv_ipc")) {
    r.not_set.push_back(refuse("RemoveIPC=yes",
                               who(c.ev.flags.at("sysv_ipc").executables) +
                                   " uses SysV IPC; its objects may be meant to outlive a restart",
                               "remove-ipc"));
    return r;
  }
  r.options.push_back(single("RemoveIPC", "yes", fmt::format("no SysV IPC object used ({})", c.scope()), "remove-ipc"));
  return r;
}

RuleOutcome decide_umask(const Context& c) {
  RuleOutcome r;
  const std::string rule = "umask";
  // Path sockets take their mode from the umask; clients of other users need
  // write access unless the daemon chmods the socket itself.
  std::vector<std::string> sockets;
  for (const auto& a : c.ev.addresses) {
    if (a.family != "AF_UNIX" || a.op != "bind" || a.address.empty() || a.address[0] == '@') continue;
    auto it = c.ev.paths.find(a.address);
    if (it == c.ev.paths.end() || !(it->second.access & profile::kChmod)) sockets.push_back(a.address);
  }
  if (!sockets.empty()) {
    r.not_set.push_back(refuse("UMask=0077",
                               "binds " + sample(sockets) + " without chmod: clients would lose access", rule));
    return r;
  }
  unsigned want = c.unit.umask | 0077;
  if (want == c.unit.umask) return r;
  r.options.push_back(single("UMask", fmt::format("{:04o}", want),
                             fmt::format("files created are private; no socket bound without an explicit chmod ({})",
                                         c.scope()),
                             rule));
  return r;
}

RuleOutcome decide_notify_access(const Context& c) {
  RuleOutcome r;
  if (c.unit.notify_access == unit::NotifyAccess::all) {
    r.not_set.push_back(refuse("NotifyAccess=main",
                               "the profile cannot tell which process sends sd_notify messages; kept all",
                               "notify-access"));
  }
  return r;
}

// Secrets of other programs that a root service can read despite
// ProtectSystem=: hide the ones it never touched. Not scored, but it is the
// part of "runs as root" an attacker wants.
RuleOutcome decide_inaccessible_secrets(const Context& c) {
  RuleOutcome r;
  const std::string rule = "inaccessible-secrets";
  if (c.unprivileged() || !c.unit.inaccessible_paths.empty()) return r;  // an unprivileged user cannot read them anyway
  if (c.ev.flag("mounts")) return r;
  std::vector<std::string> hide;
  for (const char* p : {"/etc/ssh", "/etc/shadow", "/etc/gshadow", "/etc/ssl/private", "/etc/sudoers",
                        "/etc/sudoers.d", "/var/lib/private", "/boot"}) {
    if (c.ev.paths_under(p, ~0u).empty()) hide.push_back(p);
  }
  if (hide.empty()) return r;
  Option o;
  o.required = true;
  std::string list;
  for (const auto& h : hide) list += (list.empty() ? "-" : " -") + h;
  o.directives.push_back(make("InaccessiblePaths", {list},
                              fmt::format("runs as root but never touched these secrets of other programs ({})",
                                          c.scope()),
                              rule));
  r.options.push_back(o);
  return r;
}

// A folder the service may write is a place to drop code. When every
// program it ran is a known ELF binary, nothing else may be executed
// (NoExecPaths=/ with ExecPaths= of those programs and the library folders,
// as Debian's redis unit does); otherwise the folders it may write are
// noexec. Neither moves the exposure score: this is the battery's objective
// (execute a dropped file, execute a shell).
RuleOutcome decide_exec_paths(const Context& c) {
  RuleOutcome r;
  const std::string rule = "exec-paths";
  if (!c.unit.exec_paths.empty() || !c.unit.no_exec_paths.empty() || c.ev.flag("mounts")) return r;
  std::set<std::string> programs = c.ev.executables;
  bool all_known = true;
  for (const auto& [key, lines] : c.unit.exec_lines)
    for (const auto& line : lines) {
      if (unit::unsandboxed_program(line)) continue;
      auto p = unit::exec_program(line);
      if (!p) continue;
      if ((*p)[0] != '/') all_known = false;  // looked up in $PATH: the file is not certain
      else if (!std::any_of(programs.begin(), programs.end(),
                            [&](const std::string& e) { return profile::same_program(e, *p); }))
        programs.insert(*p), all_known = false;  // never seen run: its interpreter is unknown
    }
  // A script's interpreter is loaded by the kernel and never shows as an
  // executable of its own: the profile names it, and it must stay executable.
  std::set<std::string> interpreters;
  for (const auto& [script, interp] : c.ev.interpreters) {
    // "#!/usr/bin/env NAME" finds its program in $PATH: not certain.
    if (interp[0] != '/' || interp.size() < 4 || interp.compare(interp.size() - 4, 4, "/env") == 0) all_known = false;
    interpreters.insert(interp);
  }
  programs.insert(interpreters.begin(), interpreters.end());
  for (const auto& p : programs)
    if (!c.ev.machines.count(p) && !interpreters.count(p)) all_known = false;
  if (all_known && !programs.empty()) {
    std::vector<std::string> paths(programs.begin(), programs.end());
    for (const char* lib : {"/usr/lib", "-/lib", "-/usr/lib64", "-/lib64"}) paths.push_back(lib);
    Option o;
    o.required = true;
    // The scratch folders are mounts of their own (private /tmp, /dev/shm):
    // "/" alone does not reach them.
    o.directives.push_back(make("NoExecPaths", {"/ -/tmp -/var/tmp -/dev/shm -/run"},
                                "nothing but the programs below may be executed, from any folder", rule));
    o.directives.push_back(make("ExecPaths", {join(paths)},
                                fmt::format("the {} program{} run and their interpreters ({}), and the libraries they "
                                            "map ({})",
                                            programs.size(), programs.size() == 1 ? "" : "s", sample(paths, 3),
                                            c.scope()),
                                rule));
    r.options.push_back(o);
    return r;
  }
  std::set<std::string> writable = {"/tmp", "/var/tmp", "/dev/shm", "/run"};
  for (const auto& d : c.plan)
    if (d.key == "ReadWritePaths")
      for (const auto& v : d.values)
        for (const auto& w : words(v)) writable.insert(w[0] == '-' ? w.substr(1) : w);
  std::vector<std::string> noexec;
  for (const auto& w : writable) {
    bool executed = false;
    for (const auto& [path, use] : c.ev.paths)
      if (path_under(path, w) && (use.access & profile::kExec)) executed = true;
    for (const auto& p : programs)
      if (path_under(p, w)) executed = true;
    if (!executed) noexec.push_back("-" + w);
  }
  if (noexec.empty()) return r;
  Option o;
  o.required = true;
  o.directives.push_back(make("NoExecPaths", {join(noexec)},
                              fmt::format("nothing was executed from a folder it may write ({}); a program list would "
                                          "need the interpreters of its scripts",
                                          c.scope()),
                              rule));
  r.options.push_back(o);
  return r;
}

// /dev/shm is writable by every account and, unlike /tmp, not made private
// by PrivateTmp=: a place to leave files for others or keep code. A service
// that never used POSIX shared memory or semaphores there loses it.
RuleOutcome decide_shared_memory(const Context& c) {
  RuleOutcome r;
  if (!c.ev.paths_under("/dev/shm", ~0u).empty() || c.ev.flag("mounts")) return r;
  for (const auto& p : c.unit.inaccessible_paths)
    if (p == "/dev/shm" || p == "-/dev/shm") return r;
  Option o;
  o.required = true;
  o.directives.push_back(make("InaccessiblePaths", {"-/dev/shm"},
                              fmt::format("no POSIX shared memory or semaphore under /dev/shm used ({})", c.scope()),
                              "shared-memory"));
  r.options.push_back(o);
  return r;
}

RuleOutcome decide_unused_views(const Context&) { return {}; }

RuleOutcome decide_root_directory(const Context& c) {
  RuleOutcome r;
  if (!c.unit.root_directory.empty() || !c.unit.root_image.empty() || !c.unit.default_dependencies) return r;
  r.not_set.push_back(refuse("RootDirectory=",
                             fmt::format("an ephemeral chroot must bind in the {} executables' ELF dependencies and "
                                         "{} files seen; propose it by hand after `verify`",
                                         c.ev.executables.size(), c.ev.paths.size()),
                             "root-directory"));
  return r;
}

}  // namespace

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

bool Context::private_tmp() const { return unit.private_tmp || dynamic_user() || planned_is("PrivateTmp", "yes"); }

std::optional<std::string> Context::nnp_blocker() const {
  if (!unprivileged() || ev.setuid_executables.empty()) return std::nullopt;
  return fmt::format("implies NoNewPrivileges=yes for this unprivileged service, and it executes setuid/setgid {}",
                     setuid_text(ev));
}

const std::vector<Rule>& knowledge_base() {
  static const std::vector<Rule> kRules = {
      {"user", {"User", "Group", "DynamicUser", "AmbientCapabilities", "ExecStartPre"}, {"UserOrDynamicUser"}, false, true,
       "capability use, uid/gid changes, setuid executables, writes outside systemd-managed directories, root-only files",
       "DynamicUser= implies ProtectSystem=strict, ProtectHome=read-only, PrivateTmp=, RemoveIPC=, RestrictSUIDSGID=",
       decide_user},
      {"supplementary-groups", {"SupplementaryGroups"}, {"SupplementaryGroups"}, false, false,
       "never removed: group-owned files are invisible to a profile", "", decide_supplementary_groups},
      {"capabilities", {"CapabilityBoundingSet", "AmbientCapabilities"},
       {"CapabilityBoundingSet_CAP_SYS_ADMIN", "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP",
        "CapabilityBoundingSet_CAP_SYS_PTRACE", "CapabilityBoundingSet_CAP_SYS_TIME",
        "CapabilityBoundingSet_CAP_NET_ADMIN", "CapabilityBoundingSet_CAP_SYS_RAWIO",
        "CapabilityBoundingSet_CAP_SYS_MODULE", "CapabilityBoundingSet_CAP_AUDIT", "CapabilityBoundingSet_CAP_SYSLOG",
        "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE", "CapabilityBoundingSet_CAP_MKNOD",
        "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP", "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER",
        "CapabilityBoundingSet_CAP_KILL", "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
        "CapabilityBoundingSet_CAP_SYS_BOOT", "CapabilityBoundingSet_CAP_MAC", "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE",
        "CapabilityBoundingSet_CAP_IPC_LOCK", "CapabilityBoundingSet_CAP_SYS_CHROOT",
        "CapabilityBoundingSet_CAP_BLOCK_SUSPEND", "CapabilityBoundingSet_CAP_WAKE_ALARM",
        "CapabilityBoundingSet_CAP_LEASE", "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG",
        "CapabilityBoundingSet_CAP_SYS_PACCT", "CapabilityBoundingSet_CAP_BPF", "AmbientCapabilities"},
       false, false, "a granted capability check (any process, setuid helpers included)",
       "bounds setuid helpers too", decide_capabilities},
      {"no-new-privileges", {"NoNewPrivileges"}, {"NoNewPrivileges"}, false, false,
       "executing a setuid/setgid (or file-capability) binary", "", decide_nnp},
      {"private-tmp", {"PrivateTmp"}, {"PrivateTmp"}, false, true,
       "use of a /tmp or /var/tmp file the service did not create (X11 sockets, hand-offs)", "", decide_private_tmp},
      {"system-call-filter", {"SystemCallFilter", "SystemCallErrorNumber"},
       {"SystemCallFilter_swap", "SystemCallFilter_obsolete", "SystemCallFilter_clock",
        "SystemCallFilter_cpu_emulation", "SystemCallFilter_debug", "SystemCallFilter_mount",
        "SystemCallFilter_module", "SystemCallFilter_raw_io", "SystemCallFilter_reboot",
        "SystemCallFilter_privileged", "SystemCallFilter_resources"},
       true, false, "a system call outside the allow-list",
       "NoNewPrivileges= when unprivileged; EPERM instead of SIGSYS with SystemCallErrorNumber=", decide_syscall_filter},
      {"system-call-architectures", {"SystemCallArchitectures"}, {"SystemCallArchitectures"}, true, false,
       "an executed binary of another ELF machine (multiarch)", "NoNewPrivileges= when unprivileged",
       decide_architectures},
      {"restrict-address-families", {"RestrictAddressFamilies"},
       {"RestrictAddressFamilies_AF_INET_INET6", "RestrictAddressFamilies_AF_UNIX",
        "RestrictAddressFamilies_AF_NETLINK", "RestrictAddressFamilies_AF_PACKET", "RestrictAddressFamilies_OTHER"},
       true, false, "socket() of another family; NSS/PAM modules' back-ends",
       "NoNewPrivileges= when unprivileged; passed-in sockets are not affected", decide_address_families},
      {"private-network", {"PrivateNetwork"}, {"PrivateNetwork"}, false, false,
       "any IP or packet socket, abstract AF_UNIX sockets", "", decide_private_network},
      {"ip-address", {"IPAddressDeny", "IPAddressAllow"}, {"IPAddressDeny"}, false, false,
       "listening on a non-loopback address (unknown clients)", "", decide_ip_address},
      {"socket-bind", {"SocketBindDeny", "SocketBindAllow"}, {}, false, false,
       "bind() of an ephemeral port; systemd without BPF framework", "", decide_socket_bind},
      {"private-devices", {"PrivateDevices"}, {"PrivateDevices"}, true, true,
       "opening a device node other than the pseudo devices",
       "DevicePolicy=closed, drops CAP_MKNOD and CAP_SYS_RAWIO, denies @raw-io", decide_private_devices},
      {"device-policy", {"DevicePolicy", "DeviceAllow"}, {"DeviceAllow"}, false, false,
       "a device node opened that is not in DeviceAllow=", "", decide_device_policy},
      {"private-mounts", {"PrivateMounts"}, {"PrivateMounts"}, false, true, "mount() meant for the host", "",
       decide_private_mounts},
      {"private-users", {"PrivateUsers"}, {"PrivateUsers"}, false, true,
       "capabilities, identity changes, SupplementaryGroups=, setuid executables", "", decide_private_users},
      {"protect-system",
       {"ProtectSystem", "ReadWritePaths", "StateDirectory", "CacheDirectory", "LogsDirectory", "RuntimeDirectory"},
       {"ProtectSystem"}, false, true, "mount() meant for the host (writes get ReadWritePaths= or *Directory=)",
       "", decide_protect_system},
      {"protect-home", {"ProtectHome", "BindReadOnlyPaths"}, {"ProtectHome"}, false, true,
       "any access under /home, /root, /run/user (tmpfs + BindReadOnlyPaths= when only read)", "",
       decide_protect_home},
      {"protect-kernel-tunables", {"ProtectKernelTunables"}, {"ProtectKernelTunables"}, true, true,
       "writes under /proc/sys or /sys", "NoNewPrivileges= when unprivileged", decide_kernel_tunables},
      {"protect-kernel-modules", {"ProtectKernelModules"}, {"ProtectKernelModules"}, true, true,
       "module loading, modprobe, /lib/modules access", "drops CAP_SYS_MODULE", decide_kernel_modules},
      {"protect-kernel-logs", {"ProtectKernelLogs"}, {"ProtectKernelLogs"}, true, true,
       "syslog(2), /dev/kmsg, /proc/kmsg", "drops CAP_SYSLOG", decide_kernel_logs},
      {"protect-control-groups", {"ProtectControlGroups"}, {"ProtectControlGroups"}, false, true,
       "writes under /sys/fs/cgroup, Delegate=yes", "", decide_control_groups},
      {"protect-clock", {"ProtectClock"}, {"ProtectClock"}, true, false,
       "clock changes; device nodes its implied DeviceAllow=char-rtc r would cut off",
       "DeviceAllow=char-rtc r (switches DevicePolicy=auto to an allow-list), drops CAP_SYS_TIME/CAP_WAKE_ALARM",
       decide_clock},
      {"protect-hostname", {"ProtectHostname"}, {"ProtectHostname"}, true, false, "sethostname/setdomainname",
       "a private UTS namespace", decide_hostname},
      {"protect-proc", {"ProtectProc"}, {"ProtectProc"}, false, true, "reading other processes' /proc/PID", "",
       decide_protect_proc},
      {"proc-subset", {"ProcSubset"}, {"ProcSubset"}, false, true,
       "reading /proc files that are not per-process (/proc/meminfo, /proc/sys/...)", "", decide_proc_subset},
      {"memory-deny-write-execute", {"MemoryDenyWriteExecute"}, {"MemoryDenyWriteExecute"}, true, false,
       "a W+X mapping or a JIT library (LuaJIT, Java, ONNX Runtime, V8...)", "NoNewPrivileges= when unprivileged",
       decide_mdwe},
      {"lock-personality", {"LockPersonality"}, {"LockPersonality"}, true, false, "personality() changes", "",
       decide_lock_personality},
      {"restrict-realtime", {"RestrictRealtime"}, {"RestrictRealtime"}, true, false, "realtime scheduling", "",
       decide_realtime},
      {"restrict-namespaces", {"RestrictNamespaces"},
       {"RestrictNamespaces_user", "RestrictNamespaces_mnt", "RestrictNamespaces_ipc", "RestrictNamespaces_pid",
        "RestrictNamespaces_cgroup", "RestrictNamespaces_net", "RestrictNamespaces_uts"},
       true, false, "creating a namespace of that type", "", decide_namespaces},
      {"restrict-suid-sgid", {"RestrictSUIDSGID"}, {"RestrictSUIDSGID"}, true, false,
       "creating a setuid/setgid file", "", decide_suid_sgid},
      {"keyring-mode", {"KeyringMode"}, {"KeyringMode"}, false, false, "keyring use with KeyringMode=shared", "",
       decide_keyring},
      {"remove-ipc", {"RemoveIPC"}, {"RemoveIPC"}, false, false, "SysV IPC use", "", decide_remove_ipc},
      {"umask", {"UMask"}, {"UMask"}, false, false, "a path socket bound without chmod", "", decide_umask},
      {"notify-access", {"NotifyAccess"}, {"NotifyAccess"}, false, false,
       "never narrowed: the sender of sd_notify is not profiled", "", decide_notify_access},
      {"inaccessible-secrets", {"InaccessiblePaths"}, {}, false, true,
       "reading host keys, password hashes, private keys, other services' private state, /boot",
       "", decide_inaccessible_secrets},
      {"exec-paths", {"NoExecPaths", "ExecPaths"}, {}, false, true,
       "executing a program from a folder it can write, or one not seen run", "", decide_exec_paths},
      {"shared-memory", {"InaccessiblePaths"}, {}, false, true,
       "a file under /dev/shm (shm_open, sem_open)", "", decide_shared_memory},
      {"unused-views", {"ReadOnlyPaths", "TemporaryFileSystem"}, {}, false, true,
       "never emitted: ProtectSystem=strict and ProtectHome=tmpfs + BindReadOnlyPaths= give the same view", "",
       decide_unused_views},
      {"root-directory", {"RootDirectory"}, {"RootDirectoryOrRootImage"}, false, true,
       "never automatic: needs the ELF closure bound in", "", decide_root_directory},
  };
  return kRules;
}

std::vector<std::string> knowledge_base_keys() {
  std::set<std::string> keys;
  for (const auto& r : knowledge_base()) keys.insert(r.keys.begin(), r.keys.end());
  return {keys.begin(), keys.end()};
}

}  // namespace sdh::synth
