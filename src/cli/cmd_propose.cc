// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden propose: the tightest drop-in a profile allows, every directive
// with its evidence, every omission with the observation that forbids it.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/systemd_arg.h"
#include "cli/system_facts.h"
#include "util/atomic_file.h"
#include "profile/profile.h"
#include "synth/synth.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

struct ProposeArgs {
  std::string unit;
  std::vector<std::string> profiles;
  std::string output;
  bool json = false;
  std::string systemd;  // "" : the installed one
  std::string root;
  bool allow_incomplete = false;
  bool no_static_user = false;
};

std::string absolute_unit_argument(const std::string& arg, bool has_root) {
  if (arg.find('/') == std::string::npos || arg[0] == '/' || has_root) return arg;
  std::error_code ec;
  auto abs = std::filesystem::absolute(arg, ec);
  return ec ? arg : abs.lexically_normal().string();
}

// A regular file's text on the host (a directory, FIFO or device is refused).
Result<std::string> read_host_file(const std::string& path) { return RealFileSystem().read_file(path); }

Result<profile::Profile> load_profiles(const std::vector<std::string>& paths) {
  std::vector<profile::Profile> all;
  for (const auto& p : paths) {
    auto text = read_host_file(p);
    if (!text) return fail(text.error());
    auto prof = profile::profile_from_json(*text);
    if (!prof) return fail(std::move(prof.error()).with_context("reading profile " + p));
    all.push_back(std::move(*prof));
  }
  if (all.size() == 1) return all.front();
  return profile::merge(all);
}

int run_propose(const ProposeArgs& a) {
  auto chosen = choose_release(a.systemd, a.root);
  if (!chosen) {
    fmt::print(stderr, "sdharden propose: {}\n", chosen.error().to_string());
    return kExitUsage;
  }
  const unit::SystemdVersion version = chosen->version;
  auto prof = load_profiles(a.profiles);
  if (!prof) {
    fmt::print(stderr, "sdharden propose: {}\n", prof.error().to_string());
    return kExitUsage;
  }
  RealFileSystem fs(a.root);
  unit::LoadOptions lo;
  lo.version = version;
  std::string target = absolute_unit_argument(a.unit, !a.root.empty());
  auto loaded = unit::load_unit(fs, target, lo);
  if (!loaded) {
    fmt::print(stderr, "sdharden propose: {}\n", loaded.error().to_string());
    return kExitUsage;
  }
  synth::ProposeOptions opts;
  opts.version = version;
  opts.fs = &fs;
  opts.load_options = lo;
  opts.allow_incomplete_profile = a.allow_incomplete;
  if (!a.no_static_user) {
    opts.facts = gather_system_facts(*prof, a.root);
    add_environment_files(opts.facts, *loaded, a.root);
  }
  auto plan = synth::propose(*loaded, *prof, opts);
  if (!plan) {
    fmt::print(stderr, "sdharden propose: {}\n", plan.error().to_string());
    if (!prof->complete()) {
      fmt::print(stderr, "hint: profile again with a larger buffer, or pass --allow-incomplete to accept the risk\n");
    }
    return kExitUsage;
  }
  for (const auto& w : plan->warnings) fmt::print(stderr, "sdharden propose: warning: {}\n", w);
  std::string text = a.json ? synth::plan_to_json(*plan) : synth::render_dropin(*plan);
  if (a.output.empty()) {
    fmt::print("{}", text);
  } else {
    auto w = sdh::write_file_atomically(a.output, text);
    if (!w) {
      fmt::print(stderr, "sdharden propose: {}\n", w.error().to_string());
      return kExitUsage;
    }
    fmt::print(stderr, "{}: exposure {}.{} -> {}.{}, {} directives, {} not set; written to {}\n", plan->unit,
               plan->exposure_before_tenths / 10, plan->exposure_before_tenths % 10, plan->exposure_after_tenths / 10,
               plan->exposure_after_tenths % 10, plan->directives.size(), plan->not_set.size(), a.output);
  }
  return kExitOk;
}

}  // namespace

void add_propose_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ProposeArgs>();
  auto* cmd = app.add_subcommand("propose", "Propose a hardening drop-in from observed behaviour");
  cmd->add_option("unit", args->unit, "Unit name or unit file path")->required();
  cmd->add_option("--profile", args->profiles, "Profile JSON (several are merged)")->required()->expected(1, -1);
  cmd->add_option("-o,--output", args->output, "Write the drop-in (or JSON) here, atomically");
  cmd->add_flag("--json", args->json, "Print the plan as JSON");
  add_systemd_option(cmd, &args->systemd);
  cmd->add_option("--root", args->root, "Look units up below this directory");
  cmd->add_flag("--allow-incomplete", args->allow_incomplete,
                "Accept a profile that lost events (the drop-in carries a warning)");
  cmd->add_flag("--no-static-user", args->no_static_user,
                "Never propose User= from the owners of the files (under --root) the daemon used");
  cmd->footer("Exit codes: 0 drop-in written, 2 usage or input error (including an incomplete profile).");
  cmd->callback([args, &dispatch] { dispatch.action = [args] { return run_propose(*args); }; });
}

}  // namespace sdh::cli
