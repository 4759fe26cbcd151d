// SPDX-License-Identifier: GPL-2.0-or-later
#include "trace/session.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>

#include "profile/builder.h"
#include "trace/real_inspector.h"
#include "util/interrupt.h"

namespace sdh::trace {

namespace {

uint64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

std::string current_dir() {
  char buf[4096];
  return ::getcwd(buf, sizeof(buf)) ? std::string(buf) : std::string();
}

// The event loop shared by both targets: `observe` sees every event before the
// builder, `finished` says whether anything is left to follow.
Result<SessionResult> run(Tracer& tracer, profile::ProfileBuilder& builder, const SessionOptions& options,
                          const std::function<void(const TraceEvent&)>& observe,
                          const std::function<bool(SessionResult&)>& finished) {
  SessionResult result;
  auto start = std::chrono::steady_clock::now();
  uint64_t start_ns = monotonic_ns();
  bool marker_placed = false;
  EventCallback sink = [&](const TraceEvent& e) {
    result.events++;
    if (observe) observe(e);
    builder.add(e);
  };
  while (true) {
    if (auto r = tracer.poll(100, sink); !r) return fail(r.error());
    if (options.marker && !marker_placed && options.marker()) {
      TraceEvent m;
      m.kind = TraceEventKind::marker;
      m.time_ns = monotonic_ns();
      tracer.mark(m.time_ns);
      builder.add(m);
      marker_placed = true;
    }
    if (finished(result)) break;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if ((options.stop && options.stop()) || (options.duration_seconds > 0 && elapsed >= options.duration_seconds)) {
      result.stopped_early = true;
      break;
    }
  }
  if (auto r = tracer.finish(sink); !r) return fail(r.error());
  result.counters = tracer.counters();
  result.notes = tracer.notes();
  result.profile = builder.build();
  result.profile.tracer = tracer.name();
  result.profile.events = result.events;
  result.profile.lost_events = result.counters.lost();
  result.profile.duration_seconds = static_cast<double>(monotonic_ns() - start_ns) / 1e9;
  return result;
}

}  // namespace

Result<SessionResult> profile_command(const std::vector<std::string>& argv, const SessionOptions& options) {
  if (argv.empty()) return fail("profile: no command given");
  auto tracer = options.make_tracer ? options.make_tracer(options.tracer) : make_ebpf_tracer(options.tracer);
  if (!tracer) return fail(tracer.error());

  int gate[2];
  if (::pipe2(gate, O_CLOEXEC) != 0) return fail("creating the start pipe", errno);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t child = ::fork();
  if (child < 0) return fail("fork", errno);
  if (child == 0) {
    interrupt::restore_in_child();
    // Wait until the tracer is attached; if the profiler died meanwhile (EOF),
    // do not run the command untraced.
    ::close(gate[1]);
    char go;
    if (::read(gate[0], &go, 1) != 1) ::_exit(127);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(gate[0]);
  auto release = [&](bool go) {
    if (go) (void)!::write(gate[1], "x", 1);
    ::close(gate[1]);
  };

  RealInspector inspector;
  profile::ProfileBuilder builder(inspector);
  builder.set_initial_cwd(child, current_dir());
  if (auto r = (*tracer)->start(TraceTarget{child, ""}); !r) {
    release(false);  // the child exits without running the command
    ::waitpid(child, nullptr, 0);
    return fail(r.error());
  }
  builder.set_infer_capabilities(!(*tracer)->sees_capabilities());
  release(true);

  // Processes still alive, kept from fork/exit events; the direct child is reaped here.
  std::set<int> alive = {child};
  int status = -1;
  bool reaped = false;
  auto last_check = std::chrono::steady_clock::now();
  auto finished = [&](SessionResult& res) {
    if (!reaped) {
      pid_t w = ::waitpid(child, &status, WNOHANG);
      if (w == child) {
        reaped = true;
        res.command_exited = true;
        res.command_status = status;
        alive.erase(child);
      }
    }
    // Guard against missed exit events: drop pids that no longer exist.
    if (std::chrono::steady_clock::now() - last_check > std::chrono::seconds(1)) {
      last_check = std::chrono::steady_clock::now();
      for (auto it = alive.begin(); it != alive.end();) {
        if (*it != child && ::kill(*it, 0) != 0 && errno == ESRCH) {
          it = alive.erase(it);
        } else {
          ++it;
        }
      }
    }
    return reaped && alive.empty();
  };
  auto observe = [&](const TraceEvent& e) {
    if (e.kind == TraceEventKind::fork) alive.insert(e.child_pid);
    if (e.kind == TraceEventKind::exit && e.pid != child) alive.erase(e.pid);
  };
  auto result = run(**tracer, builder, options, observe, finished);
  if (result) result->profile.command = argv;
  return result;
}

Result<SessionResult> profile_cgroup(const std::string& cgroup_path, const SessionOptions& options) {
  if (!options.stop && options.duration_seconds <= 0) {
    return fail("profile: a cgroup session needs a duration or a stop condition");
  }
  auto tracer = options.make_tracer ? options.make_tracer(options.tracer) : make_ebpf_tracer(options.tracer);
  if (!tracer) return fail(tracer.error());
  RealInspector inspector;
  profile::ProfileBuilder builder(inspector);
  if (auto r = (*tracer)->start(TraceTarget{0, cgroup_path}); !r) return fail(r.error());
  builder.set_infer_capabilities(!(*tracer)->sees_capabilities());
  return run(**tracer, builder, options, nullptr, [](SessionResult&) { return false; });
}

}  // namespace sdh::trace
