// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/target.h"

namespace sdh::verify {

std::string unit_name_from(const std::string& arg) {
  std::string base = basename_of(arg);
  for (const char* suffix : {".service", ".socket", ".timer", ".target", ".path", ".mount"}) {
    std::string s = suffix;
    if (base.size() > s.size() && base.compare(base.size() - s.size(), s.size(), s) == 0) return base;
  }
  return base + ".service";
}

Result<VerifyOptions> load_target(const FileSystem& fs, const std::string& unit_arg,
                                  const std::string& dropin_path, const std::string& check) {
  VerifyOptions o;
  o.unit = unit_name_from(unit_arg);
  o.check = check;
  if (unit_arg.find('/') != std::string::npos) {
    auto text = fs.read_file(unit_arg);
    if (!text) return fail(std::move(text.error()).with_context("reading unit file " + unit_arg));
    o.unit_text = *text;
  }
  if (!dropin_path.empty()) {
    auto text = fs.read_file(dropin_path);
    if (!text) return fail(std::move(text.error()).with_context("reading drop-in " + dropin_path));
    auto parsed = parse_dropin(*text);
    if (!parsed) return fail(std::move(parsed.error()).with_context("parsing drop-in " + dropin_path));
    o.dropin_text = *text;
  }
  return o;
}

}  // namespace sdh::verify
