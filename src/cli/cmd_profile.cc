// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden profile: trace a command or a cgroup with eBPF and write a Profile.
#include <signal.h>
#include <sys/wait.h>

#include <fmt/core.h>

#include <atomic>
#include <set>
#include <string>
#include <vector>

#include "cli/command.h"
#include "util/atomic_file.h"
#include "util/interrupt.h"
#include "profile/profile.h"
#include "trace/session.h"

namespace sdh::cli {

namespace {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_marker = 0;

void on_marker_signal(int) { g_marker = 1; }

void install(int sig, void (*handler)(int)) {
  struct sigaction sa = {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, nullptr);
}

struct ProfileArgs {
  std::string output;
  std::string cgroup;
  double duration = 0;
  uint32_t ring_buffer_mib = 4;
  std::vector<std::string> command;
};

void print_summary(const trace::SessionResult& r, const std::string& output) {
  const auto& p = r.profile;
  std::set<std::string> startup, serving;
  size_t files = 0, devices = 0, sockets = 0, addresses = 0, caps = 0, failures = 0;
  std::set<std::string> flags;
  for (const auto& e : p.executables) {
    if (auto it = e.syscalls.find(profile::Phase::startup); it != e.syscalls.end())
      startup.insert(it->second.begin(), it->second.end());
    if (auto it = e.syscalls.find(profile::Phase::serving); it != e.syscalls.end())
      serving.insert(it->second.begin(), it->second.end());
    for (const auto& f : e.files) (f.is_device ? devices : files)++;
    sockets += e.sockets.size();
    addresses += e.addresses.size();
    caps += e.capabilities.size();
    failures += e.failures.size();
    auto flag = [&](bool on, const char* name) {
      if (on) flags.insert(name);
    };
    flag(e.wx_mapping, "W+X mapping");
    flag(e.personality_change, "personality");
    flag(e.realtime_scheduling, "realtime scheduling");
    flag(!e.namespaces_created.empty(), "namespaces");
    flag(e.mounts, "mounts");
    flag(e.clock_change, "clock");
    flag(e.hostname_change, "hostname");
    flag(e.kernel_module, "kernel modules");
    flag(e.keyring, "keyring");
    flag(e.kernel_log, "kernel log");
    flag(e.sysv_ipc, "SysV IPC");
    flag(e.setuid_file_created, "set-id file created");
    flag(e.uid_change || e.gid_change, "uid/gid change");
    flag(e.exec_setuid, "exec of set-id binary");
  }
  for (const auto& n : r.notes) fmt::print("note: {}\n", n);
  fmt::print("profile written to {}\n", output);
  fmt::print("  executables      {}\n", p.executables.size());
  fmt::print("  phase boundary   {}\n", profile::to_string(p.boundary));
  fmt::print("  syscalls         {} start-up, {} serving\n", startup.size(), serving.size());
  fmt::print("  files            {} ({} device nodes)\n", files + devices, devices);
  fmt::print("  sockets          {} kinds, {} addresses\n", sockets, addresses);
  fmt::print("  capabilities     {} checks\n", caps);
  fmt::print("  failed ops       {}\n", failures);
  std::string joined;
  for (const auto& f : flags) joined += (joined.empty() ? "" : ", ") + f;
  fmt::print("  notable          {}\n", joined.empty() ? "none" : joined);
  fmt::print("  events           {} ({} kernel records), {:.2f} s\n", p.events, r.counters.records,
             p.duration_seconds);
  if (p.lost_events > 0) {
    fmt::print("  LOST EVENTS      {} ({} ring buffer, {} map full): the profile is INCOMPLETE\n", p.lost_events,
               r.counters.ring_buffer_drops, r.counters.map_drops);
  } else {
    fmt::print("  lost events      0\n");
  }
  if (r.command_exited) {
    int st = r.command_status;
    if (WIFEXITED(st)) {
      fmt::print("  command          exited with status {}\n", WEXITSTATUS(st));
    } else if (WIFSIGNALED(st)) {
      fmt::print("  command          killed by signal {}\n", WTERMSIG(st));
    }
  } else if (r.stopped_early && !p.command.empty()) {
    fmt::print("  command          still running (no longer traced)\n");
  }
}

int run_profile(const ProfileArgs& args) {
  if (args.command.empty() == args.cgroup.empty()) {
    fmt::print(stderr, "sdharden profile: give either --cgroup PATH or -- COMMAND [ARGS...]\n");
    return kExitUsage;
  }
  if (!args.cgroup.empty() && args.duration <= 0) {
    fmt::print(stderr, "sdharden profile: --cgroup needs --duration S (or stop it with SIGINT)\n");
  }
  // SIGINT/SIGTERM stop tracing and the profile is still written (they are
  // taken by util/interrupt's watcher thread; a second one aborts).
  interrupt::on_first_signal([](int) { g_stop = 1; });
  install(SIGUSR1, on_marker_signal);
  trace::SessionOptions options;
  options.duration_seconds = args.duration;
  options.stop = [] { return g_stop != 0; };
  options.marker = [] { return g_marker != 0; };
  options.tracer.ring_buffer_bytes = args.ring_buffer_mib << 20;
  auto result = args.cgroup.empty() ? trace::profile_command(args.command, options)
                                    : trace::profile_cgroup(args.cgroup, options);
  if (!result) {
    std::string why = result.error().to_string();
    fmt::print(stderr, "sdharden profile: tracer unavailable or failed: {}\n", why);
    return kExitFailed;
  }
  if (auto w = sdh::write_file_atomically(args.output, profile::profile_to_json(result->profile)); !w) {
    fmt::print(stderr, "sdharden profile: {}\n", w.error().to_string());
    return kExitFailed;
  }
  print_summary(*result, args.output);
  return kExitOk;
}

}  // namespace

void add_profile_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ProfileArgs>();
  auto* cmd = app.add_subcommand("profile", "Record what a command or a cgroup really does (eBPF tracepoints)");
  cmd->add_option("-o,--output", args->output, "Profile JSON to write (atomically)")->required();
  cmd->add_option("--cgroup", args->cgroup, "Follow every process of this cgroup v2 directory");
  cmd->add_option("--duration", args->duration, "Stop after S seconds (also: SIGINT/SIGTERM)");
  cmd->add_option("--ring-buffer-mib", args->ring_buffer_mib, "Ring buffer size in MiB (power of two)")
      ->check(CLI::IsMember({1u, 2u, 4u, 8u, 16u, 32u}));
  cmd->add_option("command", args->command, "-- COMMAND [ARGS...]: run and follow it and its descendants");
  cmd->footer(
      "SIGUSR1 places the start-up/serving marker explicitly; otherwise the boundary is READY=1 on\n"
      "$NOTIFY_SOCKET, else the first accept (or receive) after a listen. The command is never stopped\n"
      "or killed by the profiler: when profiling ends first, it keeps running untraced.\n"
      "Exit codes: 0 profile written, 1 the tracer is unavailable or failed or the profile could not be written, "
      "2 usage error.");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return run_profile(*args); }; });
}

}  // namespace sdh::cli
