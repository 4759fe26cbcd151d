// SPDX-License-Identifier: GPL-2.0-or-later
// Naming the denied operation behind a failure: seccomp kills from the
// kernel's audit lines, failed syscalls from a trace of the service, and the
// journal's error messages. Pure text analysis, unit-tested on samples.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "profile/profile.h"

namespace sdh::verify {

struct DeniedOperation {
  std::string operation;  // "socket(AF_INET, SOCK_STREAM...)", "syscall ptrace"
  std::string error;      // "EAFNOSUPPORT", "SIGSYS"
  std::string source;     // "trace", "kernel audit", "journal"
  std::string evidence;   // the line it came from
  // What the operation touched, when the source tells (empty otherwise):
  std::string syscall;    // "openat"
  std::string path;       // its first path argument, "/run/x/y.pid"
  std::string family;     // "AF_INET6" (socket())
  std::string key() const { return operation + " " + error; }
};

// Fills syscall, path and family of `op` from its operation text
// ("openat(AT_FDCWD, \"/run/x\", O_WRONLY|O_CREAT, 0644)", "bind(3, {sa_family=AF_UNIX, sun_path=\"/run/s\"}, 110)").
void fill_operands(DeniedOperation& op);

// "audit: type=1326 ... sig=31 ... syscall=41 ..." lines: seccomp kills.
std::vector<DeniedOperation> seccomp_kills(const std::string& kernel_log);

// strace -f output: calls that failed with a permission-like errno and
// processes killed by SIGSYS (with the call they were in).
std::vector<DeniedOperation> traced_denials(const std::string& strace_output);

// Journal lines that look like a refusal (permission, family, read-only...).
std::vector<DeniedOperation> journal_denials(const std::string& journal);

// The daemon's own last words under the culprit that it never said without
// it: journal lines of the service's processes (not systemd's), compared
// without their time and PID prefix, the last `limit` of them. What names a
// failure no refusal explains ("Interface \"eth0\" not available").
std::vector<DeniedOperation> journal_words(const std::string& culprit_journal, const std::string& baseline_journal,
                                           size_t limit = 2);

// Operations in `hardened` whose key is absent from `baseline`.
std::vector<DeniedOperation> only_in(const std::vector<DeniedOperation>& hardened,
                                     const std::vector<DeniedOperation>& baseline);

// Whether a refused `op` is one its caller falls back from by design, and
// what it does instead ("" when it is not): setsockopt(SO_SNDBUFFORCE) ->
// EPERM goes on with SO_SNDBUF (socket(7)); clone3 -> ENOSYS goes on with
// clone (glibc). Such a refusal costs the service nothing: it is never a
// culprit, however early it shows.
std::string documented_fallback(const DeniedOperation& op);

// `denied` without its documented fallbacks; those go to `set_aside`.
std::vector<DeniedOperation> without_fallbacks(std::vector<DeniedOperation> denied,
                                               std::vector<DeniedOperation>& set_aside);

// Where the verifying host differs from this machine, read from the profile
// of a run of the unit that failed without any drop-in: calls that found no
// one to talk to (ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL,
// ETIMEDOUT on connect/sendto/bind), and paths missing there (ENOENT, ENXIO,
// ENODEV) that `on_machine` finds here (null: paths not compared). At most
// `limit` clues, then "and N more"; systemd's own set-up left out.
std::vector<std::string> environment_clues(const profile::Profile& failed_run,
                                           const std::function<bool(const std::string&)>& on_machine,
                                           size_t limit = 6);

}  // namespace sdh::verify
