// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: the file system view: /tmp, mounts, ProtectSystem=, ProtectHome=, hidden secrets, executable paths, shared memory.
#include "synth/rules/rules.h"
#include "synth/sessions.h"

#include "synth/syscall_groups.h"
#include "unit/semantics.h"

namespace sdh::synth::rules {
namespace {

RuleOutcome decide_private_tmp(const Context& c) {
  RuleOutcome r;
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
    r.not_set.push_back(refuse("PrivateTmp=yes", "uses pre-existing " + sample(shared)));
    return r;
  }
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("PrivateTmp=yes", "mounts file systems the host must see"));
    return r;
  }
  // Where the release has it, "disconnected": its own tmpfs /tmp and /var/tmp,
  // with no tie to (or ordering after) the host's.
  bool disconnected = c.accepts("PrivateTmp", "disconnected");
  r.options.push_back(single("PrivateTmp", disconnected ? "disconnected" : "yes",
                             fmt::format("no file in /tmp or /var/tmp shared with other programs ({}){}", c.scope(),
                                         disconnected ? "; disconnected: its own tmpfs, nothing of the host's" : "")));
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
                               who(c.ev.flags.at("mounts").executables) + " mounts file systems the host must see"));
    return r;
  }
  r.options.push_back(single("PrivateMounts", "yes", fmt::format("no mount() ({})", c.scope())));
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
  if (!unit::is_root_name(group)) {
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
  if (c.unit.protect_system == unit::ProtectSystem::strict && !c.dynamic_user()) return r;
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("ProtectSystem=", "mounts file systems the host must see"));
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
  // Directories made at start (made_at_start): a writable path must exist
  // when the sandbox is set up, so they are made before it.
  std::set<std::string> made_dirs;
  for (const auto* u : writes)
    if (made_at_start(c.ev, u->path) && !managed_here(u->path)) made_dirs.insert(u->path);
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
      // install -d sets the mode of a folder that exists (0755 by default):
      // the machine's mode is kept, and the folder goes to the service's
      // user only where that takes nothing from anyone.
      const FileFacts* f = c.facts.file(d);
      if (f) argv.insert(argv.end(), {"-m", fmt::format("{:04o}", f->mode & 07777)});
      if (ids && (ids->first || ids->second) && (!f || hand_over_harmless(c.facts, d, ids->first, ids->second)))
        argv.insert(argv.end(), {"-o", std::to_string(ids->first), "-g", std::to_string(ids->second)});
      argv.push_back(d);
      lines.push_back(written_command_line(argv, "+"));
    }
    std::set<std::string> parents;
    for (const auto& d : made_dirs) parents.insert(dirname_of(d));
    make_dirs = make("ExecStartPre", lines,
                     fmt::format("{} made at start directly in {}, which other packages share: created first, with "
                                 "full privileges, so that it alone is writable",
                                 join(made_dirs, ", "), join(parents, ", ")));
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
                                                                         : extra));
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
    for (const auto& n : names) a.directives.push_back(make(key, {n}, "writes " + written_under(key, n)));
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
  for (const auto& p : rw_a) a.directives.push_back(make("ReadWritePaths", {written_path("-" + p)}, written_below(p)));
  if (make_dirs) a.directives.push_back(*make_dirs);
  r.options.push_back(a);
  if (!managed.empty()) {
    Option b;
    b.forbids = 1;  // ReadWritePaths= keeps paths of other services writable too
    b.required = rw_needed;
    if (restate) b.directives.push_back(strict_line("the writable paths below are the ones written"));
    for (const auto& p : rw_b)
      b.directives.push_back(make("ReadWritePaths", {written_path("-" + p)}, written_below(p)));
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
    r.not_set.push_back(refuse("ProtectHome=", "mounts file systems the host must see"));
    return r;
  }
  if (any.empty()) {
    r.options.push_back(single("ProtectHome", "yes",
                               fmt::format("nothing under /home, /root or /run/user touched ({})", c.scope())));
    return r;
  }
  r.not_set.push_back(refuse("ProtectHome=yes", "uses " + sample(path_list(any))));
  if (writes.empty()) {
    // tmpfs over the homes with the files read bound back in beats read-only.
    Option t;
    t.forbids = 0;
    t.directives.push_back(make("ProtectHome", {"tmpfs"}, "homes hidden except the files read below"));
    for (const auto* u : any) {
      t.directives.push_back(make("BindReadOnlyPaths", {written_path("-" + u->path)}, "read by " + who(u->executables)));
    }
    r.options.push_back(t);
    if (c.unit.protect_home == unit::ProtectHome::no) {
      r.options.push_back(single("ProtectHome", "read-only", "homes only read: " + sample(path_list(any)), 1));
    }
  } else {
    r.not_set.push_back(refuse("ProtectHome=read-only", "writes " + sample(path_list(writes))));
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
  o.directives.push_back(make("InaccessiblePaths", {written_optional_paths(hide)},
                              fmt::format("runs as root but never touched these secrets of other programs ({}){}",
                                          c.scope(), root_home)));
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
void keep_read_only(const Context& c, const std::vector<std::string>& no_exec, Option& o) {
  if (!c.strict() && !c.dynamic_user()) return;
  std::vector<std::string> ro;
  for (const auto& entry : no_exec) {
    std::string path = unit::strip_path_prefixes(entry);
    // (Not only for root: /tmp, /var/tmp and Debian's /run/lock are everyone's.)
    if (path == "/" || api_or_scratch(c, path) || c.may_write(path)) continue;
    ro.push_back(path);
  }
  if (ro.empty()) return;
  o.directives.push_back(make("ReadOnlyPaths", {written_optional_paths(ro)},
                              fmt::format("not written ({}); NoExecPaths= above mounts {} on its own, which "
                                          "ProtectSystem=strict would then leave writable",
                                          c.scope(), sample(ro, 3))));
}

}  // namespace

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
    // In a library folder: those stay executable under a program list.
    const auto libs = unit::library_folders();
    if (std::any_of(libs.begin(), libs.end(), [&](std::string_view lib) { return path_under(path, std::string(lib)); }))
      continue;
    l.libraries.insert(path);
  }
  return l;
}

namespace {

RuleOutcome decide_exec_paths(const Context& c) {
  RuleOutcome r;
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
    // Every library folder: /usr/lib must exist, the others may not on
    // this machine.
    for (std::string_view lib : unit::library_folders())
      paths.push_back(lib == "/usr/lib" ? std::string(lib) : "-" + std::string(lib));
    Option o;
    o.required = true;
    // The scratch folders are mounts of their own (private /tmp, /dev/shm):
    // "/" alone does not reach them.
    std::vector<std::string> no_exec = {"/"};
    for (std::string_view s : unit::scratch_folders()) no_exec.push_back("-" + std::string(s));
    no_exec.push_back("-/run");
    o.directives.push_back(make("NoExecPaths", {written_paths(no_exec)},
                                "nothing but the programs below may be executed, from any folder"));
    keep_read_only(c, no_exec, o);
    o.directives.push_back(make("ExecPaths", {written_paths(paths)},
                                fmt::format("the {} program{} run and their interpreters ({}), and the libraries they "
                                            "map ({})",
                                            programs.size(), programs.size() == 1 ? "" : "s", sample(paths, 3),
                                            c.scope())));
    r.options.push_back(o);
    return r;
  }
  std::set<std::string> writable(unit::scratch_folders().begin(), unit::scratch_folders().end());
  writable.insert("/run");
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
                                    : "a program list would need the interpreters of its scripts")));
  keep_read_only(c, noexec, o);
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
                              fmt::format("no POSIX shared memory or semaphore under /dev/shm used ({})", c.scope())));
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
  };
}

}  // namespace sdh::synth::rules
