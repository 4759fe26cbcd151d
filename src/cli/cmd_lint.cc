// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden lint UNIT|FILE...: hardening gotchas and contradictions with
// file:line, the reason and a fix. Exit 0: no warnings or errors (notes are
// fine); 1: at least one warning or error; 2: a unit could not be read.
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/command.h"
#include "lint/lint.h"
#include "report/lint_report.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

struct LintArgs {
  std::vector<std::string> units;
  std::string format = "text";
  std::string root;
  std::string systemd = "252";
  bool user = false;
  std::string color = "auto";
};

std::vector<std::string> unit_files(const unit::LoadedUnit& u) {
  std::vector<std::string> files;
  if (!u.fragment_path.empty()) files.push_back(u.fragment_path);
  files.insert(files.end(), u.dropin_paths.begin(), u.dropin_paths.end());
  return files;
}

// True when the last line of `path` (a unit file) ends in a continuation
// backslash, i.e. the file was probably cut short.
bool ends_inside_continuation(const FileSystem& fs, const std::string& path) {
  auto text = fs.read_file(path);
  if (!text) return false;
  std::string t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  if (t.empty() || t.back() != '\\') return false;
  std::size_t start = t.find_last_of("\n\r");
  std::size_t first = t.find_first_not_of(" \t", start == std::string::npos ? 0 : start + 1);
  if (first != std::string::npos && (t[first] == '#' || t[first] == ';')) return false;  // a comment
  std::size_t slashes = 0;
  for (std::size_t i = t.size(); i > 0 && t[i - 1] == '\\'; --i) ++slashes;
  return slashes % 2 == 1;  // two backslashes are an escaped one, not a continuation
}

int run_lint(const LintArgs& args) {
  auto version = unit::systemd_version_from_string(args.systemd);
  if (!version) {
    fmt::print(stderr, "sdharden lint: {}\n", version.error().to_string());
    return kExitUsage;
  }
  if (!args.root.empty() && RealFileSystem().kind(args.root) != FileKind::directory) {
    fmt::print(stderr, "sdharden lint: --root {}: not a directory\n", args.root);
    return kExitUsage;
  }
  RealFileSystem fs(args.root);
  unit::LoadOptions options;
  options.version = *version;
  options.user = args.user;

  bool input_error = false;
  std::vector<report::LintedUnit> linted;
  for (const auto& name : args.units) {
    auto loaded = unit::load_unit(fs, name, options);
    if (!loaded) {
      fmt::print(stderr, "sdharden lint: {}: {}\n", name, loaded.error().to_string());
      input_error = true;
      continue;
    }
    if (loaded->masked) {
      // Masking by a link to /dev/null is a normal state; an empty file given
      // to lint is not something it can check.
      if (!loaded->fragment_path.empty() && fs.lkind(loaded->fragment_path) == FileKind::symlink) {
        fmt::print(stderr, "sdharden lint: {}: masked ({} links to /dev/null), skipped\n", name,
                   loaded->fragment_path);
      } else {
        fmt::print(stderr, "sdharden lint: {}: empty unit file{}: nothing to lint\n", name,
                   loaded->fragment_path.empty() ? "" : " " + loaded->fragment_path);
        input_error = true;
      }
      continue;
    }
    for (const auto& file : unit_files(*loaded)) {
      if (ends_inside_continuation(fs, file)) {
        fmt::print(stderr, "sdharden lint: {}: file ends inside a line continuation (trailing backslash "
                           "on its last line); the file looks truncated\n", file);
        input_error = true;
      }
    }
    // An error-severity parser diagnostic means the file is not a unit file
    // at all (binary data, an over-long line): that is bad input, not a finding.
    for (const auto& d : loaded->diagnostics) {
      if (d.severity == unit::Severity::error) input_error = true;
    }
    report::LintedUnit lu;
    lu.unit = loaded->name.empty() ? name : loaded->name;
    lu.path = loaded->fragment_path;
    lu.findings = lint::lint_unit(*loaded, fs);
    linted.push_back(std::move(lu));
  }

  if (args.format == "json") {
    fmt::print("{}", report::lint_json(linted));
  } else if (args.format == "sarif") {
    fmt::print("{}", report::lint_sarif(linted, SDHARDEN_VERSION));
  } else {
    bool color = args.color == "always" || (args.color == "auto" && isatty(STDOUT_FILENO));
    fmt::print("{}", report::lint_text(linted, color));
  }
  if (input_error) return kExitUsage;
  auto counts = report::count_findings(linted);
  return counts.errors + counts.warnings > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void add_lint_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand("lint", "Find hardening gotchas and contradictions in unit files");
  cmd->add_option("units", args->units, "Unit names (searched like systemd does) or unit file paths")
      ->required();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("--root", args->root, "Look units up below this directory instead of /");
  cmd->add_option("--systemd", args->systemd, "Which systemd's rules to apply")
      ->check(CLI::IsMember({"252", "latest"}))
      ->capture_default_str();
  cmd->add_flag("--user", args->user, "Look names up in the user manager's search path");
  cmd->add_option("--color", args->color, "Colour the text output")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->footer(
      "Exit codes: 0 no warnings or errors (notes allowed), 1 at least one warning or error, "
      "2 usage error or a unit that cannot be read (missing, masked, not a unit file).");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return run_lint(*args); }; });
}

}  // namespace sdh::cli
