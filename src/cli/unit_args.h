// SPDX-License-Identifier: GPL-2.0-or-later
// How `lint` and `score` read a unit argument: a unit name (searched like
// systemd does), a path (relative to the working directory, or to --root when
// one is given), or an upstream template FILE.in whose placeholders are
// filled first and which is read under --name (default: FILE without .in).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "unit/loader.h"
#include "util/error.h"
#include "util/fs.h"

namespace sdh::cli {

struct UnitInput {
  unit::LoadedUnit unit;
  std::vector<std::string> notes;  // what was filled in or left, for stderr
  // The file system the unit was read through (a template's filled text
  // over `fs`): the same one must answer later reads of its lines.
  const FileSystem& fs() const { return overlay ? *overlay : *base; }
  std::unique_ptr<OverlayFileSystem> overlay;
  const FileSystem* base = nullptr;
};

Result<UnitInput> load_unit_argument(const FileSystem& fs, const std::string& arg, bool has_root,
                                     unit::LoadOptions options, const std::string& as_name = "");

}  // namespace sdh::cli
