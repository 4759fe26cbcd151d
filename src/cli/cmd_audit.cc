// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden audit: every service of the host (or --root), scored offline,
// sorted by exposure, with a summary. Exit 0 on success, 2 on usage or
// output errors. Units that cannot be scored are listed, not fatal.
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/systemd_arg.h"
#include "cli/gate_args.h"
#include "util/atomic_file.h"
#include "exposure/assess.h"
#include "report/audit.h"
#include "report/audit_html.h"
#include "report/release_compare.h"
#include "report/gate.h"
#include "unit/loader.h"
#include "util/fs.h"
#include "util/strings.h"

namespace sdh::cli {
namespace {

struct AuditArgs {
  std::string root;
  std::vector<std::string> only;     // --unit PATTERN
  std::vector<std::string> exclude;  // --exclude PATTERN
  GateArgs gate;
  bool user = false;
  std::string format = "table";
  std::string output;
  std::string systemd;  // "" : the installed one
  std::string compare;  // --compare-systemd: "252,257" or "all"
  std::string policy;
  bool quiet = false;
};

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), tty_(enabled && isatty(STDERR_FILENO)) {}
  void update(std::size_t done, std::size_t total, const std::string& scope) {
    if (!enabled_ || total == 0) return;
    if (tty_) {
      fmt::print(stderr, "\raudit: {} services {}/{}", scope, done, total);
      if (done == total) fmt::print(stderr, "\n");
    } else if (done == total || (done > 0 && done % 200 == 0)) {
      fmt::print(stderr, "audit: {} services {}/{}\n", scope, done, total);
    }
  }

 private:
  bool enabled_;
  bool tty_;
};

// Every --unit pattern must match something: a typo would otherwise
// select nothing and pass every gate.
bool unmatched_patterns(const AuditArgs& args, const std::set<std::string>& matched) {
  bool ok = true;
  for (const auto& p : args.only)
    if (!matched.count(p)) {
      fmt::print(stderr, "sdharden audit: --unit '{}' matches no service\n", p);
      ok = false;
    }
  return ok;
}

// --unit and --exclude: shell patterns on unit names ("nginx*", "*@*.service").
bool selected(const AuditArgs& args, const std::string& name) {
  auto any = [&](const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return fnmatch(p.c_str(), name.c_str(), 0) == 0; });
  };
  return (args.only.empty() || any(args.only)) && !any(args.exclude);
}

void audit_scope(const FileSystem& fs, bool user, unit::SystemdVersion version, const exposure::Policy* policy,
                 const AuditArgs& args, report::AuditReport& report, std::set<std::string>& matched_patterns) {
  const bool quiet = args.quiet;
  const std::string scope = user ? "user" : "system";
  unit::LoadOptions options;
  options.version = version;
  options.user = user;
  auto listed = unit::list_units(fs, "service", options);
  if (!listed) {
    // Nothing of that folder can be scored: the run is not successful.
    report.skipped.push_back({"(all " + scope + " services)", scope, listed.error().to_string(), true});
    return;
  }
  auto names = std::move(*listed);
  // A template is scored through its enabled instances; one without any has
  // nothing concrete to score (the instance name feeds specifiers), so it is
  // listed as skipped. list_units() only returns instances, so look for the
  // template files themselves.
  std::set<std::string> instantiated;
  for (const auto& n : names) {
    auto at = n.find('@');
    if (at != std::string::npos) instantiated.insert(n.substr(0, at));
  }
  std::set<std::string> templates;
  for (const auto& dir : unit::default_search_path(user)) {
    auto entries = fs.list_dir(dir);
    if (!entries) continue;
    for (const auto& e : *entries) {
      if (e.size() > 9 && e.compare(e.size() - 9, 9, "@.service") == 0 && fs.kind(dir + "/" + e) == FileKind::regular)
        templates.insert(e);
    }
  }
  for (const auto& t : templates) {
    if (!instantiated.count(t.substr(0, t.size() - 9)) && selected(args, t))
      report.skipped.push_back({t, scope, "template without an enabled instance"});
  }
  for (const auto& pattern : args.only) {
    auto matches = [&](const std::string& n) { return fnmatch(pattern.c_str(), n.c_str(), 0) == 0; };
    if (std::any_of(names.begin(), names.end(), matches) || std::any_of(templates.begin(), templates.end(), matches))
      matched_patterns.insert(pattern);
  }
  std::erase_if(names, [&](const std::string& n) { return !selected(args, n); });
  Progress progress(!quiet);
  std::size_t done = 0;
  for (const auto& name : names) {
    progress.update(done++, names.size(), scope);
    if (name.size() > 9 && name.compare(name.size() - 9, 9, "@.service") == 0) continue;  // bare template
    auto loaded = unit::load_unit(fs, name, options);
    if (!loaded) {
      // Named only by a link no unit file answers (an enablement link a
      // removed package left in X.wants): systemd lists it "not-found" and
      // runs nothing, so there is nothing to score. Any other failure to
      // read a unit is never a pass.
      const bool not_found = loaded.error().errno_value() == ENOENT;
      report.skipped.push_back(
          {name, scope, not_found ? "not found: a link names it, no unit file defines it" : loaded.error().to_string(),
           !not_found});
      continue;
    }
    if (loaded->masked) {
      report.skipped.push_back({name, scope, "masked"});
      continue;
    }
    report::AuditEntry entry;
    entry.unit = loaded->name.empty() ? name : loaded->name;
    entry.path = loaded->fragment_path;
    entry.scope = scope;
    entry.assessment = exposure::assess(loaded->settings, version, policy);
    report.entries.push_back(std::move(entry));
  }
  progress.update(names.size(), names.size(), scope);
}

// audit --compare-systemd: the same units under each release, side by side.
int run_comparison(AuditArgs& args, const FileSystem& fs, unit::SystemdVersion installed,
                   const exposure::Policy* policy) {
  if (args.format != "table" && args.format != "json") {
    fmt::print(stderr, "sdharden audit: --compare-systemd prints a table or JSON, not {}\n", args.format);
    return kExitUsage;
  }
  std::vector<unit::SystemdVersion> releases;
  if (args.compare == "all") {
    releases = unit::all_releases();
  } else {
    for (const auto& name : split(args.compare, ',')) {
      auto v = unit::systemd_version_from_string(trim(name));
      if (!v) {
        fmt::print(stderr, "sdharden audit: --compare-systemd: {}\n", v.error().to_string());
        return kExitUsage;
      }
      if (std::find(releases.begin(), releases.end(), *v) == releases.end()) releases.push_back(*v);
    }
    // Starting from the release in use (--systemd, or the installed one).
    if (std::find(releases.begin(), releases.end(), installed) == releases.end())
      releases.insert(releases.begin(), installed);
  }
  report::ReleaseComparison cmp;
  for (auto v : releases) {
    report::AuditReport r;
    r.systemd_version = unit::to_string(v);
    std::set<std::string> matched;
    audit_scope(fs, false, v, policy, args, r, matched);
    if (args.user) audit_scope(fs, true, v, policy, args, r, matched);
    if (!unmatched_patterns(args, matched)) return kExitUsage;
    cmp.per_release.push_back(std::move(r));
  }
  std::string out = args.format == "json" ? report::comparison_json(cmp) : report::comparison_table(cmp);
  if (args.output.empty() || args.output == "-") {
    fmt::print("{}", out);
  } else if (auto w = sdh::write_file_atomically(args.output, out); !w) {
    fmt::print(stderr, "sdharden audit: -o {}: {}\n", args.output, w.error().to_string());
    return kExitUsage;
  }
  return kExitOk;
}

int run_audit(AuditArgs& args) {
  auto chosen = choose_release(args.systemd, args.root);
  if (!chosen) {
    fmt::print(stderr, "sdharden audit: {}\n", chosen.error().to_string());
    return kExitUsage;
  }
  const unit::SystemdVersion version = chosen->version;
  if (!args.root.empty() && RealFileSystem().kind(args.root) != FileKind::directory) {
    fmt::print(stderr, "sdharden audit: --root {}: not a directory\n", args.root);
    return kExitUsage;
  }
  std::unique_ptr<exposure::Policy> policy;
  if (!args.policy.empty()) {
    auto text = RealFileSystem().read_file(args.policy);
    if (!text) {
      fmt::print(stderr, "sdharden audit: --policy {}: {}\n", args.policy, text.error().to_string());
      return kExitUsage;
    }
    auto parsed = exposure::policy_from_json(*text, args.policy);
    if (!parsed) {
      fmt::print(stderr, "sdharden audit: --policy {}: {}\n", args.policy, parsed.error().to_string());
      return kExitUsage;
    }
    policy = std::make_unique<exposure::Policy>(std::move(*parsed));
  }
  RealFileSystem fs(args.root);
  if (!args.compare.empty()) return run_comparison(args, fs, version, policy.get());
  report::AuditReport report;
  report.host = args.root.empty() ? host_name() : args.root;
  // Read inside the root like every unit file; only 32 hex digits are an id.
  if (auto id = fs.read_file("/etc/machine-id")) {
    std::string t = trim(*id);
    if (t.size() == 32 && t.find_first_not_of("0123456789abcdef") == std::string::npos) report.machine_id = t;
  }
  report.root = args.root.empty() ? "" : std::filesystem::absolute(args.root).lexically_normal().string();
  while (report.root.size() > 1 && report.root.back() == '/') report.root.pop_back();
  report.systemd_version = unit::to_string(version);
  report.generated_at = utc_now();
  if (!load_baseline(args.gate, "audit")) return kExitUsage;
  std::set<std::string> matched;
  audit_scope(fs, false, version, policy.get(), args, report, matched);
  if (args.user) audit_scope(fs, true, version, policy.get(), args, report, matched);
  if (!unmatched_patterns(args, matched)) return kExitUsage;
  report::sort_by_exposure(report.entries);

  std::string out;
  if (args.format == "json") {
    out = report::audit_json(report);
  } else if (args.format == "sarif") {
    out = report::audit_sarif(report, SDHARDEN_VERSION);
  } else if (args.format == "html") {
    out = report::audit_html(report, SDHARDEN_VERSION);
  } else {
    out = report::audit_table(report);
  }
  if (args.output.empty() || args.output == "-") {
    fmt::print("{}", out);
  } else {
    auto written = sdh::write_file_atomically(args.output, out);
    if (!written) {
      fmt::print(stderr, "sdharden audit: -o {}: {}\n", args.output, written.error().to_string());
      return kExitUsage;
    }
    if (!args.quiet) {
      auto s = report::summarize(report);
      fmt::print(stderr, "audit: wrote {} ({} services, {} skipped)\n", args.output, s.total, s.skipped);
    }
  }
  std::vector<report::Scored> scored;
  for (const auto& e : report.entries)
    scored.push_back(scored_entry(e.scope == "user" ? e.unit + " (user)" : e.unit, e.assessment));
  int rc = finish_gate(args.gate, scored);
  // A unit that could not be scored is never a pass.
  size_t errors = std::count_if(report.skipped.begin(), report.skipped.end(), [](const auto& s) { return s.error; });
  if (errors > 0) {
    for (const auto& s : report.skipped)
      if (s.error) fmt::print(stderr, "audit: {} could not be scored: {}\n", s.unit, s.reason);
    if (args.gate.threshold || args.gate.loaded) {
      fmt::print(stderr, "audit: gate FAILED: {} unit{} could not be scored\n", errors, errors == 1 ? "" : "s");
      rc = kExitFailed;
    }
  }
  return rc;
}

}  // namespace

void add_audit_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand("audit", "Score every service on the host, worst first, with a summary");
  cmd->add_option("--root", args->root, "Audit the OS tree below this directory instead of /");
  cmd->add_flag("--user", args->user, "Also audit user services (~/.config/systemd/user, /usr/lib/systemd/user...)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "sarif", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE (atomically) instead of stdout");
  add_systemd_option(cmd, &args->systemd);
  cmd->add_option("--compare-systemd", args->compare,
                  "Score every unit under these releases too, side by side (\"252,262\" or \"all\"): what each "
                  "will score after an upgrade")
      ->type_name("LIST");
  cmd->add_option("--policy", args->policy, "JSON file with per-assessor weight/range overrides");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output on stderr");
  // One value per occurrence: a repeatable option must not swallow what follows.
  cmd->add_option("--unit", args->only, "Only services whose name matches this shell pattern (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--exclude", args->exclude, "Leave out services whose name matches this shell pattern (repeatable)")
      ->allow_extra_args(false);
  add_gate_options(cmd, args->gate, "service");
  cmd->footer(
      "Exit codes: 0 report produced (and the gate passed), 1 the gate failed (--threshold, --baseline), 2 usage "
      "error or the report could not be written.");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return run_audit(*args); }; });
}

}  // namespace sdh::cli
