// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/systemd_arg.h"

#include <fmt/core.h>

#include "util/fs.h"

namespace sdh::cli {

void add_systemd_option(CLI::App* cmd, std::string* value) {
  std::string known;
  for (auto v : unit::all_releases()) known += unit::to_string(v) + ", ";
  cmd->add_option("--systemd", *value,
                  "Rules of this systemd release (" + known +
                      "or latest); default: the one installed (under --root), nearest at or below")
      ->type_name("N");
}

Result<ChosenRelease> choose_release(const std::string& value, const std::string& root) {
  if (!value.empty()) {
    auto v = unit::systemd_version_from_string(value);
    if (!v) return fail(v.error());
    return ChosenRelease{*v, fmt::format("systemd {} (--systemd)", unit::to_string(*v))};
  }
  // The systemd under --root, else this machine's, else the newest release:
  // a tree of bare unit files has no systemd of its own.
  std::string where = root.empty() ? "installed" : "installed under " + root;
  auto installed = unit::installed_systemd(RealFileSystem(root));
  if (!installed && !root.empty()) {
    installed = unit::installed_systemd(RealFileSystem(""));
    where = "none under " + root + "; this machine's";
  }
  if (!installed) {
    auto v = unit::newest_release();
    return ChosenRelease{v, fmt::format("systemd {} (no systemd installed; the newest release sdharden knows)",
                                        unit::to_string(v))};
  }
  auto v = unit::nearest_release(*installed);
  if (!v) return fail(Error(v.error().message() + "; name a release with --systemd N"));
  if (v->number() == *installed) return ChosenRelease{*v, fmt::format("systemd {} ({})", *installed, where)};
  return ChosenRelease{*v, fmt::format("systemd {} ({}: {}, nearest release sdharden knows at or below it)",
                                        unit::to_string(*v), where, *installed)};
}

}  // namespace sdh::cli
