// SPDX-License-Identifier: GPL-2.0-or-later
// TraceEvent: one observation from a tracer back-end, as a plain value. It
// lives on the pure side (profile/ imports nothing from trace/); the
// namespace stays sdh::trace, where its producers are.
// The eBPF back-end (ebpf_tracer.cc) produces them from kernel records; tests
// build them by hand. ProfileBuilder (src/profile/builder.h) consumes them.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace sdh::trace {

enum class TraceEventKind {
  exec,           // pid now runs exe_key = path (exe_path)
  fork,           // pid created child_pid (a new process, not a thread)
  exit,           // process pid ended
  discover,       // cgroup mode: pid was already running (exe_path, cwd from /proc)
  syscall,        // a detailed syscall: nr, args, strings, sockaddr, result when known
  syscall_usage,  // aggregated: exe_key used syscall nr `count` times in [first_ns, last_ns]
  failure_usage,  // aggregated: exe_key's syscall nr failed with `error` `count` times
  capability,     // aggregated: exe_key's check of `capability` returned `granted`
  boundary_hint,  // first accept (hint = 1) or first receive (hint = 2) after a listen
  marker,         // explicit start-up/serving boundary given by the user
};
inline std::string to_string(TraceEventKind k) {
  switch (k) {
    case TraceEventKind::exec: return "exec";
    case TraceEventKind::fork: return "fork";
    case TraceEventKind::exit: return "exit";
    case TraceEventKind::discover: return "discover";
    case TraceEventKind::syscall: return "syscall";
    case TraceEventKind::syscall_usage: return "syscall_usage";
    case TraceEventKind::failure_usage: return "failure_usage";
    case TraceEventKind::capability: return "capability";
    case TraceEventKind::boundary_hint: return "boundary_hint";
    case TraceEventKind::marker: return "marker";
  }
  return "unknown";
}

struct TraceEvent {
  TraceEventKind kind = TraceEventKind::syscall;
  uint64_t time_ns = 0;  // CLOCK_MONOTONIC (bpf_ktime_get_ns)
  int pid = 0;           // process (tgid)
  int tid = 0;
  uint64_t exe_key = 0;  // which program the process ran (0: the launcher before exec)

  // syscall
  int nr = -1;
  std::array<uint64_t, 6> args{};
  bool has_result = false;
  int64_t result = 0;    // return value; -errno on failure
  std::string path;      // first path argument as passed (may be relative)
  std::string path2;     // second path argument (rename/link target, mount source)
  std::string fd_path;   // back-end's view of the dirfd/fd argument (/proc/PID/fd), "" if unknown
  std::string sockaddr;  // raw struct sockaddr bytes
  std::string payload;   // first bytes of a sendmsg to an address (READY=1 detection)
  uint32_t uid = 0, gid = 0;  // caller's ids at the time

  // exec / discover / fork
  std::string exe_path;  // absolute when the back-end could resolve it
  std::string cwd;       // working directory when known
  std::string environ_listen_fds;  // value of LISTEN_FDS in the new program's environment
  int child_pid = 0;
  // The process's pid in its own pid namespace (a container's), when the
  // back-end could tell: exec and discover name the process, fork the child.
  int ns_pid = 0;

  // aggregated usage; for a syscall, 0 when it happened once, else how many
  // times (identical calls the back-end counted instead of reporting each)
  uint64_t count = 0;
  uint64_t first_ns = 0, last_ns = 0;
  int error = 0;         // positive errno
  int capability = -1;
  bool granted = false;
  int hint = 0;
};

}  // namespace sdh::trace
