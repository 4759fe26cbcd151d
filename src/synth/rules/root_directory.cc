// SPDX-License-Identifier: GPL-2.0-or-later
// Rule: an ephemeral root of the service's own (RootDirectory=): the OS
// trees bound in read-only, and only what the daemon was seen to use of the
// rest of the host; programs and libraries executable, the secrets hidden
// inside as outside. Its own concept beside the file-system view rules
// (filesystem.cc), which it builds on.
#include <set>
#include <string>
#include <vector>

#include "synth/rules/rules.h"
#include "unit/semantics.h"

namespace sdh::synth::rules {

namespace {

// The OS trees an ephemeral root binds in whole, read-only: programs,
// libraries and configuration. The rest of the host (/var, /srv, /opt,
// /home, /run...) is left out but for what the daemon was seen to use.
// Outside /usr, only what a system without a merged /usr has ("-").
const std::vector<std::string>& os_trees() {
  static const std::vector<std::string> trees = [] {
    std::vector<std::string> t = {"/usr", "/etc", "-/bin", "-/sbin"};
    for (std::string_view lib : unit::library_folders())
      if (!path_under(std::string(lib), "/usr")) t.push_back("-" + std::string(lib));
    return t;
  }();
  return trees;
}

bool in_os_tree(const std::string& path) {
  for (const auto& t : os_trees()) {
    std::string tree = t[0] == '-' ? t.substr(1) : t;
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
    r.not_set.push_back(refuse("RootDirectory=", sample(why_not)));
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
                              "an empty folder systemd makes at each start and removes after the stop: the root below"));
  o.directives.push_back(make(
      "RootDirectory", {root},
      fmt::format("an ephemeral root: every file, program and socket seen ({} paths, {} executables) lies under what "
                  "is bound in below; the rest of the host (other packages' data, /home, /srv, /opt) is not there",
                  c.ev.paths.size(), c.ev.executables.size())));
  const std::vector<std::string>& os = os_trees();
  o.directives.push_back(make("BindReadOnlyPaths", {written_paths(os)},
                              "the OS trees, read-only: programs, libraries (ELF dependencies, NSS and PAM modules) "
                              "and configuration"));
  if (!binds_ro.empty())
    o.directives.push_back(make("BindReadOnlyPaths", {written_optional_paths(binds_ro)},
                                fmt::format("read, not written: {} ({})", sample({binds_ro.begin(), binds_ro.end()}, 4), c.scope())));
  if (!binds_rw.empty())
    o.directives.push_back(make("BindPaths", {written_optional_paths(binds_rw)},
                                fmt::format("written: {} ({})", sample({binds_rw.begin(), binds_rw.end()}, 4), c.scope())));
  // Inside a root, systemd takes the path lists for host paths and drops
  // them, being outside it: the restrictions that must hold there are
  // repeated with "+" (relative to the root). The root itself is read-only
  // (ProtectSystem=strict) but the mounts made in it are not: its /run, the
  // private /tmp and /var/tmp, the host's /dev/shm under the private /dev,
  // the binds, and the root's own folder, which systemd binds in at /run.
  o.directives.push_back(make("TemporaryFileSystem", {"/run:ro,noexec"},
                              "an empty, read-only /run in the root (systemd would mount a writable one); what it "
                              "uses there is bound in above"));
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
                                             "it writes: programs come from the OS trees bound in"));
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
    // The libraries of the bound /usr (/usr/lib must exist).
    for (std::string_view lib : unit::library_folders())
      if (path_under(std::string(lib), "/usr")) exec.push_back((lib == "/usr/lib" ? "+" : "-+") + std::string(lib));
    o.directives.push_back(make("ExecPaths", {written_paths(exec)},
                                fmt::format("in the root, the {} program{} run and their interpreters ({}), and the "
                                            "libraries ({})",
                                            list.programs.size(), list.programs.size() == 1 ? "" : "s",
                                            sample({list.programs.begin(), list.programs.end()}, 3), c.scope())));
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
                              "hidden above, as seen inside the root"));
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_root_directory() {
  static const Rule r{
      .id = "root-directory",
      .keys = {"RootDirectory", "RuntimeDirectory", "BindReadOnlyPaths", "BindPaths", "TemporaryFileSystem",
               "ExecPaths", "NoExecPaths", "InaccessiblePaths"},
      .assessors = {"RootDirectoryOrRootImage"},
      .mount_namespace = true,
      .forbidden_by = "mounts, a lost event, the unit's own binds, a writable OS tree; verification falls back without it",
      .implies = "",
      .decide = decide_root_directory, .order = 400};
  return r;
}

std::vector<const Rule*> root_directory_rules() { return {&rule_root_directory()}; }

}  // namespace sdh::synth::rules
