// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden explain: a Markdown security posture for a project's docs.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/systemd_arg.h"
#include "verify/battery.h"
#include "verify/dropin.h"
#include "profile/profile.h"
#include "synth/explain.h"
#include "synth/synth.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

struct ExplainArgs {
  std::string unit;
  std::string dropin;
  std::vector<std::string> profiles;
  std::string systemd;  // "" : the installed one
  std::string root;
  std::string output;
};

// A regular file's text (a directory, FIFO or device is refused).
Result<std::string> slurp(const std::string& path) { return RealFileSystem().read_file(path); }

// What the containment battery would try, class by class, and which of the
// directives meant to refuse each attempt the unit sets. A reading of the
// unit, not a measurement: `verify` runs the battery inside the sandbox.
std::string containment_section(const unit::LoadedUnit& u) {
  auto set = [&](const std::string& key) { return u.settings.origin.count("Service." + key) > 0; };
  std::string out = "\n## Containment: what code inside the service could try\n\n";
  out += fmt::format("`sdharden verify` and `auto` run {} benign attempts inside the unit's own sandbox and report "
                     "which stay possible. Below, per attempt, the directives meant to refuse it that this unit "
                     "sets (a reading of the unit, not a measurement).\n\n",
                     verify::battery_rows().size());
  out += "| class | attempt | refused by (set here) | open unless |\n| --- | --- | --- | --- |\n";
  for (const auto& r : verify::battery_rows()) {
    std::string yes, no;
    for (const auto& k : r.closed_by) {
      std::string& list = set(k) ? yes : no;
      list += (list.empty() ? "`" : ", `") + k + "=`";
    }
    out += fmt::format("| {} | {} | {} | {} |\n", r.klass, r.tries, yes.empty() ? "—" : yes, yes.empty() ? no : "");
  }
  return out;
}

int run_explain(const ExplainArgs& a) {
  auto chosen = choose_release(a.systemd, a.root);
  if (!chosen) {
    fmt::print(stderr, "sdharden explain: {}\n", chosen.error().to_string());
    return kExitUsage;
  }
  const unit::SystemdVersion version = chosen->version;
  RealFileSystem fs(a.root);
  unit::LoadOptions lo;
  lo.version = version;
  if (!a.dropin.empty()) {
    auto text = slurp(a.dropin);
    if (!text) {
      fmt::print(stderr, "sdharden explain: {}\n", text.error().to_string());
      return kExitUsage;
    }
    // What would not be read as written is refused, not silently half-used.
    if (auto parsed = verify::parse_dropin(*text); !parsed) {
      fmt::print(stderr, "sdharden explain: --dropin {}: {}\n", a.dropin, parsed.error().to_string());
      return kExitUsage;
    }
    lo.extra_dropins.emplace_back(std::filesystem::path(a.dropin).filename().string(), *text);
  }
  std::string target = a.unit;
  if (target.find('/') != std::string::npos && target[0] != '/' && a.root.empty()) {
    target = std::filesystem::absolute(target).lexically_normal().string();
  }
  auto loaded = unit::load_unit(fs, target, lo);
  if (!loaded) {
    fmt::print(stderr, "sdharden explain: {}\n", loaded.error().to_string());
    return kExitUsage;
  }
  std::optional<profile::Profile> prof;
  std::optional<synth::HardeningPlan> plan;
  if (!a.profiles.empty()) {
    std::vector<profile::Profile> all;
    for (const auto& p : a.profiles) {
      auto text = slurp(p);
      auto parsed = text ? profile::profile_from_json(*text) : Result<profile::Profile>(tl::unexpected(text.error()));
      if (!parsed) {
        fmt::print(stderr, "sdharden explain: reading profile {}: {}\n", p, parsed.error().to_string());
        return kExitUsage;
      }
      all.push_back(std::move(*parsed));
    }
    prof = all.size() == 1 ? all.front() : profile::merge(all);
    // The plan on top of what is already there gives the evidence for every
    // item that stays unrestricted.
    synth::ProposeOptions opts;
    opts.version = version;
    opts.fs = &fs;
    opts.load_options = lo;
    opts.allow_incomplete_profile = true;
    auto p = synth::propose(*loaded, *prof, opts);
    if (!p) {
      fmt::print(stderr, "sdharden explain: {}\n", p.error().to_string());
      return kExitUsage;
    }
    plan = std::move(*p);
  }
  synth::ExplainInput in;
  in.unit = &*loaded;
  in.dropin_path = a.dropin;
  in.profile = prof ? &*prof : nullptr;
  in.plan = plan ? &*plan : nullptr;
  in.version = version;
  auto md = synth::explain_markdown(in);
  if (!md) {
    fmt::print(stderr, "sdharden explain: {}\n", md.error().to_string());
    return kExitUsage;
  }
  *md += containment_section(*loaded);
  if (plan && !plan->directives.empty()) {
    *md += fmt::format("\nFurther hardening the evidence allows ({} directive{}): run `sdharden propose`.\n",
                       plan->directives.size(), plan->directives.size() == 1 ? "" : "s");
  }
  if (a.output.empty()) {
    fmt::print("{}", *md);
  } else {
    std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
    out << *md;
    if (!out) {
      fmt::print(stderr, "sdharden explain: cannot write {}\n", a.output);
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace

void add_explain_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Markdown security posture of a unit (what is restricted and why not)");
  cmd->add_option("unit", args->unit, "Unit name or unit file path")->required();
  cmd->add_option("--dropin", args->dropin, "Apply this drop-in first");
  cmd->add_option("--profile", args->profiles, "Profile JSON: explain with observed evidence")->expected(1, -1);
  add_systemd_option(cmd, &args->systemd);
  cmd->add_option("--root", args->root, "Look units up below this directory");
  cmd->add_option("-o,--output", args->output, "Write the Markdown here");
  cmd->footer(
      "Exit codes: 0 explanation printed or written, 2 usage or input error (unit not found, unreadable drop-in or "
      "profile, output not writable).");
  cmd->callback([args, &dispatch] { dispatch.action = [args] { return run_explain(*args); }; });
}

}  // namespace sdh::cli
