// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/loader.h"

#include <algorithm>
#include <map>
#include <set>

#include "unit/assign.h"
#include "unit/implied.h"
#include "unit/cached_fs.h"
#include "unit/parser.h"
#include "unit/unit_name.h"

namespace sdh::unit {
namespace {

constexpr int kMaxSymlinkHops = 40;

// Follows a symlink chain and reports whether it ends at /dev/null (a mask).
bool links_to_dev_null(const FileSystem& fs, std::string path) {
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    if (path == "/dev/null") return true;
    if (fs.lkind(path) != FileKind::symlink) return false;
    auto target = fs.read_link(path);
    if (!target) return false;
    path = (!target->empty() && (*target)[0] == '/') ? normalize_path(*target)
                                                       : normalize_path(dirname_of(path) + "/" + *target);
  }
  return false;
}

// The final target of a symlink chain (the path itself when not a link).
std::string resolve_links(const FileSystem& fs, std::string path) {
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    if (fs.lkind(path) != FileKind::symlink) return path;
    auto target = fs.read_link(path);
    if (!target) return path;
    path = (!target->empty() && (*target)[0] == '/') ? normalize_path(*target)
                                                       : normalize_path(dirname_of(path) + "/" + *target);
  }
  return path;
}

bool exists(const FileSystem& fs, const std::string& path) { return fs.lkind(path) != FileKind::missing; }

// The drop-in directories systemd consults for `name` below one search
// directory, most specific first: the name itself, its template, then the
// "-"-truncated prefixes ("foo-bar-baz" -> "foo-bar-", "foo-").
void dropin_dirs_for(const std::string& dir, const std::string& name, std::vector<std::string>& out) {
  out.push_back(dir + "/" + name + ".d");
  auto parsed = parse_unit_name(name);
  if (!parsed) return;  // a bare type name ("service"): top-level only
  if (parsed->is_instance()) dropin_dirs_for(dir, parsed->template_name(), out);
  std::string prefix = parsed->prefix;
  bool chopped = false;
  for (;;) {
    auto dash = prefix.rfind('-');
    if (dash == std::string::npos || dash == 0) return;
    if (dash + 1 != prefix.size() || chopped) {
      prefix.resize(dash + 1);
      break;
    }
    prefix.resize(dash);  // a trailing dash is chopped once and the search goes on
    chopped = true;
  }
  UnitName built;
  built.prefix = prefix;
  built.type = parsed->type;
  built.templated = parsed->is_instance();
  built.instance = parsed->instance;
  dropin_dirs_for(dir, built.full(), out);
}

Error with_path(Error e, const std::string& path) { return std::move(e).with_context("loading " + path); }

struct Loader {
  const FileSystem& fs;
  const LoadOptions& opt;
  LoadedUnit out;

  // Reads and applies one file. For the fragment an error refuses the whole
  // unit; in a drop-in systemd only stops reading that file at the bad line.
  Result<bool> apply_file(const std::string& path, const std::string& text, UnitSettings& s,
                          const AssignContext& ctx, bool is_dropin) {
    auto parsed = parse_unit_file(text, path, out.diagnostics);
    for (auto& parsed_assignment : parsed.assignments) {
      const Assignment& a = out.assignments.emplace_back(std::move(parsed_assignment));
      if (!assign(s, a, ctx)) {
        if (is_dropin) {
          note(path, a.location.line, "systemd stops reading this drop-in here; the rest of it is ignored");
          return false;
        }
        return fail(with_path(Error("line " + std::to_string(a.location.line) + ": invalid " + a.key +
                                    "= makes systemd refuse the unit"),
                              path));
      }
    }
    if (parsed.fatal) {
      if (is_dropin) return false;
      std::string why = "systemd refuses this file";
      for (auto it = out.diagnostics.rbegin(); it != out.diagnostics.rend(); ++it)
        if (it->severity == Severity::error && it->location.file == path) {
          why = "line " + std::to_string(it->location.line) + ": " + it->message;
          break;
        }
      return fail(with_path(Error(why), path));
    }
    return true;
  }

  void note(const std::string& file, int line, std::string msg) {
    Diagnostic d;
    d.severity = Severity::warning;
    d.kind = DiagnosticKind::syntax;
    d.location = {file, line, 0};
    d.message = std::move(msg);
    out.diagnostics.push_back(std::move(d));
  }
};

}  // namespace

std::string to_string(Severity s) {
  switch (s) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "?";
}

std::vector<std::string> default_search_path(bool user) {
  if (user)
    return {"/etc/systemd/user", "/run/systemd/user", "/usr/local/lib/systemd/user",
            "/usr/local/share/systemd/user", "/usr/lib/systemd/user", "/usr/share/systemd/user"};
  return {"/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
          "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached",
          "/run/systemd/system", "/run/systemd/system.attached", "/run/systemd/generator",
          "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
          "/run/systemd/generator.late"};
}

std::vector<std::string> files_of(const LoadedUnit& unit) {
  std::vector<std::string> files;
  if (!unit.fragment_path.empty()) files.push_back(unit.fragment_path);
  files.insert(files.end(), unit.dropin_paths.begin(), unit.dropin_paths.end());
  return files;
}

Result<LoadedUnit> load_unit(const FileSystem& fs, const std::string& name_or_path,
                             const LoadOptions& options) {
  Loader ld{fs, options, {}};
  std::vector<std::string> search =
      options.search_path.empty() ? default_search_path(options.user) : options.search_path;
  std::string name = name_or_path;
  bool by_path = name_or_path.find('/') != std::string::npos;
  std::string named_file;  // a file loaded under options.as_name
  if (by_path) {
    std::string path = normalize_path(name_or_path[0] == '/' ? name_or_path : "/" + name_or_path);
    name = basename_of(path);
    if (!options.as_name.empty()) name = options.as_name, named_file = path;
    // Like systemd-analyze, the file's own directory comes first.
    std::string dir = dirname_of(path);
    search.erase(std::remove(search.begin(), search.end(), dir), search.end());
    search.insert(search.begin(), dir);
    if (!exists(fs, path)) return fail(Error("no such file: " + path, ENOENT));
  }
  auto parsed_name = parse_unit_name(name);
  // As systemctl reads a name without a unit type: "nginx" is nginx.service.
  if (!parsed_name && !by_path) {
    if (auto with_type = parse_unit_name(name + ".service")) {
      parsed_name = with_type;
      name += ".service";
    }
  }
  if (!parsed_name) return fail(Error("not a valid unit name: " + name));
  if (parsed_name->is_template()) {
    // A template is scored through an instance, as systemd-analyze does.
    parsed_name->instance =
        has_change(options.version, Change::template_instance_test_instance) ? "test_instance" : "i";
    name = parsed_name->full();
  }
  ld.out.name = name;

  // Find the fragment: the name first, then (for instances) the template.
  std::string fragment;
  std::vector<std::string> candidates = {name};
  if (parsed_name->is_instance()) candidates.push_back(parsed_name->template_name());
  if (!named_file.empty()) fragment = named_file, candidates.clear();
  for (const auto& cand : candidates) {
    for (const auto& dir : search) {
      std::string p = dir + "/" + cand;
      if (exists(fs, p)) {
        fragment = p;
        break;
      }
    }
    if (!fragment.empty()) break;
  }
  if (fragment.empty()) return fail(Error("unit " + name + " not found in the search path", ENOENT));
  ld.out.fragment_path = fragment;

  if (links_to_dev_null(fs, fragment)) {
    ld.out.masked = true;
    return std::move(ld.out);
  }
  FileKind k = fs.kind(fragment);
  if (k == FileKind::missing)
    return fail(with_path(Error("dangling symlink or symlink loop", ELOOP), fragment));
  if (k == FileKind::directory) return fail(with_path(Error("is a directory", EISDIR), fragment));
  auto text = fs.read_file(fragment);
  if (!text) return fail(with_path(text.error(), fragment));
  if (text->empty()) {  // an empty unit file masks the unit, too
    ld.out.masked = true;
    return std::move(ld.out);
  }

  // A symlink to a unit file of another name makes this name an alias: the
  // unit then carries the target's name, and both names' drop-ins apply.
  std::vector<std::string> names = {name};
  {
    auto target = parse_unit_name(basename_of(resolve_links(fs, fragment)));
    if (target && target->type == parsed_name->type) {
      UnitName id = *target;
      if (parsed_name->is_instance() && target->is_template()) id.instance = parsed_name->instance;
      if (!id.is_template() && id.full() != name) {
        names.insert(names.begin(), id.full());
        name = id.full();
        ld.out.name = name;
      }
    }
  }

  // Every symlink in the search path that leads to this unit's file under
  // another name is an alias whose drop-ins apply too, however the unit was named.
  std::vector<std::string> present;
  for (const auto& dir : search)
    if (fs.kind(dir) == FileKind::directory) present.push_back(dir);
  {
    std::set<std::string> aliases;
    std::string suffix = "." + parsed_name->type;
    std::string primary_template = parse_unit_name(name) && parse_unit_name(name)->is_instance()
                                       ? parse_unit_name(name)->template_name()
                                       : "";
    const auto* cached = dynamic_cast<const CachedFileSystem*>(&fs);
    for (const auto& dir : present) {
      CachedFileSystem::LinkIndex links;
      if (!cached) {
        auto entries = fs.list_dir(dir);
        if (!entries) continue;
        for (const auto& e : *entries)
          if (e.ends_with(suffix) && fs.lkind(dir + "/" + e) == FileKind::symlink) {
            std::string final_path = resolve_links(fs, dir + "/" + e);
            std::string final_name = basename_of(final_path);
            links.push_back({e, std::move(final_path), std::move(final_name)});
          }
      }
      for (const auto& link : cached ? cached->symlinks_in(dir, suffix) : links) {
        const std::string& e = link.name;  // ends with the suffix
        if (e == name) continue;
        const std::string& target = link.target_name;
        if (target == name) {
          aliases.insert(e);
        } else if (!primary_template.empty() && target == primary_template) {
          auto alias = parse_unit_name(e);
          if (alias && alias->is_template()) {
            alias->instance = parsed_name->instance;
            aliases.insert(alias->full());
          }
        }
      }
    }
    for (const auto& a : aliases)
      if (std::find(names.begin(), names.end(), a) == names.end()) names.push_back(a);
  }

  ld.out.names = names;
  UnitSettings s = default_settings(name, parsed_name->type, options.user);
  AssignContext ctx;
  ctx.version = options.version;
  ctx.specifiers.unit_name = name;
  ctx.specifiers.fragment_path = fragment;
  ctx.specifiers.user_manager = options.user;
  ctx.diagnostics = &ld.out.diagnostics;
  ctx.specifiers.fs = &fs;

  auto r = ld.apply_file(fragment, *text, s, ctx, false);
  if (!r) return fail(r.error());

  // Drop-ins: every *.conf of every applicable directory, ordered by file
  // name; for equal names the first directory found (higher priority) wins.
  // Missing search directories were skipped above (scoring many units per
  // second is mostly file-system lookups).
  std::vector<std::string> dirs;
  for (const auto& n : names)
    for (const auto& dir : present) dropin_dirs_for(dir, n, dirs);
  for (const auto& dir : present) dirs.push_back(dir + "/" + parsed_name->type + ".d");
  std::map<std::string, std::string> by_file;
  for (const auto& d : dirs) {
    FileKind dk = fs.kind(d);
    if (dk == FileKind::missing) continue;
    if (dk != FileKind::directory) continue;
    auto entries = fs.list_dir(d);
    if (!entries)
      return fail(with_path(entries.error(), d).with_context("reading drop-in directory"));
    for (const auto& e : *entries) {
      // systemd reads *.conf only, and never a hidden file (".x.conf").
      if (e.size() < 5 || e.compare(e.size() - 5, 5, ".conf") != 0 || e[0] == '.') continue;
      by_file.emplace(e, d + "/" + e);
    }
  }
  for (const auto& [file, path] : by_file) {
    ld.out.dropin_paths.push_back(path);
    if (links_to_dev_null(fs, path)) continue;
    // A drop-in that cannot be read (a FIFO, no permission) fails the load:
    // scored without it, the unit would look stricter or looser than it runs.
    auto dt = fs.read_file(path);
    if (!dt) return fail(with_path(dt.error(), path).with_context("reading drop-in"));
    auto rr = ld.apply_file(path, *dt, s, ctx, true);
    if (!rr) return fail(rr.error());
  }
  for (const auto& [file, content] : options.extra_dropins) {
    ld.out.dropin_paths.push_back(file);
    auto rr = ld.apply_file(file, content, s, ctx, true);
    if (!rr) return fail(rr.error());
  }
  apply_implied_settings(s, options.version);
  if (std::string why = refusal(s, ld.out.assignments, options.version); !why.empty())
    return fail(Error(ld.out.name + ": " + why + "; systemd refuses the unit"));
  ld.out.settings = std::move(s);
  return std::move(ld.out);
}

Result<std::vector<std::string>> list_units(const FileSystem& fs, const std::string& type,
                                            const LoadOptions& options) {
  std::vector<std::string> search =
      options.search_path.empty() ? default_search_path(options.user) : options.search_path;
  std::set<std::string> names;
  std::string suffix = "." + type;
  auto consider = [&](const std::string& n, bool allow_instance) {
    auto p = parse_unit_name(n);
    if (!p || p->type != type || p->is_template()) return;
    if (p->is_instance() && !allow_instance) return;
    names.insert(n);
  };
  for (const auto& dir : search) {
    FileKind k = fs.kind(dir);
    if (k == FileKind::missing) continue;
    if (k != FileKind::directory) return fail(Error("search path entry " + dir + " is not a folder"));
    auto entries = fs.list_dir(dir);
    if (!entries) return fail(std::move(entries.error()).with_context("listing units"));
    for (const auto& e : *entries) {
      std::string p = dir + "/" + e;
      bool is_dir = fs.kind(p) == FileKind::directory;
      if (!is_dir) {
        // An alias (a link to a unit file of another name) is the same unit:
        // list it once, under the target's name, which is listed on its own.
        if (fs.lkind(p) == FileKind::symlink && !links_to_dev_null(fs, p)) {
          auto target = parse_unit_name(basename_of(resolve_links(fs, p)));
          if (target && target->full() != e) continue;
        }
        consider(e, true);
        continue;
      }
      // .wants/.requires folders enable units, including template instances.
      if (e.size() > 6 && (e.ends_with(".wants") || e.ends_with(".requires") || e.ends_with(".upholds"))) {
        auto sub = fs.list_dir(p);
        if (!sub) continue;
        for (const auto& w : *sub) consider(w, true);
      }
    }
  }
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace sdh::unit
