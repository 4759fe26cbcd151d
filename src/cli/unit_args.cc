// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/unit_args.h"

#include <filesystem>

#include "unit/template_file.h"
#include "unit/unit_name.h"
#include "util/strings.h"

namespace sdh::cli {

Result<UnitInput> load_unit_argument(const FileSystem& fs, const std::string& arg, bool has_root,
                                     unit::LoadOptions options, const std::string& as_name) {
  UnitInput in;
  in.base = &fs;
  bool is_template = arg.size() > 3 && arg.ends_with(".in");
  // A bare name is a unit to search for, unless it is a file here (`lint
  // app.service` in the project's folder) or a template.
  std::string target = arg;
  bool by_path = arg.find('/') != std::string::npos || is_template;
  if (!by_path && !has_root && RealFileSystem().kind(arg) == FileKind::regular &&
      !unit::load_unit(fs, arg, options))
    by_path = true;
  if (by_path && arg[0] != '/') {
    if (has_root) {
      target = "/" + arg;
    } else {
      std::error_code ec;
      auto abs = std::filesystem::absolute(arg, ec);
      if (!ec) target = abs.lexically_normal().string();
    }
  }
  options.as_name = as_name;
  if (is_template) {
    std::string file = target.substr(target.rfind('/') + 1);
    if (options.as_name.empty()) options.as_name = file.substr(0, file.size() - 3);
    if (!unit::parse_unit_name(options.as_name))
      return fail(Error("not a valid unit name: " + options.as_name + " (give one with --name)"));
    auto text = fs.read_file(target);
    if (!text) return fail(std::move(text.error()).with_context(target));
    auto parsed = unit::parse_unit_name(options.as_name);
    auto filled = unit::fill_placeholders(*text, parsed->prefix);
    for (const auto& f : filled.filled) in.notes.push_back("filled " + f);
    for (const auto& l : filled.left) in.notes.push_back("left " + l + " as written (no known value)");
    in.overlay = std::make_unique<OverlayFileSystem>(fs);
    in.overlay->replace(target, std::move(filled.text));
  }
  auto loaded = unit::load_unit(in.fs(), target, options);
  if (!loaded) return fail(std::move(loaded.error()));
  in.unit = std::move(*loaded);
  return in;
}

}  // namespace sdh::cli
