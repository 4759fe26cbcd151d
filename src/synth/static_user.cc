// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/static_user.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "util/fs.h"
#include "util/strings.h"

namespace sdh::synth {
namespace {

// The process's own /proc entries: always its own, whoever it runs as.
bool own_proc_entry(const std::string& path) {
  if (!path_under(path, "/proc") || path.size() <= 6) return false;
  std::string first = path.substr(6, path.find('/', 6) - 6);
  return first == "self" || first == "thread-self" || is_pid_name(first);
}

// The nearest ancestor that exists: where a since-removed file was created.
std::string existing_parent(const SystemFacts& facts, const std::string& path) {
  std::string dir = dirname_of(path);
  while (dir != "/" && !facts.file(dir)) dir = dirname_of(dir);
  return dir;
}

// The account that owns what the daemon writes, or that owns files root
// could read only by overriding their modes; most hits wins.
const Account* candidate(const Evidence& ev, const SystemFacts& facts) {
  std::map<uint32_t, size_t> hits;
  for (const auto& [path, use] : ev.paths) {
    if (use.is_device || own_proc_entry(path)) continue;
    const FileFacts* f = facts.file(path);
    if (use.access & kWriteBits) {
      if (!f || (use.access & (profile::kCreate | profile::kDelete | profile::kRename)))
        f = facts.file(existing_parent(facts, path));
      if (f && f->uid != 0) ++hits[f->uid];
    } else if ((use.access & profile::kRead) && f && f->uid != 0 && !(f->mode & 04)) {
      ++hits[f->uid];
    }
  }
  const Account* best = nullptr;
  size_t best_hits = 0;
  for (const auto& [uid, n] : hits) {
    const Account* a = facts.account(uid);
    // nobody is shared by everything unprivileged (systemd scores it as bad as root, almost).
    if (!a || a->name == "nobody" || uid >= 65534) continue;
    if (n > best_hits) best = a, best_hits = n;
  }
  return best;
}

// Capabilities the kernel checks while resolving file permissions (and,
// for CHOWN and FSETID, when files are created in set-group-ID directories);
// a process the modes already admit never needs them.
bool permission_cap(const std::string& cap) {
  static const std::set<std::string> k = {"CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
                                          "CAP_CHOWN"};
  return k.count(cap) > 0;
}

// The unit's PID file, created by the daemon in a directory `who` may
// search but not write (nginx's /run/nginx.pid): systemd can create it for
// `who` before the start, and removes it after the stop itself. Only the
// PIDFile= is known to be a plain file the daemon opens by name (another
// created path may be a directory or socket); one left by a running instance
// on this machine is rewritten at every start anyway.
bool precreatable(const SystemFacts& facts, const UnitSetup& setup, const Account& who, const PathUse& use) {
  if (setup.pid_file.empty() || use.path != setup.pid_file || use.is_socket || use.is_device) return false;
  if (!(use.access & profile::kCreate) || (use.access & (profile::kRename | profile::kMknod | profile::kList)))
    return false;
  if (const FileFacts* f = facts.file(use.path); f && f->directory) return false;
  std::string dir = dirname_of(use.path);
  const FileFacts* d = facts.file(dir);
  return d && d->directory && !permits(facts, who, dir, 3) && permits(facts, who, dir, 1);
}

// The package's own system account, when nothing the daemon wrote names one
// (its folders are handed over by StateDirectory= and friends): the account
// named like the unit or the daemon ("knot", "_chrony", "knotd" -> "knot").
const Account* named_account(const SystemFacts& facts, const UnitSetup& setup, const Evidence& ev) {
  std::vector<std::string> names;
  auto add = [&](std::string n) {
    if (n.empty()) return;
    for (std::string v : {n, "_" + n, n.back() == 'd' ? n.substr(0, n.size() - 1) : std::string()})
      if (!v.empty() && std::find(names.begin(), names.end(), v) == names.end()) names.push_back(v);
  };
  std::string unit = setup.unit_name.substr(0, setup.unit_name.find_first_of("@."));
  add(unit);
  for (const auto& exe : ev.executables) add(exe.substr(exe.rfind('/') + 1));
  for (const auto& n : names)
    for (const auto& a : facts.accounts)
      if (a.name == n && a.uid != 0 && a.uid < 1000) return &a;
  return nullptr;
}

// Capabilities that make an account root in all but name, or that exist
// to change identity: never carried over as ambient capabilities.
bool root_equivalent(const std::string& cap) {
  static const std::set<std::string> k = {"CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",    "CAP_SYS_PTRACE",
                                          "CAP_SETFCAP",   "CAP_SYS_BOOT",   "CAP_MAC_ADMIN",    "CAP_MAC_OVERRIDE",
                                          "CAP_SETUID",    "CAP_SETGID",     "CAP_BPF",          "CAP_PERFMON",
                                          "CAP_LINUX_IMMUTABLE", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
                                          "CAP_FOWNER",    "CAP_CHOWN",      "CAP_FSETID",       "CAP_MKNOD"};
  return k.count(cap) > 0;
}

bool binds_low_port(const Evidence& ev, std::string* port) {
  for (const auto& a : ev.addresses) {
    if (a.op == "bind" && a.port > 0 && a.port < 1024) {
      if (port) *port = std::to_string(a.port);
      return true;
    }
  }
  return false;
}

}  // namespace

StaticUserAnalysis analyse_static_user(const Evidence& ev, const SystemFacts& facts, const UnitSetup& setup,
                                       const Account* forced, bool waive) {
  StaticUserAnalysis a;
  if (facts.empty()) {
    a.blockers.push_back("no file owners known");
    return a;
  }
  if (!ev.setuid_executables.empty()) a.blockers.push_back("executes setuid/setgid binaries");
  // A switch to exactly one non-root user names the account to start it as.
  const Account* switched = nullptr;
  if (ev.flag("uid_change")) {
    if (ev.uid_targets.size() == 1 && *ev.uid_targets.begin() != 0) switched = facts.account(*ev.uid_targets.begin());
    if (!switched) {
      a.blockers.push_back(fmt::format("{} changes its user itself", who(ev.flags.at("uid_change").executables)));
    }
  }
  if (ev.flag("gid_change")) {
    if (ev.gid_targets.size() == 1 && *ev.gid_targets.begin() != 0) a.group = *ev.gid_targets.begin();
    else a.blockers.push_back(fmt::format("{} changes its group itself", who(ev.flags.at("gid_change").executables)));
  }
  a.account = forced ? forced : switched ? switched : candidate(ev, facts);
  if (!a.account && !ev.flag("uid_change")) a.account = named_account(facts, setup, ev);
  if (!a.account) {
    a.blockers.push_back("no non-root account owns what it writes");
    return a;
  }
  const Account& u = *a.account;
  if (switched && switched != a.account) a.blockers.push_back("switches to " + switched->name + " itself");
  a.drops_to_it = switched == a.account;

  std::vector<std::string> denied;
  bool chowns_foreign = false;
  for (const auto& [path, use] : ev.paths) {
    if (own_proc_entry(path) || (setup.handed_over && setup.handed_over(path, u))) continue;
    if (use.is_device && is_pseudo_device(path)) continue;
    if (precreatable(facts, setup, u, use)) {
      a.precreated.push_back(path);
      continue;
    }
    const FileFacts* f = facts.file(path);
    auto need = [&](const std::string& p, uint32_t rwx, const std::string& what) {
      if (!permits(facts, u, p, rwx)) denied.push_back(fmt::format("{} {}", what, p));
    };
    // An open with O_CREAT of a file that exists creates nothing: it writes.
    if ((use.access & (profile::kDelete | profile::kRename | profile::kMknod)) ||
        ((use.access & profile::kCreate) && !f))
      need(existing_parent(facts, path), 3, "create " + path + " in");
    if (f) {
      if (use.access & (profile::kWrite | profile::kCreate)) need(path, 2, "write");
      if (use.access & (profile::kRead | profile::kList)) need(path, 4, "read");
      if (use.access & profile::kExec) need(path, 1, "execute");
      if (use.access & profile::kStat) need(path, 0, "reach");
      if ((use.access & (profile::kChmod | profile::kChown)) && f->uid != u.uid) {
        denied.push_back("change the mode or owner of " + path);
        chowns_foreign = chowns_foreign || (use.access & profile::kChown);
      }
      if (f->uid == u.uid) a.owned_paths.push_back(path);
    } else if (use.access & profile::kWrite) {
      need(existing_parent(facts, path), 3, "create " + path + " in");
    }
  }
  if (!denied.empty()) {
    std::string list;
    for (size_t i = 0; i < denied.size() && i < 3; ++i) list += (i ? ", " : "") + denied[i];
    if (denied.size() > 3) list += fmt::format(" and {} more", denied.size() - 3);
    a.blockers.push_back(fmt::format("as {} it could not {}", u.name, list));
  }

  for (const auto& [cap, w] : ev.capabilities) {
    if (permission_cap(cap)) {
      if (cap == "CAP_CHOWN" && chowns_foreign && !waive) continue;  // already a blocker
      a.obviated_caps[cap] = fmt::format("root's permission checks on files; the modes grant {} every access seen",
                                         u.name);
      continue;
    }
    // setuid()/setgid()/setgroups() to become the account it is started as.
    if (a.drops_to_it && (cap == "CAP_SETUID" || cap == "CAP_SETGID")) {
      a.obviated_caps[cap] = fmt::format("used only to switch to {}, which it is started as", u.name);
      continue;
    }
    // Binding a port below 1024 is the one privilege no file mode grants;
    // ambient, it is all the account keeps.
    if (std::string port; cap == "CAP_NET_BIND_SERVICE" && binds_low_port(ev, &port)) {
      a.ambient_caps[cap] = fmt::format("{} binds port {}, below 1024", who(w.executables), port);
      continue;
    }
    // Any other privilege the account keeps as an ambient capability, as
    // Debian's knot.service does for CAP_SETPCAP: far less than root's
    // whole set, and the score weighs it.
    if (!root_equivalent(cap)) {
      a.ambient_caps[cap] = fmt::format("{} uses {}", who(w.executables), cap);
      continue;
    }
    std::string blocker = fmt::format("{} uses {}", who(w.executables), cap);
    if (waive) a.obviated_caps[cap] = "assumed unneeded after the change: " + blocker;
    a.blockers.push_back(std::move(blocker));
  }
  if (waive) a.waived = std::move(a.blockers), a.blockers.clear();
  return a;
}

OwnSwitch analyse_own_switch(const Evidence& ev, const SystemFacts& facts,
                             const std::vector<std::string>& main_programs) {
  OwnSwitch o;
  if (!ev.flag("uid_change") || facts.empty()) return o;
  o.who = who(ev.flags.at("uid_change").executables);
  if (ev.uid_targets.size() != 1 || *ev.uid_targets.begin() == 0) {
    o.refused = o.who + " switches to more than one user";
    return o;
  }
  if (ev.flag("gid_change")) {
    if (ev.gid_targets.size() != 1 || *ev.gid_targets.begin() == 0) {
      o.refused = o.who + " switches to more than one group";
      return o;
    }
    o.group = *ev.gid_targets.begin();
  }
  if (!ev.credentials_tracked) {
    o.refused = "the profile did not follow user ids (recorded by an older sdharden): profile it again";
    return o;
  }
  for (const auto& [origin, exes] : ev.root_after_startup)
    for (const auto& m : main_programs)
      if (profile::same_program(origin, m)) {
        o.refused = fmt::format("{} keeps a root user id after start-up", who(exes));
        return o;
      }
  const Account* a = facts.account(*ev.uid_targets.begin());
  if (!a || a->name == "nobody") {
    o.refused = fmt::format("the user it switches to ({}) is not a system account of this machine",
                            *ev.uid_targets.begin());
    return o;
  }
  o.account = a;
  return o;
}

std::optional<std::string> own_user_option(const unit::LoadedUnit& unit, const SystemFacts& facts,
                                           const std::string& user) {
  if (user.empty()) return std::nullopt;
  // Words as a shell or systemd would see them, quotes dropped: a search,
  // not a parser; what it finds is only named, never applied.
  auto words_of = [](const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    };
    for (char ch : text) {
      if (ch == '"' || ch == '\'') continue;
      // OPTIONS="-u bind" splits at its "="; an option's own "--user=bind" does not.
      if (ch == ' ' || ch == '\t' || ch == '\n' || (ch == '=' && (cur.empty() || cur[0] != '-'))) flush();
      else cur += ch;
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  };
  auto find_in = [&](const std::string& text) -> std::optional<std::string> {
    auto w = words_of(text);
    for (size_t i = 0; i < w.size(); ++i) {
      const std::string& o = w[i];
      if (o.size() < 2 || o[0] != '-') continue;
      if (i + 1 < w.size() && w[i + 1] == user && o.back() != '=') return o + " " + user;
      if (o.size() > user.size() + 1 && o.compare(o.size() - user.size() - 1, std::string::npos, "=" + user) == 0)
        return o;
      if (o.size() == 2 + user.size() && o[1] != '-' && o.compare(2, std::string::npos, user) == 0) return o;
    }
    return std::nullopt;
  };
  for (const auto& line : unit.settings.exec_start_raw)
    if (auto o = find_in(line)) return "`" + *o + "` in ExecStart=";
  for (const auto& a : unit.assignments)
    if (a.section == "Service" && a.key == "Environment")
      if (auto o = find_in(a.value)) return "`" + *o + "` in Environment=";
  for (const auto& [path, text] : facts.environment_files)
    for (const auto& line : lines_of(text)) {
      size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#' || line[start] == ';') continue;
      if (auto o = find_in(line.substr(start))) return "`" + *o + "` in " + path;
    }
  return std::nullopt;
}

}  // namespace sdh::synth
