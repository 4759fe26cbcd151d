// SPDX-License-Identifier: GPL-2.0-or-later
// The knowledge base's rules, one file per theme (identity, process,
// syscalls, network, devices, filesystem, kernel): each rule's row stands next
// to the predicate that decides it. knowledge_base() (knowledge.cc) lists
// them in the order the optimiser applies them. Below: the helpers the rules
// share, then each rule's accessor.
#pragma once

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "synth/knowledge.h"
#include "synth/static_user.h"
#include "unit/exec_line.h"
#include "unit/semantics.h"
#include "unit/value_writer.h"
#include "util/fs.h"
#include "util/linux_names.h"
#include "util/strings.h"

namespace sdh::synth::rules {

using profile::kCreate;
using profile::kDelete;
using profile::kRename;
using profile::kRead;
using profile::kWrite;

// A directive with its evidence; the optimiser stamps the rule that chose it.
inline Directive make(const std::string& key, std::vector<std::string> values, std::string why,
                      const std::string& section = "Service") {
  Directive d;
  d.section = section;
  d.key = key;
  d.values = std::move(values);
  d.justification = std::move(why);
  return d;
}

// A path-list value through the one writer (unit/value_writer.h), from
// entries that may carry "-" and "+" prefixes. The evidence holds only paths
// a unit file can name (evidence.cc sets the others aside) and the rest are
// the rules' own constants, so a path that cannot be written here is a bug
// in the rules, not hostile input: it throws, and the CLI reports an
// internal error rather than write a line systemd would read otherwise.
inline std::string written_paths(const std::vector<std::string>& entries) {
  std::string out;
  for (const auto& entry : entries) {
    std::string bare = unit::strip_path_prefixes(entry);
    auto w = unit::write_path_item(bare, std::string_view(entry).substr(0, entry.size() - bare.size()));
    if (!w) throw std::logic_error("cannot write path-list entry: " + w.error().message());
    out += (out.empty() ? "" : " ") + *w;
  }
  return out;
}
inline std::string written_path(const std::string& entry) { return written_paths({entry}); }
// The same for paths that may be absent where the unit runs: each "-"-prefixed.
template <typename Container>
inline std::string written_optional_paths(const Container& paths) {
  std::vector<std::string> dashed;
  for (const auto& p : paths) dashed.push_back("-" + p);
  return written_paths(dashed);
}
// A command line through the one writer; the same holds as for paths.
inline std::string written_command_line(const std::vector<std::string>& argv, std::string_view prefixes) {
  auto w = unit::write_command_line(argv, prefixes);
  if (!w) throw std::logic_error("cannot write command line: " + w.error().message());
  return *w;
}

// Whether a drop-in can name `path` (a program the profile saw run may
// have any name).
inline bool nameable(const std::string& path) { return unit::write_path_item(path).has_value(); }

inline Option single(const std::string& key, const std::string& value, std::string why, int forbids = 0) {
  Option o;
  o.directives.push_back(make(key, {value}, std::move(why)));
  o.forbids = forbids;
  return o;
}

// A choice the rule refuses, with its reason; the optimiser stamps the rule.
inline NotSet refuse(const std::string& directive, std::string reason) {
  return NotSet{directive, std::move(reason), ""};
}

template <typename Container>
inline std::string join(const Container& s, const std::string& sep = " ") {
  std::string out;
  for (const auto& x : s) {
    if (!out.empty()) out += sep;
    out += x;
  }
  return out;
}

// First few items of a list for a comment, "a, b, c and 4 more".
inline std::string sample(const std::vector<std::string>& items, size_t max = 3) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  if (items.size() > max) out += fmt::format(" and {} more", items.size() - max);
  return out;
}

inline std::vector<std::string> path_list(const std::vector<const PathUse*>& uses) {
  std::vector<std::string> out;
  for (const auto* u : uses) out.push_back(u->path);
  return out;
}

// ---- capabilities -------------------------------------------------------

const int kCapCount = capability_count();

inline int cap_number(const std::string& name) { return capability_number(name); }

inline std::string caps_text(uint64_t bits) {
  std::string out;
  for (int i = 0; i < kCapCount; ++i) {
    if (bits & (uint64_t{1} << i)) {
      if (!out.empty()) out += ' ';
      out += capability_name(i);
    }
  }
  return out;
}

inline uint64_t observed_caps(const Evidence& ev) {
  uint64_t bits = 0;
  for (const auto& [name, w] : ev.capabilities) {
    int n = cap_number(name);
    if (n >= 0) bits |= uint64_t{1} << n;
  }
  return bits;
}

// "/usr/sbin/sendmail" (the setuid binaries run, or who ran one).
inline std::string setuid_text(const Evidence& ev) { return join(ev.setuid_executables, ", "); }

using unit::is_root_name;

// ---- identity -----------------------------------------------------------

// Directories systemd can create and hand to a dynamic user. `path` may be
// the directory itself when `is_dir` (it has observed children).
inline std::optional<std::pair<std::string, std::string>> managed_directory(const std::string& path, bool is_dir = false) {
  for (const auto& m : unit::managed_directories()) {
    std::string p(m.base);
    if (path.rfind(p, 0) != 0) continue;
    std::string rest = path.substr(p.size());
    auto slash = rest.find('/');
    if (slash == std::string::npos && !is_dir) return std::nullopt;  // a file directly in /var/lib
    std::string name = rest.substr(0, slash);
    // A folder other services share (/run/lock, /run/user, /run/systemd) is
    // not the daemon's: systemd would hand it over, and delete a
    // RuntimeDirectory= at stop.
    if (unit::reserved_managed_name(m.base, name)) return std::nullopt;
    // A name these directives cannot carry unquoted is granted as a path instead.
    if (!unit::write_directory_name(name)) return std::nullopt;
    return std::make_pair(std::string(m.key), name);
  }
  return std::nullopt;
}

// A path with observed paths below it is a directory.
inline bool has_children(const Evidence& ev, const std::string& path) {
  // "/a-b" sorts between "/a" and "/a/c": look from "/a/" on.
  std::string below = path + "/";
  auto it = ev.paths.lower_bound(below);
  return it != ev.paths.end() && it->first.compare(0, below.size(), below) == 0;
}

inline std::optional<std::pair<std::string, std::string>> managed_of(const Evidence& ev, const std::string& path) {
  return managed_directory(path, has_children(ev, path));
}

// A directory the daemon makes at start directly in a folder every package
// shares (snmpd's /var/agentx): granting the folder would open all of /var,
// so the plan makes this one first, with full privileges ("+"), owned by the
// service's user (filesystem.cc), and grants it alone.
inline bool made_at_start(const Evidence& ev, const std::string& path) {
  auto it = ev.paths.find(path);
  return it != ev.paths.end() && (it->second.access & kCreate) && shared_folder(dirname_of(path)) &&
         has_children(ev, path);
}

// Where systemd puts StateDirectory= and friends.
inline std::string managed_base(const std::string& key) {
  const auto* m = unit::managed_directory_of(key);
  return m ? std::string(m->base) : "/run/";
}

// StateDirectory= and friends chown the whole tree to the service's user and
// group at every start. That takes nothing from anyone when systemd creates
// the directory, when it is theirs already, or when it is root's and no one
// else may write it (root keeps its access through its capabilities). A
// directory of another account (unbound's /var/lib/unbound for a daemon
// started as root; /var/log/redis, redis:adm) would be taken from it.
inline bool hand_over_harmless(const SystemFacts& facts, const std::string& dir, uint32_t uid, uint32_t gid) {
  if (facts.empty()) return true;
  const FileFacts* f = facts.file(dir);
  if (!f) return true;
  if (f->uid == uid && f->gid == gid) return true;
  return f->uid == 0 && f->gid == 0 && !(f->mode & 022);
}

// Writes a fresh ProtectSystem=strict mount view would refuse, minus the
// paths the plan or unit makes writable by other means.
inline bool api_or_scratch(const Context& c, const std::string& path) {
  for (const char* p : {"/dev", "/proc", "/sys"}) {
    if (path_under(path, p)) return true;
  }
  if (c.private_tmp() && (path_under(path, "/tmp") || path_under(path, "/var/tmp"))) return true;
  return false;
}

// Under a directory systemd creates for the unit and hands to its user
// (RuntimeDirectory= and friends).
inline bool under_unit_directory(const unit::UnitSettings& u, const std::string& path) {
  for (const auto& m : unit::managed_directories())
    for (const auto& d : u.*m.names)
      if (path_under(path, std::string(m.base) + d)) return true;
  return false;
}

inline bool already_writable(const unit::UnitSettings& u, const std::string& path) {
  for (const auto& p : u.read_write_paths) {
    if (path_under(path, unit::strip_path_prefixes(p))) return true;
  }
  return under_unit_directory(u, path);
}

inline StaticUserAnalysis static_user_analysis(const Context& c, const Account* forced = nullptr) {
  UnitSetup setup;
  setup.pid_file = c.unit.pid_file;
  setup.unit_name = c.unit.name;
  setup.handed_over = [&](const std::string& p, const Account& who) {
    if (under_unit_directory(c.unit, p)) return true;
    // A directory the filesystem rule makes at start for the account (it
    // does under a read-only view it adds itself), when making it takes
    // nothing from anyone: absent, the account's, or root's alone. The
    // folder and what is new in it are the account's; files it held before
    // keep their owners.
    const bool makes_dirs = !(c.unit.protect_system == unit::ProtectSystem::strict && !c.dynamic_user()) &&
                            !c.ev.flag("mounts");
    for (std::string d = p; makes_dirs && d.size() > 1 && d[0] == '/'; d = dirname_of(d))
      if (made_at_start(c.ev, d) && !managed_of(c.ev, d) && !already_writable(c.unit, d))
        return (p == d || !c.facts.file(p)) && hand_over_harmless(c.facts, d, who.uid, who.gid);
    // Handed over only when written to: the writes rule then lists it.
    auto m = managed_of(c.ev, p);
    if (!m) return false;
    std::string dir = managed_base(m->first) + m->second;
    return !c.ev.paths_under(dir, kWriteBits).empty() && hand_over_harmless(c.facts, dir, who.uid, who.gid);
  };
  auto a = analyse_static_user(c.ev, c.facts, setup, forced, c.waive_static_user_blockers);
  if (!c.static_user_refused.empty() && a.account) {
    if (c.waive_static_user_blockers) a.waived.push_back(c.static_user_refused);
    else a.blockers.push_back(c.static_user_refused);
  }
  return a;
}

inline std::vector<const PathUse*> writes_needing_rw(const Context& c) {
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
inline bool root_only_file(const std::string& path) {
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

inline std::vector<const PathUse*> real_devices(const Evidence& ev) {
  std::vector<const PathUse*> out;
  for (const auto& [path, use] : ev.paths) {
    if (!(use.is_device || path_under(path, "/dev"))) continue;
    if (is_pseudo_device(path)) continue;
    if (use.access == profile::kStat || use.access == profile::kList) continue;
    out.push_back(&use);
  }
  return out;
}

inline std::string device_access(const PathUse& u) {
  std::string a;
  if (u.access & (kRead | profile::kList | profile::kStat)) a += 'r';
  if (u.access & (kWrite | kCreate)) a += 'w';
  if (u.access & profile::kMknod) a += 'm';
  return a.empty() ? "r" : a;
}

// The programs the service may run: every one seen and every one its
// unit's command lines name, with the interpreters of its scripts. `certain`
// when that list is all there is: each is a known ELF binary or a named
// interpreter, none was looked up in $PATH, none is a command never seen run.
// (filesystem.cc; the ephemeral root, root_directory.cc, uses it too.)
struct ProgramList {
  std::set<std::string> programs;
  std::set<std::string> libraries;  // shared objects opened outside the library folders
  bool certain = true;
};
ProgramList programs_run(const Context& c);

// The rules of each rule file (knowledge_base() sorts them by Rule::order).
std::vector<const Rule*> devices_rules();
std::vector<const Rule*> filesystem_rules();
std::vector<const Rule*> root_directory_rules();
std::vector<const Rule*> identity_rules();
std::vector<const Rule*> kernel_rules();
std::vector<const Rule*> network_rules();
std::vector<const Rule*> process_rules();
std::vector<const Rule*> syscalls_rules();

}  // namespace sdh::synth::rules
