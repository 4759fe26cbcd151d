// SPDX-License-Identifier: GPL-2.0-or-later
// Finding a unit like systemd does (search path, drop-ins, templates) and
// turning its files into a LoadedUnit: the raw assignments in application
// order, the effective UnitSettings and the diagnostics met on the way.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "unit/settings.h"
#include "unit/versions.h"
#include "util/error.h"
#include "util/fs.h"

namespace sdh::unit {

enum class Severity { note, warning, error };
std::string to_string(Severity s);

// What a diagnostic is about, for those who act on it (lint's rule, a
// drop-in's refusal): never read from the English message.
enum class DiagnosticKind {
  syntax,             // the file's form: sections, '=', continuations, encoding
  unknown_directive,  // a section or key this release does not know (or no longer)
  invalid_value,      // a known key with a value systemd ignores or refuses
};

struct Diagnostic {
  Severity severity = Severity::warning;
  DiagnosticKind kind = DiagnosticKind::invalid_value;
  Location location;
  std::string message;
  std::string hint;         // how to fix, may be empty
  std::string source_line;  // the offending line as written, may be empty
};

struct Assignment {
  std::string section;  // "Service", "Unit", ...
  std::string key;      // "ProtectSystem"
  std::string value;    // after continuation joining and whitespace stripping
  Location location;
};

struct LoadedUnit {
  std::string name;              // "foo@bar.service"
  std::string fragment_path;     // the main unit file as found (may be a symlink)
  bool masked = false;           // linked to /dev/null or empty symlink target
  std::vector<std::string> names;         // its name, then every alias found (symlinks to its file)
  std::vector<std::string> dropin_paths;  // in application order
  std::vector<Assignment> assignments;    // fragment then drop-ins, in order
  UnitSettings settings;
  std::vector<Diagnostic> diagnostics;
};

struct LoadOptions {
  SystemdVersion version;  // whose rules: directives known, syscall groups
  bool user = false;  // user units (~/.config/systemd/user, /usr/lib/systemd/user, ...)
  // Directories searched in priority order; empty means systemd's defaults for
  // the system or user manager. Paths are inside the FileSystem (--root is
  // handled by RealFileSystem).
  std::vector<std::string> search_path;
  // Extra drop-ins applied after all others, as (file name, text): used by
  // propose/verify to score "the unit plus this drop-in" without writing it.
  std::vector<std::pair<std::string, std::string>> extra_dropins;
  // A file loaded by path under this unit name instead of its own (a
  // template such as contrib/app.service.in); empty: the file's name.
  std::string as_name;
};

// The unit's fragment (when it has one), then its drop-ins in order.
std::vector<std::string> files_of(const LoadedUnit& unit);

// The default search path for the system (or user) manager.
std::vector<std::string> default_search_path(bool user);

// Loads a unit by name (searched) or by path (a file anywhere, symlinks
// followed; its directory's drop-ins and the search path's are both used as
// systemd does). Fails only when nothing can be loaded (not found, unreadable
// fragment); everything else is a Diagnostic and loading goes on.
Result<LoadedUnit> load_unit(const FileSystem& fs, const std::string& name_or_path,
                             const LoadOptions& options = {});

// Parses unit-file text into assignments, collecting diagnostics.
std::vector<Assignment> parse_unit_text(const std::string& text, const std::string& file,
                                        std::vector<Diagnostic>& diagnostics);

// Every unit name of `type` ("service") in the search path, deduplicated,
// including template instances enabled through .wants/ symlinks. A search
// folder that exists but cannot be listed (not a folder, no permission) is
// an error: units in it would otherwise go unseen and a gate pass.
Result<std::vector<std::string>> list_units(const FileSystem& fs, const std::string& type,
                                            const LoadOptions& options = {});

}  // namespace sdh::unit
