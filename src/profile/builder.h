// SPDX-License-Identifier: GPL-2.0-or-later
// ProfileBuilder: folds TraceEvents into a Profile, per executable and phase.
// Pure logic: facts from the file system come through a FileInspector.
#pragma once

#include <cstdint>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "profile/inspector.h"
#include "profile/profile.h"
#include "profile/trace_event.h"

namespace sdh::profile {

class ProfileBuilder {
 public:
  explicit ProfileBuilder(const FileInspector& inspector) : inspector_(inspector) {}

  // Working directory of a process before its first event (the launched command).
  void set_initial_cwd(int pid, std::string cwd);
  // When the kernel has no capability:cap_capable tracepoint, capabilities are
  // inferred from operations and marked inferred.
  void set_infer_capabilities(bool on) { infer_capabilities_ = on; }

  void add(const trace::TraceEvent& e);

  // The profile so far. Run metadata (command, tracer, event and loss counts,
  // duration) is the caller's to fill in.
  Profile build() const;

 private:
  struct Process {
    int pid = 0;  // as the tracer sees it
    std::string cwd;
    uint64_t exe_key = 0;
    std::string origin;  // the program that started its process tree ("" before the manager's child execs)
    std::map<int, std::string> fds;          // fd -> absolute path (from opens)
    std::map<int, int> socket_family;        // fd -> family (from socket())
    std::map<int, std::string> bound;        // fd -> raw sockaddr given to bind()
    // Credentials as of the last event: records carry them as of the
    // syscall's exit, after a setuid() took effect.
    std::optional<uint32_t> uid, gid;
    // Real, effective and saved user ids, as far as the set*uid() calls and
    // the records tell; unset before the first record of the process.
    std::optional<std::array<uint32_t, 3>> uids;
  };
  // A process's end: did it still hold a root user id, and when (UINT64_MAX:
  // still running when the trace ended).
  struct Ending {
    std::string exe, origin;
    bool holds_root = true;
    uint64_t time_ns = UINT64_MAX;
  };
  Ending ending_of(const Process& p, uint64_t time_ns) const;
  struct Usage {
    uint64_t count = 0, first_ns = UINT64_MAX, last_ns = 0;
  };

  ExecutableProfile* exe_for(uint64_t key);
  const std::string& exe_path(uint64_t key) const;
  void on_exec(const trace::TraceEvent& e);
  void on_syscall(const trace::TraceEvent& e);
  void remember_credentials(const trace::TraceEvent& e);
  std::string resolve(const Process& p, int dirfd, const std::string& path, const std::string& fd_path) const;
  // /proc/PID/... of the process itself, by its pid or its pid inside a
  // container, spelled /proc/self/...: reading it reads no other process.
  std::string own_proc_as_self(int pid, const std::string& path) const;
  // `times`: how often it happened (a repeated syscall comes as one event).
  void touch(ExecutableProfile& exe, const std::string& path, uint32_t access, uint64_t times = 1);
  void add_address(ExecutableProfile& exe, const std::string& op, const std::string& raw, uint64_t time_ns,
                   const std::string& payload, uint64_t times = 1);
  void add_failure(ExecutableProfile& exe, const std::string& op, int error, const std::string& detail,
                   uint64_t times = 1);

  const FileInspector& inspector_;
  bool infer_capabilities_ = false;
  std::map<int, Process> processes_;
  std::vector<Ending> endings_;  // of processes that exited
  std::map<int, int> ns_pids_;  // pid -> pid in its own namespace; kept after exit (repeats come last)
  std::map<uint64_t, std::string> exe_paths_;
  std::map<std::string, ExecutableProfile> exes_;
  std::map<std::pair<std::string, int>, Usage> syscall_usage_;  // (exe path, nr)
  std::map<std::tuple<std::string, int, int>, uint64_t> failure_totals_;    // (exe, nr, errno)
  std::map<std::tuple<std::string, std::string, int>, uint64_t> detailed_failures_;  // (exe, op, errno)
  std::map<std::tuple<std::string, int, bool>, uint64_t> capabilities_;
  std::map<std::string, std::map<std::string, FileAccess>> files_;  // exe -> path -> access
  std::map<std::string, std::optional<FileFacts>> facts_cache_;
  std::map<std::string, std::string> resolved_;  // path -> the file it reaches through symlinks ("" the same)
  uint64_t ready_ns_ = 0, accept_ns_ = 0, recv_ns_ = 0, marker_ns_ = 0;
};


// "127.0.0.1"/"::1"/"/run/x.sock"/"@abstract" and port from raw sockaddr bytes.
struct ParsedAddress {
  int family = -1;
  std::string address;
  int port = 0;
};
ParsedAddress parse_sockaddr(const std::string& raw);

}  // namespace sdh::profile
