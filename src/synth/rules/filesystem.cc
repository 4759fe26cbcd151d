// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: the file system view: /tmp, mounts, ProtectSystem=, ProtectHome=, hidden secrets, executable paths, shared memory.
#include "synth/rules/rules.h"
#include "synth/sessions.h"

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {

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
  // Where the release has it, "disconnected": its own tmpfs /tmp and /var/tmp,
  // with no tie to (or ordering after) the host's.
  bool disconnected = c.accepts("PrivateTmp", "disconnected");
  r.options.push_back(single("PrivateTmp", disconnected ? "disconnected" : "yes",
                             fmt::format("no file in /tmp or /var/tmp shared with other programs ({}){}", c.scope(),
                                         disconnected ? "; disconnected: its own tmpfs, nothing of the host's" : ""),
                             rule));
  return r;
}

}  // namespace

const Rule& rule_private_tmp() {
  static const Rule r{
      .id = "private-tmp",
      .keys = {"PrivateTmp"},
      .assessors = {"PrivateTmp"},
      .mount_namespace = true,
      .forbidden_by = "use of a /tmp or /var/tmp file the service did not create (X11 sockets, hand-offs); "
                      "disconnected (257+) on the same evidence",
      .implies = "",
      .decide = decide_private_tmp, .order = 50};
  return r;
}

namespace {

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

}  // namespace

const Rule& rule_private_mounts() {
  static const Rule r{
      .id = "private-mounts",
      .keys = {"PrivateMounts"},
      .assessors = {"PrivateMounts"},
      .mount_namespace = true,
      .forbidden_by = "mount() meant for the host",
      .implies = "",
      .decide = decide_private_mounts, .order = 140};
  return r;
}

namespace {

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
  // A directory the daemon makes directly in a folder every package shares
  // (snmpd's /var/agentx): opening the folder for it would leave all of /var
  // writable and the read-only view moot. It is granted alone, and made
  // before the start with full privileges ("+"): a writable path must exist
  // when the sandbox is set up.
  std::set<std::string> made_dirs;
  for (const auto* u : writes)
    if ((u->access & kCreate) && shared_folder(dirname_of(u->path)) && has_children(c.ev, u->path) &&
        !managed_here(u->path))
      made_dirs.insert(u->path);
  auto made_dir_of = [&](const std::string& path) -> const std::string* {
    for (const auto& d : made_dirs)
      if (path_under(path, d)) return &d;
    return nullptr;
  };
  auto rw_for = [&](const PathUse& u) {
    const std::string* d = made_dir_of(u.path);
    return d ? *d : rw_path_for(u);
  };
  for (const auto* u : writes) {
    auto m = managed_here(u->path);
    if (m) managed[m->first].insert(m->second);
    else add_unique_prefix(rw_a, rw_for(*u));
    if (m) add_unique_prefix(rw_b, managed_base(m->first) + m->second);
    else add_unique_prefix(rw_b, rw_for(*u));
  }
  std::optional<Directive> make_dirs;
  if (!made_dirs.empty()) {
    auto ids = service_ids(c);
    std::vector<std::string> lines;
    for (const auto& d : made_dirs) {
      std::vector<std::string> argv = {"/usr/bin/install", "-d"};
      if (ids && (ids->first || ids->second))
        argv.insert(argv.end(), {"-o", std::to_string(ids->first), "-g", std::to_string(ids->second)});
      argv.push_back(d);
      lines.push_back(written_command_line(argv, "+"));
    }
    std::set<std::string> parents;
    for (const auto& d : made_dirs) parents.insert(dirname_of(d));
    make_dirs = make("ExecStartPre", lines,
                     fmt::format("{} made at start directly in {}, which other packages share: created first, with "
                                 "full privileges, so that it alone is writable",
                                 join(made_dirs, ", "), join(parents, ", ")),
                     rule);
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
  for (const auto& p : rw_a) a.directives.push_back(make("ReadWritePaths", {written_path("-" + p)}, written_below(p), rule));
  if (make_dirs) a.directives.push_back(*make_dirs);
  r.options.push_back(a);
  if (!managed.empty()) {
    Option b;
    b.forbids = 1;  // ReadWritePaths= keeps paths of other services writable too
    b.required = rw_needed;
    if (restate) b.directives.push_back(strict_line("the writable paths below are the ones written"));
    for (const auto& p : rw_b)
      b.directives.push_back(make("ReadWritePaths", {written_path("-" + p)}, written_below(p), rule));
    if (make_dirs) b.directives.push_back(*make_dirs);
    r.options.push_back(b);
  }
  return r;
}

}  // namespace

const Rule& rule_protect_system() {
  static const Rule r{
      .id = "protect-system",
      .keys = {"ProtectSystem", "ReadWritePaths", "StateDirectory", "CacheDirectory", "LogsDirectory", "RuntimeDirectory",
               "ExecStartPre"},
      .assessors = {"ProtectSystem"},
      .mount_namespace = true,
      .forbidden_by = "mount() meant for the host (writes get ReadWritePaths= or *Directory=)",
      .implies = "",
      .decide = decide_protect_system, .order = 160};
  return r;
}

namespace {

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
      t.directives.push_back(make("BindReadOnlyPaths", {written_path("-" + u->path)}, "read by " + who(u->executables), rule));
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

}  // namespace

const Rule& rule_protect_home() {
  static const Rule r{
      .id = "protect-home",
      .keys = {"ProtectHome", "BindReadOnlyPaths"},
      .assessors = {"ProtectHome"},
      .mount_namespace = true,
      .forbidden_by = "any access under /home, /root, /run/user (tmpfs + BindReadOnlyPaths= when only read)",
      .implies = "",
      .decide = decide_protect_home, .order = 170};
  return r;
}

namespace {

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
  // Login sessions keep ProtectHome= out, and with it root's home. When the
  // sessions run no commands and none of those seen used /root, root's home
  // is another program's secret like the rest (a root login through the
  // service, which the workload did not make, would lose it).
  std::string root_home;
  SessionEvidence sessions = recognise_sessions(c.ev, c.facts);
  if (sessions.starts_sessions && !sessions.runs_commands && c.ev.paths_under("/root", ~0u).empty()) {
    hide.push_back("/root");
    root_home = "; /root too: no login session it started used it";
  }
  if (hide.empty()) return r;
  Option o;
  o.required = true;
  std::vector<std::string> dashed;
  for (const auto& h : hide) dashed.push_back("-" + h);
  o.directives.push_back(make("InaccessiblePaths", {written_paths(dashed)},
                              fmt::format("runs as root but never touched these secrets of other programs ({}){}",
                                          c.scope(), root_home),
                              rule));
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_inaccessible_secrets() {
  static const Rule r{
      .id = "inaccessible-secrets",
      .keys = {"InaccessiblePaths"},
      .assessors = {},
      .mount_namespace = true,
      .forbidden_by = "reading host keys, password hashes, private keys, other services' private state, /boot",
      .implies = "",
      .decide = decide_inaccessible_secrets, .order = 360};
  return r;
}

namespace {

// A folder the service may write is a place to drop code. When every
// program it ran is a known ELF binary, nothing else may be executed
// (NoExecPaths=/ with ExecPaths= of those programs and the library folders,
// as Debian's redis unit does); otherwise the folders it may write are
// noexec. Neither moves the exposure score: this is the battery's objective
// (execute a dropped file, execute a shell).
// systemd mounts each NoExecPaths= entry on its own, and a mount of its
// own escapes the read-only pass of ProtectSystem=strict (252 and 257 both:
// NoExecPaths=-/run leaves /run writable). The folders of the list that the
// plan does not let it write are made read-only again, explicitly.
void keep_read_only(const Context& c, const std::vector<std::string>& no_exec, Option& o, const std::string& rule) {
  if (!c.strict() && !c.dynamic_user()) return;
  std::vector<std::string> ro;
  for (const auto& entry : no_exec) {
    std::string path = unit::strip_path_prefixes(entry);
    // (Not only for root: /tmp, /var/tmp and Debian's /run/lock are everyone's.)
    if (path == "/" || api_or_scratch(c, path) || c.may_write(path)) continue;
    ro.push_back(path);
  }
  if (ro.empty()) return;
  std::vector<std::string> dashed;
  for (const auto& p : ro) dashed.push_back("-" + p);
  o.directives.push_back(make("ReadOnlyPaths", {written_paths(dashed)},
                              fmt::format("not written ({}); NoExecPaths= above mounts {} on its own, which "
                                          "ProtectSystem=strict would then leave writable",
                                          c.scope(), sample(ro, 3)),
                              rule));
}

// The programs the service may run: every one seen and every one its
// unit's command lines name, with the interpreters of its scripts. `certain`
// when that list is all there is: each is a known ELF binary or a named
// interpreter, none was looked up in $PATH, none is a command never seen run.
struct ProgramList {
  std::set<std::string> programs;
  std::set<std::string> libraries;  // shared objects opened outside the library folders
  bool certain = true;
};

// Where shared libraries live; they stay executable under a program list.
const char* const kLibraryFolders[] = {"/usr/lib", "/lib", "/usr/lib64", "/lib64", "/usr/lib32", "/lib32",
                                       "/usr/libx32", "/libx32"};

ProgramList programs_run(const Context& c) {
  ProgramList l;
  l.programs = c.ev.executables;
  for (const auto& [key, lines] : c.unit.exec_lines)
    for (const auto& line : lines) {
      if (unit::unsandboxed_program(line)) continue;
      auto p = unit::exec_program(line);
      if (!p) continue;
      if ((*p)[0] != '/') l.certain = false;  // looked up in $PATH: the file is not certain
      else if (!std::any_of(l.programs.begin(), l.programs.end(),
                            [&](const std::string& e) { return profile::same_program(e, *p); }))
        l.programs.insert(*p), l.certain = false;  // never seen run: its interpreter is unknown
    }
  // A script's interpreter is loaded by the kernel and never shows as an
  // executable of its own: the profile names it, and it must stay executable.
  std::set<std::string> interpreters;
  for (const auto& [script, interp] : c.ev.interpreters) {
    // "#!/usr/bin/env NAME" finds its program in $PATH: not certain.
    if (interp[0] != '/' || interp.size() < 4 || interp.compare(interp.size() - 4, 4, "/env") == 0)
      l.certain = false;
    interpreters.insert(interp);
  }
  l.programs.insert(interpreters.begin(), interpreters.end());
  // A program whose name a unit file cannot carry cannot be listed: the
  // list is then not the whole of what runs.
  if (std::erase_if(l.programs, [](const std::string& p) { return !nameable(p); }) > 0) l.certain = false;
  for (const auto& p : l.programs)
    if (!c.ev.machines.count(p) && !interpreters.count(p)) l.certain = false;
  if (l.programs.empty()) l.certain = false;
  // Shared objects it opened outside the library folders (/usr/local/lib,
  // a plugin folder) must stay mappable as code.
  for (const auto& entry : c.ev.paths) {
    // (A named reference: clang before 16 refuses a lambda capturing a structured binding.)
    const std::string& path = entry.first;
    const PathUse& use = entry.second;
    // "libx.so" or "libx.so.1.2" (not ld.so.cache).
    std::string base = path.substr(path.rfind('/') + 1);
    size_t so = base.find(".so");
    bool shared_object = so != std::string::npos && so > 0 &&
                         (so + 3 == base.size() ||
                          (base[so + 3] == '.' && base.find_first_not_of("0123456789.", so + 3) == std::string::npos));
    if (!shared_object || !(use.access & kRead)) continue;
    if (std::any_of(std::begin(kLibraryFolders), std::end(kLibraryFolders),
                    [&](const char* lib) { return path_under(path, lib); }))
      continue;
    l.libraries.insert(path);
  }
  return l;
}

RuleOutcome decide_exec_paths(const Context& c) {
  RuleOutcome r;
  const std::string rule = "exec-paths";
  if (!c.unit.exec_paths.empty() || !c.unit.no_exec_paths.empty() || c.ev.flag("mounts")) return r;
  const ProgramList list = programs_run(c);
  const std::set<std::string>& programs = list.programs;
  // Each ExecPaths= entry is a mount of its own, and ProtectSystem=strict
  // leaves it writable (like a NoExecPaths= entry; a ReadOnlyPaths= of the
  // same path takes the exec bit away again): for a root service the list
  // would open its programs and libraries to rewriting. Only a service that
  // cannot write them gets it.
  if (list.certain && c.unprivileged()) {
    std::vector<std::string> paths(programs.begin(), programs.end());
    paths.insert(paths.end(), list.libraries.begin(), list.libraries.end());
    // Every library folder (kLibraryFolders): /usr/lib must exist, the
    // others may not on this machine.
    for (const std::string lib : kLibraryFolders) paths.push_back(lib == "/usr/lib" ? lib : "-" + lib);
    Option o;
    o.required = true;
    // The scratch folders are mounts of their own (private /tmp, /dev/shm):
    // "/" alone does not reach them.
    const std::vector<std::string> no_exec = {"/", "-/tmp", "-/var/tmp", "-/dev/shm", "-/run"};
    o.directives.push_back(make("NoExecPaths", {written_paths(no_exec)},
                                "nothing but the programs below may be executed, from any folder", rule));
    keep_read_only(c, no_exec, o, rule);
    o.directives.push_back(make("ExecPaths", {written_paths(paths)},
                                fmt::format("the {} program{} run and their interpreters ({}), and the libraries they "
                                            "map ({})",
                                            programs.size(), programs.size() == 1 ? "" : "s", sample(paths, 3),
                                            c.scope()),
                                rule));
    r.options.push_back(o);
    return r;
  }
  std::set<std::string> writable = {"/tmp", "/var/tmp", "/dev/shm", "/run"};
  for (const auto& w : c.planned_paths("ReadWritePaths")) writable.insert(w);
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
  o.directives.push_back(
      make("NoExecPaths", {written_paths(noexec)},
           fmt::format("nothing was executed from a folder it may write ({}); {}", c.scope(),
                       list.certain ? "no program list: it runs as root, and ExecPaths= entries are mounts that "
                                      "ProtectSystem=strict leaves writable"
                                    : "a program list would need the interpreters of its scripts"),
           rule));
  keep_read_only(c, noexec, o, rule);
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_exec_paths() {
  static const Rule r{
      .id = "exec-paths",
      .keys = {"NoExecPaths", "ExecPaths", "ReadOnlyPaths"},
      .assessors = {},
      .mount_namespace = true,
      .forbidden_by = "executing a program from a folder it can write, or one not seen run",
      .implies = "",
      .decide = decide_exec_paths, .order = 370};
  return r;
}

namespace {

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

}  // namespace

const Rule& rule_shared_memory() {
  static const Rule r{
      .id = "shared-memory",
      .keys = {"InaccessiblePaths"},
      .assessors = {},
      .mount_namespace = true,
      .forbidden_by = "a file under /dev/shm (shm_open, sem_open)",
      .implies = "",
      .decide = decide_shared_memory, .order = 380};
  return r;
}

namespace {

RuleOutcome decide_unused_views(const Context&) { return {}; }

}  // namespace

const Rule& rule_unused_views() {
  static const Rule r{
      .id = "unused-views",
      .keys = {"ReadOnlyPaths", "TemporaryFileSystem"},
      .assessors = {},
      .mount_namespace = true,
      .forbidden_by = "never emitted: ProtectSystem=strict and ProtectHome=tmpfs + BindReadOnlyPaths= give the same view",
      .implies = "",
      .decide = decide_unused_views, .order = 390};
  return r;
}

namespace {

// The OS trees an ephemeral root binds in whole, read-only: programs,
// libraries and configuration. The rest of the host (/var, /srv, /opt,
// /home, /run...) is left out but for what the daemon was seen to use.
const char* const kOsTrees[] = {"/usr", "/etc", "-/bin", "-/sbin", "-/lib", "-/lib64", "-/lib32", "-/libx32"};

bool in_os_tree(const std::string& path) {
  for (const char* t : kOsTrees) {
    std::string tree = t[0] == '-' ? t + 1 : t;
    if (path_under(path, tree)) return true;
  }
  return false;
}

// What to bind for a path the daemon used: the folder a package owns in a
// shared one (/var/lib/redis for /var/lib/redis/dump.rdb, /var/www for
// /var/www/html/index.php), so that files it creates or rotates there and
// the neighbours of what it read are in view too.
std::string bind_root(const std::string& path) {
  std::string p = path;
  while (dirname_of(p) != "/" && !shared_folder(dirname_of(p))) p = dirname_of(p);
  return p;
}

RuleOutcome decide_root_directory(const Context& c) {
  RuleOutcome r;
  const std::string rule = "root-directory";
  if (!c.unit.root_directory.empty() || !c.unit.root_image.empty() || !c.unit.default_dependencies) return r;
  // An ephemeral root: an empty folder systemd makes at each start (a
  // RuntimeDirectory=), with the OS trees and what the daemon used bound in.
  std::vector<std::string> why_not;
  if (c.ev.flag("mounts")) why_not.push_back("mounts file systems the host must see");
  if (c.ev.lost_events > 0) why_not.push_back("the profile lost events: a file it used may be missing from the root");
  if (!c.unit.bind_paths.empty() || !c.unit.bind_read_only_paths.empty() || !c.unit.temporary_file_system.empty())
    why_not.push_back("the unit mounts its own paths (BindPaths=, TemporaryFileSystem=)");
  if (!c.strict()) why_not.push_back("the OS tree stays writable to it (no ProtectSystem=strict)");
  // A bind needs its source before the start: what it creates directly in
  // a shared folder (nginx's /run/nginx.pid) cannot be bound in.
  // (A directory systemd makes for it first, RuntimeDirectory= and the like, is there.)
  // What it may write, planned or the unit's own: bound in writable, whole.
  std::vector<std::string> writable = c.planned_paths("ReadWritePaths");
  for (const auto& p : c.unit.read_write_paths) writable.push_back(unit::strip_path_prefixes(p));
  auto granted = [&](const std::string& dir) {
    return std::any_of(writable.begin(), writable.end(), [&](const std::string& w) { return path_under(dir, w); });
  };
  const std::string name = c.unit.name.substr(0, c.unit.name.rfind('.')) + "-root";
  const std::string root = "/run/" + name;
  if (!unit::write_directory_name(name) || !unit::write_path(root))
    why_not.push_back("the unit's name cannot be a folder name in a unit file unquoted");
  for (const auto& w : writable)
    if (path_under(root, w)) {
      why_not.push_back(fmt::format("it may write all of {}, where the root would lie", w));
      break;
    }
  // A file written directly in a shared folder (a log in /var/log) can only
  // come in with the folder: a bind of the file itself needs it before the
  // start, and would keep the old file after a rotation. That is as far as
  // the plan grants the folder anyway; else the root is refused.
  for (const auto& [path, use] : c.ev.paths)
    if ((use.access & kWriteBits) && !shared_folder(path) && shared_folder(dirname_of(path)) &&
        !path_under(path, "/tmp") && !path_under(path, "/var/tmp") && !path_under(path, "/dev") &&
        !c.made_by_systemd(path) && !granted(dirname_of(path))) {
      why_not.push_back(fmt::format("writes {} directly in {}, which it may not write whole", path, dirname_of(path)));
      break;
    }
  if (!why_not.empty()) {
    r.not_set.push_back(refuse("RootDirectory=", sample(why_not), rule));
    return r;
  }
  std::set<std::string> rw, ro;
  auto add = [&](const std::string& path, bool writes) {
    // The OS trees are there already, read-only; what it writes in them is
    // bound in writable on top.
    if (path.empty() || path[0] != '/' || (in_os_tree(path) && !writes)) return;
    for (const char* api : {"/proc", "/sys", "/dev"})
      if (path_under(path, api)) return;
    for (const char* tmp : {"/tmp", "/var/tmp"})
      if (path_under(path, tmp)) {
        if (!c.private_tmp()) (writes ? rw : ro).insert(tmp);  // the host's, shared
        return;
      }
    if (shared_folder(path)) return;  // a folder's own entry (stat of /var): its used contents come in
    (writes ? rw : ro).insert(bind_root(path));
  };
  for (const auto& [path, use] : c.ev.paths) add(path, (use.access & kWriteBits) != 0);
  for (const auto& exe : c.ev.executables) add(exe, false);
  // Sockets it connects or sends to: a read-only mount still lets it connect.
  bool journal = false;
  for (const auto& a : c.ev.addresses) {
    if (a.family != "AF_UNIX" || a.address.empty() || a.address[0] != '/' || a.op == "bind" || a.op == "listen")
      continue;
    // /dev/log is systemd's link into the journal's folder.
    if (a.address == "/dev/log" || path_under(a.address, "/run/systemd/journal")) journal = true;
    else add(a.address, false);
  }
  if (journal) ro.insert("/run/systemd/journal");
  // sd_notify() of a Type=notify daemon goes to the manager's socket.
  if (c.unit.service_type == "notify" || c.unit.service_type == "notify-reload") ro.insert("/run/systemd/notify");
  for (const auto& w : writable)
    if (shared_folder(w)) rw.insert(w);  // the folder itself, as granted
    else add(w, true);
  // A folder bound writable covers its read-only entries; nested entries go
  // with their ancestor.
  auto covered = [](const std::set<std::string>& set, const std::string& p) {
    return std::any_of(set.begin(), set.end(), [&](const std::string& q) { return q != p && path_under(p, q); });
  };
  std::set<std::string> binds_rw, binds_ro;
  for (const auto& p : rw)
    if (!covered(rw, p)) binds_rw.insert(p);
  for (const auto& p : ro)
    if (!covered(ro, p) && !covered(binds_rw, p) && !binds_rw.count(p)) binds_ro.insert(p);

  Option o;
  o.directives.push_back(make("RuntimeDirectory", {name},
                              "an empty folder systemd makes at each start and removes after the stop: the root below",
                              rule));
  o.directives.push_back(make(
      "RootDirectory", {root},
      fmt::format("an ephemeral root: every file, program and socket seen ({} paths, {} executables) lies under what "
                  "is bound in below; the rest of the host (other packages' data, /home, /srv, /opt) is not there",
                  c.ev.paths.size(), c.ev.executables.size()),
      rule));
  std::vector<std::string> os(std::begin(kOsTrees), std::end(kOsTrees));
  o.directives.push_back(make("BindReadOnlyPaths", {written_paths(os)},
                              "the OS trees, read-only: programs, libraries (ELF dependencies, NSS and PAM modules) "
                              "and configuration",
                              rule));
  auto dashed = [](const std::set<std::string>& set) {
    std::vector<std::string> out;
    for (const auto& p : set) out.push_back("-" + p);
    return written_paths(out);
  };
  if (!binds_ro.empty())
    o.directives.push_back(make("BindReadOnlyPaths", {dashed(binds_ro)},
                                fmt::format("read, not written: {} ({})", sample({binds_ro.begin(), binds_ro.end()}, 4), c.scope()), rule));
  if (!binds_rw.empty())
    o.directives.push_back(make("BindPaths", {dashed(binds_rw)},
                                fmt::format("written: {} ({})", sample({binds_rw.begin(), binds_rw.end()}, 4), c.scope()), rule));
  // Inside a root, systemd takes the path lists for host paths and drops
  // them, being outside it: the restrictions that must hold there are
  // repeated with "+" (relative to the root). The root itself is read-only
  // (ProtectSystem=strict) but the mounts made in it are not: its /run, the
  // private /tmp and /var/tmp, the host's /dev/shm under the private /dev,
  // the binds, and the root's own folder, which systemd binds in at /run.
  o.directives.push_back(make("TemporaryFileSystem", {"/run:ro,noexec"},
                              "an empty, read-only /run in the root (systemd would mount a writable one); what it "
                              "uses there is bound in above",
                              rule));
  std::vector<std::string> no_exec = {"+/", "-+/tmp", "-+/var/tmp", "-+/etc"};
  for (const auto& p : binds_rw)
    if (!std::any_of(c.ev.executables.begin(), c.ev.executables.end(),
                     [&](const std::string& e) { return path_under(e, p); }))
      no_exec.push_back("-+" + p);
  // When the programs it runs are certain, the OS trees' programs are
  // noexec too (each bind is a mount of its own) but for those; the library
  // folders stay executable (the /lib binds are mounts of their own).
  // (Not for a root service: the ExecPaths= entries would be writable mounts.)
  const ProgramList list = programs_run(c);
  const bool program_list = list.certain && c.unprivileged();
  if (program_list)
    for (const char* tree : {"-+/usr", "-+/bin", "-+/sbin"}) no_exec.push_back(tree);
  o.directives.push_back(make("NoExecPaths", {written_paths(no_exec)},
                              program_list ? "nothing runs from the root, its temporary folders, /etc, the folders it "
                                             "writes or the OS trees, but the programs below"
                                           : "nothing runs from the root, its temporary folders, /etc or the folders "
                                             "it writes: programs come from the OS trees bound in",
                              rule));
  if (program_list) {
    std::vector<std::string> exec;
    for (const auto& p : list.programs) exec.push_back("+" + p);
    for (const auto& p : list.libraries) exec.push_back("-+" + p);
    // /bin and /sbin are binds of their own in the root: a command line's
    // program as the unit spells it (/bin/kill) is not the /usr/bin/kill
    // a newer systemd records.
    for (const auto& [key, lines] : c.unit.exec_lines)
      for (const auto& line : lines) {
        auto p = unit::exec_program(line);
        if (p && (*p)[0] == '/' && !unit::unsandboxed_program(line) && !list.programs.count(*p) && nameable(*p))
          exec.push_back("-+" + *p);
      }
    for (const char* lib : {"+/usr/lib", "-+/usr/lib64", "-+/usr/lib32", "-+/usr/libx32"}) exec.push_back(lib);
    o.directives.push_back(make("ExecPaths", {written_paths(exec)},
                                fmt::format("in the root, the {} program{} run and their interpreters ({}), and the "
                                            "libraries ({})",
                                            list.programs.size(), list.programs.size() == 1 ? "" : "s",
                                            sample({list.programs.begin(), list.programs.end()}, 3), c.scope()),
                                rule));
  }
  std::vector<std::string> hidden = {"-+/dev/shm", "-+" + root};
  for (const auto& d : c.plan)
    if (d.key == "InaccessiblePaths")
      for (const auto& v : d.values)
        for (const auto& p : unit::read_list_items(v).value_or(std::vector<std::string>{})) {
          std::string bare = unit::strip_path_prefixes(p);
          if (bare != "/dev/shm") hidden.push_back("-+" + bare);
        }
  o.directives.push_back(make("InaccessiblePaths", {written_paths(hidden)},
                              "the host's /dev/shm under the private /dev, the root's own folder, and the secrets "
                              "hidden above, as seen inside the root",
                              rule));
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_root_directory() {
  static const Rule r{
      .id = "root-directory",
      .keys = {"RootDirectory"},
      .assessors = {"RootDirectoryOrRootImage"},
      .mount_namespace = true,
      .forbidden_by = "mounts, a lost event, the unit's own binds, a writable OS tree; verification falls back without it",
      .implies = "",
      .decide = decide_root_directory, .order = 400};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> filesystem_rules() {
  return {
      &rule_private_tmp(),
      &rule_private_mounts(),
      &rule_protect_system(),
      &rule_protect_home(),
      &rule_inaccessible_secrets(),
      &rule_exec_paths(),
      &rule_shared_memory(),
      &rule_unused_views(),
      &rule_root_directory(),
  };
}

}  // namespace sdh::synth::rules
