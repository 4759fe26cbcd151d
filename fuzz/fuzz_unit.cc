// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: feeds arbitrary bytes through the unit parser, loader,
// exposure scorer, linter and report writers. The input is used three ways
// (chosen by its length so unit files on disk are valid seeds as they are):
// as a unit fragment, as a drop-in over a fixed fragment, and as a template
// instance's fragment with an extra drop-in.
#include <cstddef>
#include <cstdint>
#include <string>

#include "exposure/assess.h"
#include "lint/lint.h"
#include "report/audit.h"
#include "report/lint_report.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace {

void exercise(const sdh::MemoryFileSystem& fs, const std::string& name, const sdh::unit::LoadOptions& options) {
  auto loaded = sdh::unit::load_unit(fs, name, options);
  if (!loaded) {
    (void)loaded.error().to_string();
    return;
  }
  for (auto version : sdh::unit::all_releases()) {
    auto a = sdh::exposure::assess(loaded->settings, version);
    if (a.exposure_tenths < 0 || a.exposure_tenths > 100) __builtin_trap();
    // The JSON writers dominate the cost; the text table covers the same
    // strings (names, paths from the input) at a fraction of it.
    sdh::report::AuditReport report;
    report.entries.push_back({loaded->name, loaded->fragment_path, "system", a});
    (void)sdh::report::audit_table(report);
  }
  auto findings = sdh::lint::lint_unit(*loaded, fs);
  std::vector<sdh::report::LintedUnit> units{{loaded->name, loaded->fragment_path, findings}};
  (void)sdh::report::lint_text(units);
  if (!findings.empty() && findings.front().message.size() % 4 == 0) (void)sdh::report::lint_sarif(units, "fuzz");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<sdh::unit::Diagnostic> diags;
  (void)sdh::unit::parse_unit_text(text, "/fuzz/input", diags);

  sdh::MemoryFileSystem fs;
  const std::string dir = "/etc/systemd/system";
  fs.add_dir(dir);
  fs.add_file("/etc/nsswitch.conf", "passwd: files systemd\nhosts: files myhostname dns\n");
  sdh::unit::LoadOptions options;
  options.search_path = {dir, "/usr/lib/systemd/system"};
  switch (size % 3) {
    case 0:
      fs.add_file(dir + "/fuzz.service", text);
      exercise(fs, "fuzz.service", options);
      exercise(fs, dir + "/fuzz.service", options);
      break;
    case 1:
      fs.add_file(dir + "/fuzz.service", "[Service]\nExecStart=/usr/bin/fuzz\nUser=fuzz\n");
      fs.add_file(dir + "/fuzz.service.d/50-fuzz.conf", text);
      fs.add_file("/usr/lib/systemd/system/service.d/10-all.conf", "[Service]\nPrivateTmp=yes\n");
      exercise(fs, "fuzz.service", options);
      break;
    default:
      fs.add_file("/usr/lib/systemd/system/fuzz@.service", text);
      fs.add_file("/usr/lib/systemd/system/fuzz-.service.d/10-dash.conf", "[Service]\nProtectHome=yes\n");
      options.extra_dropins = {{"99-extra.conf", text}};
      exercise(fs, "fuzz@inst%ance.service", options);
      break;
  }
  return 0;
}
