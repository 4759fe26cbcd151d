// SPDX-License-Identifier: GPL-2.0-or-later
// Naming the denied operation behind a failure: seccomp kills from the
// kernel's audit lines, failed syscalls from a trace of the service, and the
// journal's error messages. Pure text analysis, unit-tested on samples.
#pragma once

#include <set>
#include <string>
#include <vector>

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

// Operations in `hardened` whose key is absent from `baseline`.
std::vector<DeniedOperation> only_in(const std::vector<DeniedOperation>& hardened,
                                     const std::vector<DeniedOperation>& baseline);

}  // namespace sdh::verify
