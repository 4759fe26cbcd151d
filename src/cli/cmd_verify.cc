// SPDX-License-Identifier: GPL-2.0-or-later
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "cli/command.h"
#include "cli/os_tree.h"
#include "cli/system_facts.h"
#include "cli/verify_setup.h"
#include "trace/session.h"
#include "trace/tracer.h"
#include "systemd/bus_host.h"
#include "systemd/container_host.h"
#include "systemd/process.h"
#include "util/fs.h"
#include "unit/value_writer.h"
#include "verify/target.h"
#include "verify/verify.h"

namespace sdh::cli {

namespace {

struct VerifyArgs {
  std::string unit;
  std::string dropin;
  std::string check;
  std::string workload;
  std::string in = "container";
  bool json = false;
  bool no_profile = false;
  bool sessions = false;
  int settle_ms = 1500;
  std::vector<std::string> files;  // --file DEST=SRC
  OsTreeArgs os_tree;              // --os-tree, --package
};

// Profiles each run of the unit through its cgroup (created ahead of the
// start so the profiler follows it from the first process).
class CgroupProfiler final : public verify::RunObserver {
 public:
  void before_start(systemd::ServiceHost& host, const std::string& unit) override {
    std::string cg;
    if (auto* c = dynamic_cast<systemd::ContainerHost*>(&host)) {
      if (c->cgroup_v2_dir().empty()) return;
      cg = c->cgroup_v2_dir() + "/payload/" + systemd::unit_cgroup_path(host, unit);
    } else if (host.kind() == "host") {
      cg = "/sys/fs/cgroup/" + systemd::unit_cgroup_path(host, unit);
    } else {
      return;
    }
    std::error_code ec;
    std::filesystem::create_directories(cg, ec);
    if (ec) return;
    done_ = false;
    result_ = fail("not run");
    trace::SessionOptions so;
    so.stop = [this] { return done_.load(); };
    so.duration_seconds = 300;
    thread_ = std::thread([this, cg, so] { result_ = trace::profile_cgroup(cg, so); });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // BPF attach time
  }
  std::optional<profile::Profile> after_run(systemd::ServiceHost&) override {
    if (!thread_.joinable()) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    done_ = true;
    thread_.join();
    if (!result_) return std::nullopt;
    return result_->profile;
  }
  ~CgroupProfiler() override {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
  Result<trace::SessionResult> result_ = fail("not run");
};

}  // namespace

std::shared_ptr<verify::RunObserver> make_profiler_observer() {
  if (!trace::ebpf_built() || geteuid() != 0) return nullptr;
  return std::make_shared<CgroupProfiler>();
}

bool exists_on_machine(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

void add_file_option(CLI::App& cmd, std::vector<std::string>& specs) {
  cmd.add_option("--file", specs, "DEST=SRC: install local file SRC at DEST in the container first (repeatable)")
      ->allow_extra_args(false);  // one value per occurrence: the unit may follow
}

systemd::Status read_extra_files(const std::vector<std::string>& specs, verify::VerifyOptions& target) {
  RealFileSystem fs;
  for (const auto& f : specs) {
    auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0 || f[0] != '/') return fail("--file wants DEST=SRC with an absolute DEST: " + f);
    auto text = fs.read_file(f.substr(eq + 1));
    if (!text) return fail(std::move(text.error()).with_context("--file " + f));
    target.extra_files.emplace_back(f.substr(0, eq), *text);
  }
  return {};
}

systemd::HostFactory host_factory_for(const std::string& in, const std::string& root) {
  if (in == "host") return systemd::host_factory();
  systemd::ContainerOptions o;
  o.root = root;
  return systemd::container_factory(o);
}

void add_verify_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify", "Prove a drop-in under a real systemd: the service works, each directive is in effect, "
                "and each restriction really refuses what it should (negative controls)");
  cmd->add_option("unit", args->unit, "unit name or path to a unit file")->required();
  cmd->add_option("--dropin", args->dropin, "drop-in to verify")->required()->check(CLI::ExistingFile);
  cmd->add_option("--check", args->check, "shell command that must succeed while the service runs "
                                          "(runs inside the container)")->required();
  cmd->add_option("--workload", args->workload,
                  "shell command run after the check passed (reload, log reopen...); it must succeed and the "
                  "check pass again");
  cmd->add_option("--in", args->in, "where to run: a disposable container (default) or this host's systemd")
      ->check(CLI::IsMember({"container", "host"}));
  cmd->add_option("--settle", args->settle_ms, "milliseconds the unit must stay up after starting");
  add_file_option(*cmd, args->files);
  cmd->add_flag("--json", args->json, "print the verdict as JSON");
  cmd->add_flag("--no-profile", args->no_profile, "skip the silent-fallback comparison (no eBPF profiling)");
  cmd->add_flag("--sessions", args->sessions,
                "the daemon starts login sessions: fail when a session would inherit anything else under the "
                "drop-in (bounding set, no_new_privs, seccomp, writable /etc, /dev, /tmp...); recognised from the "
                "baseline's profile when profiling");
  add_os_tree_options(cmd, &args->os_tree);
  cmd->footer("Exit codes: 0 verified, 1 verification failed, 2 usage error or the check fails "
              "even without the drop-in.");
  cmd->callback([args, &dispatch] {
    dispatch.action = [args]() -> int {
      if (!args->os_tree.tree.empty() && args->in == "host") {
        fmt::print(stderr, "sdharden verify: --os-tree boots a container; it cannot go with --in host\n");
        return kExitUsage;
      }
      auto root = prepare_os_tree(args->os_tree);
      if (!root) {
        fmt::print(stderr, "sdharden verify: {}\n", root.error().to_string());
        return kExitUsage;
      }
      // A unit file and the drop-in are read here and installed into the
      // container; a unit name is the booted OS's own.
      RealFileSystem fs;
      auto target = verify::load_target(fs, args->unit, args->dropin, args->check);
      if (!target) {
        fmt::print(stderr, "sdharden verify: {}\n", target.error().to_string());
        return kExitUsage;
      }
      if (auto f = read_extra_files(args->files, *target); !f) {
        fmt::print(stderr, "sdharden verify: {}\n", f.error().to_string());
        return kExitUsage;
      }
      target->probe_binary = systemd::locate_helper("sdharden-probe");
      target->settle = std::chrono::milliseconds(args->settle_ms);
      target->workload = args->workload;
      // Mutation-test hook for the e2e suite: probes run without these directives.
      if (const char* omit = getenv("SDHARDEN_TEST_OMIT_FROM_PROBES")) target->omit_from_probes = {omit};
      if (!args->no_profile) target->observer = make_profiler_observer();
      if (args->in == "container") target->on_machine = exists_on_machine;
      target->sessions = args->sessions;
      const std::string facts_root = *root == "/" ? "" : *root;
      target->recognise_sessions = [facts_root](const profile::Profile& p) {
        return login_sessions(p, facts_root);
      };
      auto verdict = verify::verify_dropin(*target, host_factory_for(args->in, *root));
      if (!verdict) {
        fmt::print(stderr, "sdharden verify: {}\n", verdict.error().to_string());
        return kExitUsage;
      }
      if (args->json) fmt::print("{}", verify::verdict_to_json(*verdict));
      else fmt::print("{}", unit::escape_lines_for_display(verify::verdict_to_text(*verdict)));
      if (!verdict->error.empty()) {
        fmt::print(stderr, "sdharden verify: {}\n", verdict->error);
        return verdict->items.empty() || verdict->items[0].stage == verify::Stage::baseline ? kExitUsage
                                                                                              : kExitFailed;
      }
      return verdict->verified ? kExitOk : kExitFailed;
    };
  });
}

}  // namespace sdh::cli
