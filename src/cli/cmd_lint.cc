// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden lint UNIT|FILE...: hardening gotchas and contradictions with
// file:line, the reason and a fix. Exit 0: no warnings or errors (notes are
// fine); 1: at least one warning or error; 2: a unit could not be read.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/systemd_arg.h"
#include "cli/unit_args.h"
#include "lint/lint.h"
#include "lint/rules.h"
#include "report/lint_report.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

struct LintArgs {
  std::vector<std::string> units;
  std::string format = "text";
  std::string root;
  std::string systemd;  // "" : the installed one
  bool user = false;
  std::string color = "auto";
  std::vector<std::string> disable;
  std::string fail_on = "warning";
  std::vector<std::string> dropins;
  std::string name;
  bool list_rules = false;
};

// "auto": NO_COLOR (https://no-color.org) set and not empty means none;
// SYSTEMD_COLORS decides as it does for systemd's tools (a false boolean
// means none, anything else colour); otherwise colour on a terminal.
bool colour_wanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  if (const char* sc = std::getenv("SYSTEMD_COLORS"); sc && *sc) {
    std::string v = sc;
    return !(v == "0" || v == "false" || v == "no" || v == "off" || v == "n" || v == "f");
  }
  return isatty(STDOUT_FILENO);
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

// Every rule with its severity and summary, one per line: what --disable
// and a "# sdharden: ignore=" comment take.
int list_rules() {
  size_t width = 0;
  for (const auto& r : lint::rules()) width = std::max(width, std::string_view(r.id).size());
  for (const auto& r : lint::rules())
    fmt::print("{:<{}}  {:<7}  {}\n", r.id, width, lint::severity_name(r.severity), r.summary);
  return kExitOk;
}

int run_lint(const LintArgs& args) {
  if (args.list_rules) return list_rules();
  if (args.units.empty()) {
    fmt::print(stderr, "sdharden lint: name at least one unit or unit file (or --list-rules)\n");
    return kExitUsage;
  }
  auto chosen = choose_release(args.systemd, args.root);
  if (!chosen) {
    fmt::print(stderr, "sdharden lint: {}\n", chosen.error().to_string());
    return kExitUsage;
  }
  const unit::SystemdVersion version = chosen->version;
  if (!args.root.empty() && RealFileSystem().kind(args.root) != FileKind::directory) {
    fmt::print(stderr, "sdharden lint: --root {}: not a directory\n", args.root);
    return kExitUsage;
  }
  lint::LintOptions lint_options;
  for (const auto& id : args.disable) {
    if (!lint::find_rule(id)) {
      fmt::print(stderr, "sdharden lint: --disable {}: no such rule (sdharden lint --list-rules lists them)\n", id);
      return kExitUsage;
    }
    lint_options.disabled.insert(id);
  }
  if (!args.name.empty() && args.units.size() != 1) {
    fmt::print(stderr, "sdharden lint: --name names one unit file; {} given\n", args.units.size());
    return kExitUsage;
  }
  RealFileSystem fs(args.root);
  unit::LoadOptions options;
  options.version = version;
  options.user = args.user;
  // --dropin: a drop-in of the project, applied after the unit's own, as if installed.
  RealFileSystem host;
  for (const auto& d : args.dropins) {
    std::error_code ec;
    std::string path = std::filesystem::absolute(d, ec).lexically_normal().string();
    auto text = host.read_file(path);
    if (!text) {
      fmt::print(stderr, "sdharden lint: --dropin {}: {}\n", d, text.error().to_string());
      return kExitUsage;
    }
    options.extra_dropins.emplace_back(path, *text);
  }

  bool input_error = false;
  std::vector<report::LintedUnit> linted;
  std::vector<UnitInput> inputs;  // kept: findings are read through their file systems
  for (const auto& name : args.units) {
    auto in = load_unit_argument(fs, name, !args.root.empty(), options, args.name);
    if (!in) {
      fmt::print(stderr, "sdharden lint: {}: {}\n", name, in.error().to_string());
      input_error = true;
      continue;
    }
    for (const auto& n : in->notes) fmt::print(stderr, "sdharden lint: {}: {}\n", name, n);
    inputs.push_back(std::move(*in));
    const UnitInput& input = inputs.back();
    const unit::LoadedUnit* loaded = &input.unit;
    if (loaded->masked) {
      // Masking by a link to /dev/null is a normal state; an empty file given
      // to lint is not something it can check.
      if (!loaded->fragment_path.empty() && input.fs().lkind(loaded->fragment_path) == FileKind::symlink) {
        fmt::print(stderr, "sdharden lint: {}: masked ({} links to /dev/null), skipped\n", name,
                   loaded->fragment_path);
      } else {
        fmt::print(stderr, "sdharden lint: {}: empty unit file{}: nothing to lint\n", name,
                   loaded->fragment_path.empty() ? "" : " " + loaded->fragment_path);
        input_error = true;
      }
      continue;
    }
    for (const auto& file : unit::files_of(*loaded)) {
      if (ends_inside_continuation(input.fs(), file)) {
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
    lu.findings = lint::lint_unit(*loaded, input.fs(), lint_options);
    linted.push_back(std::move(lu));
  }

  if (args.format == "json") {
    fmt::print("{}", report::lint_json(linted));
  } else if (args.format == "sarif") {
    std::error_code ec;
    std::string base = args.root.empty() ? std::filesystem::current_path(ec).string() : "/";
    std::string disk = args.root.empty() ? "" : std::filesystem::absolute(args.root, ec).lexically_normal().string();
    fmt::print("{}", report::lint_sarif(linted, SDHARDEN_VERSION, ec ? "" : base, disk));
  } else {
    fmt::print("{}", report::lint_text(linted, colour_wanted(args.color), chosen->why));
  }
  if (input_error) return kExitUsage;
  auto counts = report::count_findings(linted);
  int failing = counts.errors + (args.fail_on != "error" ? counts.warnings : 0) +
                (args.fail_on == "note" ? counts.notes : 0);
  return failing > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void add_lint_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand("lint", "Find hardening gotchas and contradictions in unit files");
  cmd->add_option("units", args->units, "Unit names (searched like systemd does) or unit file paths");
  cmd->add_flag("--list-rules", args->list_rules, "List every rule (id, severity, summary) and exit");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("--root", args->root, "Look units up below this directory instead of /");
  add_systemd_option(cmd, &args->systemd);
  cmd->add_flag("--user", args->user, "Look names up in the user manager's search path");
  cmd->add_option("--color", args->color, "Colour the text output (auto: on a terminal, unless NO_COLOR is set)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--disable", args->disable, "Never report this rule (repeatable); a unit file can waive one "
                                              "line or itself with a comment '# sdharden: ignore=RULE[,RULE]'")
      ->allow_extra_args(false);
  cmd->add_option("--fail-on", args->fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning", "note"}))
      ->capture_default_str();
  cmd->add_option("--dropin", args->dropins, "A drop-in file to apply after the unit's own, as if installed "
                                            "(repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--name", args->name, "Read the one unit file given under this unit name (default for FILE.in: "
                                        "FILE; @bindir@-style placeholders are filled with Debian's paths)");
  cmd->footer(
      "Exit codes: 0 no finding at or above --fail-on (default warning), 1 at least one, "
      "2 usage error or a unit that cannot be read (missing, empty, not a unit file). "
      "A masked unit is skipped with a note.");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return run_lint(*args); }; });
}

}  // namespace sdh::cli
