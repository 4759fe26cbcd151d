// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden auto: profile the unit in a disposable container -> propose a
// drop-in -> verify it there -> on failure bisect and relax the culprit ->
// repeat; ends with a verified drop-in and exposure before -> after.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/os_tree.h"
#include "cli/systemd_arg.h"
#include "cli/system_facts.h"
#include "cli/verify_setup.h"
#include "util/atomic_file.h"
#include "exposure/assess.h"
#include "synth/synth.h"
#include "systemd/container_host.h"
#include "systemd/process.h"
#include "trace/session.h"
#include "unit/loader.h"
#include "util/fs.h"
#include "harden/auto_loop.h"
#include "unit/value_writer.h"
#include "verify/target.h"

namespace sdh::cli {

namespace {

using namespace std::chrono_literals;

struct AutoArgs {
  std::string unit, check, workload, output;
  std::string report;              // --report: JSON summary for benchmarks
  std::vector<std::string> files;  // --file DEST=SRC: installed in the container first
  std::string save_profile;        // --save-profile: the profile the proposal was built from
  bool no_static_user = false;     // --no-static-user
  bool sessions = false;           // --sessions
  bool write_unverified = false;   // --write-unverified: -o even when not verified, marked
  int settle_ms = 1500;
  OsTreeArgs os_tree;              // --os-tree, --package: boot another OS's systemd
};

// Starts the unit in a fresh container while the eBPF profiler follows its
// cgroup, runs the check and the workload, then stops profiling.
Result<profile::Profile> profile_in_container(const verify::VerifyOptions& o, const std::string& workload,
                                              const systemd::ContainerOptions& container) {
  auto host = systemd::ContainerHost::boot(container);
  if (!host) return fail(host.error());
  auto& h = **host;
  if (auto s = verify::prepare_host(h, o); !s) return fail(s.error());
  (void)h.daemon_reload();
  std::string base = h.cgroup_v2_dir();
  if (base.empty()) return fail("cannot find the container's cgroup v2 directory");
  // Created ahead so the profiler can follow it before the first process;
  // the container's systemd reuses an existing cgroup directory. The slice
  // comes from the manager: template instances (postgresql@15-main) live in
  // system-NAME.slice, and Slice= may put a unit anywhere.
  std::string cg = base + "/payload/" + systemd::unit_cgroup_path(h, o.unit);
  std::error_code ec;
  std::filesystem::create_directories(cg, ec);
  if (ec) return fail("creating " + cg + ": " + ec.message());
  std::atomic<bool> done{false};
  Result<trace::SessionResult> session = fail("profiler did not run");
  trace::SessionOptions so;
  so.stop = [&] { return done.load(); };
  so.duration_seconds = 120;
  std::thread tracer([&] { session = trace::profile_cgroup(cg, so); });
  std::this_thread::sleep_for(1500ms);  // attach time of the BPF programs
  auto started = h.start(o.unit);
  std::this_thread::sleep_for(o.settle);
  if (started) {
    (void)h.run(o.check, o.check_timeout);
    if (!workload.empty()) (void)h.run(workload, 120s);
  }
  (void)h.stop(o.unit);
  std::this_thread::sleep_for(300ms);
  done = true;
  tracer.join();
  (void)h.shutdown();
  if (!started) return fail(std::move(started.error()).with_context("starting the unit to profile it"));
  if (!session) return fail(std::move(session.error()).with_context("profiling"));
  session->profile.unit = o.unit;
  return session->profile;
}

Result<int> exposure_with(const FileSystem& fs, const std::string& unit_arg, const std::string& dropin,
                          unit::SystemdVersion version) {
  unit::LoadOptions lo;
  lo.version = version;
  if (!dropin.empty()) lo.extra_dropins = {{"50-sdharden.conf", dropin}};
  auto loaded = unit::load_unit(fs, unit_arg, lo);
  if (!loaded) return fail(loaded.error());
  return exposure::assess(loaded->settings, lo.version).exposure_tenths;
}

std::string tenths(int t) { return fmt::format("{}.{}", t / 10, t % 10); }

// The --report JSON: everything a benchmark needs from one `auto` run.
nlohmann::json auto_report(const std::string& unit, const harden::AutoResult& r, Result<int> before,
                           Result<int> after, double secs) {
  nlohmann::json j;
  j["schema_version"] = 1;  // docs/json-output.md
  j["unit"] = unit;
  j["verified"] = r.verified;
  j["error"] = r.error;
  j["exposure_before_tenths"] = before ? nlohmann::json(*before) : nlohmann::json(nullptr);
  j["exposure_after_tenths"] = after ? nlohmann::json(*after) : nlohmann::json(nullptr);
  j["exposure_before"] = before ? tenths(*before) : "?";
  j["exposure_after"] = after ? tenths(*after) : "?";
  bool check = false, workload = false;
  nlohmann::json controls = nlohmann::json::array();
  for (const auto& i : r.verdict.items) {
    // "check passes", or with a workload "check passes, the workload too, ...".
    if (i.stage == verify::Stage::hardened && i.name.rfind("check passes", 0) == 0) {
      check = i.status == verify::ItemStatus::passed;
      workload = check && i.name != "check passes";
    }
    if (i.stage == verify::Stage::negative_control) {
      controls.push_back({{"name", i.name}, {"status", verify::to_string(i.status)}, {"detail", i.detail}});
    }
  }
  j["check_passed"] = check;
  j["workload_passed"] = workload;  // the workload ran under the drop-in and the check passed after it
  j["negative_controls"] = controls;
  const auto& sizes = r.plan.syscalls;
  j["allow_list"] = {{"observed_all", sizes.observed_all},   {"startup", sizes.observed_startup},
                     {"serving", sizes.observed_serving},    {"emitted", sizes.emitted},
                     {"emitted_serving", sizes.emitted_serving}};
  nlohmann::json relaxed = nlohmann::json::array();
  for (const auto& x : r.plan.relaxed)
    relaxed.push_back({{"directive", x.directive}, {"kind", x.kind}, {"from", x.from}, {"to", x.to}, {"reason", x.reason}});
  j["relaxed"] = relaxed;
  auto justified = harden::count_justified(r.dropin);
  j["justified"] = {{"lines", justified.lines}, {"justified", justified.justified}};
  j["static_user_dropped"] = r.static_user_dropped;
  // The plan as the daemon's account beyond a verified root plan, tried: "kept as X" or how it failed.
  j["beyond_trial"] = r.beyond_trial.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.beyond_trial);
  // An ephemeral root verified: the battery with it and without it; kept when not worse.
  if (r.root_battery.first >= 0)
    j["ephemeral_root"] = {{"possible_with", r.root_battery.first},
                           {"possible_without", r.root_battery.second},
                           {"kept", r.dropin.find("\nRootDirectory=") != std::string::npos}};
  else
    j["ephemeral_root"] = nullptr;
  j["containment"] = nlohmann::json::parse(verify::containment_to_json(r.verdict.containment));
  j["iterations"] = r.iterations;
  j["wall_seconds"] = secs;
  j["dropin"] = r.dropin;
  // What a change outside the drop-in would allow (a static User= refused now).
  if (const auto& b = r.plan.beyond_dropin)
    j["beyond_dropin"] = {{"change", b->change},
                          {"user", b->user},
                          {"blockers", b->blockers},
                          {"exposure", tenths(b->exposure_tenths)}};
  else
    j["beyond_dropin"] = nullptr;
  return j;
}

int run_auto(const AutoArgs& a) {
  auto t0 = std::chrono::steady_clock::now();
  if (!a.os_tree.tree.empty()) {
    fmt::print("== OS tree {} (the first time: debootstrap, a few minutes){}\n", a.os_tree.tree,
               a.os_tree.packages.empty() ? "" : "; installing " + fmt::format("{}", fmt::join(a.os_tree.packages, " ")));
    std::fflush(stdout);
  }
  auto root = prepare_os_tree(a.os_tree);
  if (!root) {
    fmt::print(stderr, "sdharden auto: {}\n", root.error().to_string());
    return kExitUsage;
  }
  systemd::ContainerOptions container;
  container.root = *root;
  // Whose rules: the systemd the service will run under (the tree's, or this machine's).
  auto chosen = choose_release("", *root == "/" ? "" : *root);
  if (!chosen) {
    fmt::print(stderr, "sdharden auto: {}\n", chosen.error().to_string());
    return kExitUsage;
  }
  const unit::SystemdVersion version = chosen->version;
  RealFileSystem fs(*root == "/" ? "" : *root);
  auto target = verify::load_target(fs, a.unit, "", a.check);
  if (!target) {
    fmt::print(stderr, "sdharden auto: {}\n", target.error().to_string());
    return kExitUsage;
  }
  target->probe_binary = systemd::locate_helper("sdharden-probe");
  target->settle = std::chrono::milliseconds(a.settle_ms);
  if (auto f = read_extra_files(a.files, *target); !f) {
    fmt::print(stderr, "sdharden auto: {}\n", f.error().to_string());
    return kExitUsage;
  }
  std::string unit_arg = a.unit.find('/') != std::string::npos ? std::filesystem::absolute(a.unit).string()
                                                                : target->unit;
  unit::LoadOptions unit_options;
  unit_options.version = version;
  auto loaded = unit::load_unit(fs, unit_arg, unit_options);
  if (!loaded) {
    fmt::print(stderr, "sdharden auto: {}\n", loaded.error().to_string());
    return kExitUsage;
  }

  fmt::print("== profile {} in a disposable container of {}, {} (check{})\n", target->unit,
             *root == "/" ? "this machine's OS" : *root, chosen->why, a.workload.empty() ? "" : " + workload");
  std::fflush(stdout);
  auto prof = profile_in_container(*target, a.workload, container);
  if (!prof) {
    fmt::print(stderr, "sdharden auto: {}\n", prof.error().to_string());
    return kExitFailed;
  }
  fmt::print("   {} events, {} executables\n", prof->events, prof->executables.size());
  std::fflush(stdout);
  if (!a.save_profile.empty()) {
    if (auto w = sdh::write_file_atomically(a.save_profile, profile::profile_to_json(*prof)); !w) {
      fmt::print(stderr, "sdharden auto: {}\n", w.error().to_string());
      return kExitUsage;
    }
  }

  synth::ProposeOptions po;
  po.fs = &fs;
  po.version = version;
  po.load_options.version = version;
  po.allow_incomplete_profile = true;
  // The container shares this machine's /etc, /usr and /var: its owners are the service's.
  if (!a.no_static_user) {
    po.facts = gather_system_facts(*prof, *root == "/" ? "" : *root);
    add_environment_files(po.facts, *loaded, *root == "/" ? "" : *root);
  }
  auto plan = synth::propose(*loaded, *prof, po);
  if (!plan) {
    fmt::print(stderr, "sdharden auto: propose: {}\n", plan.error().to_string());
    return kExitFailed;
  }
  fmt::print("== proposed {} directives\n", plan->directives.size());

  target->workload = a.workload;  // verified too: reloads and log reopens are where drop-ins break
  target->observer = make_profiler_observer();  // silent-fallback diff of the verify runs
  target->on_machine = exists_on_machine;       // where the container differs, if the unit fails there
  // A login daemon's sessions must inherit the same under the drop-in: the
  // proposal keeps them whole, verification proves it.
  const auto recognised = login_sessions(*prof, *root == "/" ? "" : *root);
  target->sessions = a.sessions || recognised.has_value();
  target->session_commands = a.sessions || recognised.value_or(true);
  harden::AutoHooks hooks;
  // Flushed: a log file or a pipe sees each step when it happens.
  // Steps quote what the service and systemd said: escaped for the terminal.
  hooks.progress = [](const std::string& line) {
    fmt::print("   {}\n", unit::escape_for_display(line));
    std::fflush(stdout);
  };
  hooks.score = [&](const synth::HardeningPlan& p) { return synth::score_plan(*loaded, p, po); };
  // A static User= rests on the daemon starting unprivileged (some wrappers
  // refuse to): the loop continues from the proposal made without it.
  hooks.propose_without_user = [&, po](const std::string& refused, bool any_user) mutable {
    po.static_user_refused = refused;
    if (any_user) po.own_switch = false;
    return synth::propose(*loaded, *prof, po);
  };
  auto r = harden::harden_until_verified(*plan, *target, systemd::container_factory(container), hooks);
  if (!r) {
    fmt::print(stderr, "sdharden auto: {}\n", r.error().to_string());
    return kExitFailed;
  }
  // Denials and journal lines come from the service: escaped for the terminal.
  fmt::print("{}", unit::escape_lines_for_display(verify::verdict_to_text(r->verdict)));
  for (const auto& x : r->plan.relaxed)
    fmt::print("relaxed [{}]: {} -> {} -- {}\n", x.kind, unit::escape_for_display(x.from.empty() ? x.directive : x.from),
               x.to.empty() ? "(removed)" : unit::escape_for_display(x.to), unit::escape_for_display(x.reason));
  auto before = exposure_with(fs, unit_arg, "", version);
  auto after = exposure_with(fs, unit_arg, r->dropin, version);
  auto justified = harden::count_justified(r->dropin);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r->beyond_trial.empty())
    fmt::print("plan as the daemon's account: {}\n", unit::escape_for_display(r->beyond_trial));
  if (r->root_battery.first >= 0)
    fmt::print("ephemeral root: {} attempts of the battery possible inside it, {} without it: {}\n",
               r->root_battery.first, r->root_battery.second,
               r->dropin.find("\nRootDirectory=") != std::string::npos ? "kept" : "dropped");
  fmt::print("exposure of {}: {} -> {}; justified={}/{}; {} iteration(s), {:.0f} s\n", target->unit,
             before ? tenths(*before) : "?", after ? tenths(*after) : "?", justified.justified, justified.lines,
             r->iterations, secs);
  if (!a.report.empty()) {
    auto j = auto_report(target->unit, *r, before, after, secs);
    if (auto w = sdh::write_file_atomically(a.report, j.dump(2) + "\n"); !w) {
      fmt::print(stderr, "sdharden auto: {}\n", w.error().to_string());
      return kExitUsage;
    }
  }
  // Only a verified drop-in goes to -o as it is; an unverified one only on
  // request, and then its first line says so.
  std::string text = r->verified ? r->dropin : harden::mark_unverified(r->dropin, r->error);
  if (!a.output.empty() && (r->verified || a.write_unverified)) {
    if (auto w = sdh::write_file_atomically(a.output, text); !w) {
      fmt::print(stderr, "sdharden auto: {}\n", w.error().to_string());
      return kExitUsage;
    }
    fmt::print("{} drop-in written to {}\n", r->verified ? "verified" : "UNVERIFIED", a.output);
  } else if (!a.output.empty()) {
    fmt::print(stderr, "sdharden auto: not verified, {} not written (--write-unverified keeps it, marked)\n", a.output);
  } else {
    fmt::print("\n{}", text);
  }
  if (!r->verified) fmt::print(stderr, "sdharden auto: {}\n", r->error);
  return r->verified ? kExitOk : kExitFailed;
}

}  // namespace

void add_auto_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<AutoArgs>();
  auto* cmd = app.add_subcommand("auto", "Profile -> propose -> verify -> bisect/relax until the drop-in is verified "
                                         "(all in disposable systemd containers)");
  cmd->add_option("unit", args->unit, "unit name or path to a unit file")->required();
  cmd->add_option("--check", args->check, "shell command that must succeed while the service runs")->required();
  cmd->add_option("--workload", args->workload, "shell command exercising the service while it is profiled, and again under the drop-in "
                                            "(it must succeed there and the check pass after it)");
  cmd->add_option("-o,--output", args->output, "write the verified drop-in here (nothing is written when it is not verified)");
  cmd->add_option("--settle", args->settle_ms, "milliseconds the unit must stay up after starting");
  cmd->add_option("--report", args->report, "write a JSON report (exposure, verdict, controls, allow-lists, relaxed)");
  add_file_option(*cmd, args->files);
  cmd->add_flag("--no-static-user", args->no_static_user,
                "Never propose User= from the owners of the files the daemon used");
  cmd->add_flag("--sessions", args->sessions,
                "The daemon starts login sessions (also recognised from its profile): verification fails when a "
                "session would inherit anything else under the drop-in");
  cmd->add_flag("--write-unverified", args->write_unverified,
                "Write -o even when verification fails, with a first line saying NOT VERIFIED and why");
  cmd->add_option("--save-profile", args->save_profile, "write the profile the proposal was built from (JSON)");
  add_os_tree_options(cmd, &args->os_tree);
  cmd->footer("Exit codes: 0 verified drop-in, 1 could not reach a verified drop-in, 2 usage error.");
  cmd->callback([args, &dispatch] { dispatch.action = [args] { return run_auto(*args); }; });
}

}  // namespace sdh::cli
