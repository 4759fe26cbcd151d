// SPDX-License-Identifier: GPL-2.0-or-later
// The narrowest grant for a verified failure. When a drop-in breaks the
// service, bisection names the directive(s) and the diagnosis the denied
// operation; an expert then grants that one operation (a path, a syscall, a
// family, a capability, a device, a namespace) and keeps the rest of the
// directive. Only when no narrower grant exists, or it was tried and the
// service still fails, is the directive stepped down (strict -> full), and
// removing it whole is the last resort. Pure: the rules read the plan and
// the denial, nothing else.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "synth/synth.h"

namespace sdh::synth {

// A denied operation as the diagnosis names it (plain value; verify/ fills
// it from strace lines, seccomp audit records or the journal).
struct Denial {
  std::string syscall;  // "openat", "socket"; "" when only the journal told
  std::string path;     // first path argument, if any
  std::string family;   // "AF_INET6" for socket()
  std::string error;    // "EROFS", "EACCES", "EPERM", "EAFNOSUPPORT", "SIGSYS"
  std::string text;     // the operation as diagnosed: "openat(AT_FDCWD, \"/run/x\", O_CREAT...)"
};

enum class GrantKind {
  path,
  managed_directory,
  syscall,
  family,
  capability,
  device,
  namespace_type,
  entry,  // one entry of a list no longer listed (InaccessiblePaths=-/etc/ssl/private)
  step_down,
  remove
};
std::string to_string(GrantKind kind);

// One change to the plan, in relax()'s terms: "ReadWritePaths=/run/x",
// "SystemCallFilter=ptrace", "ProtectSystem" (step down or remove).
struct Grant {
  std::string relax;  // argument for relax()
  GrantKind kind = GrantKind::remove;
  std::string evidence;  // "openat(\"/run/x/pid\") -> EROFS under ProtectSystem=strict"
};

// The narrowest change that lets the denied operations through, for the
// culprit directive keys bisection found. `tried`: relax() arguments already
// applied for earlier failures; a grant that was tried and did not help is
// not offered again, and the directive is stepped down instead (then removed).
// Always returns at least one grant per culprit key the plan holds.
std::vector<Grant> narrowest_grants(const HardeningPlan& plan, const std::vector<std::string>& culprit_keys,
                                    const std::vector<Denial>& denials, const std::set<std::string>& tried);

// For culprits bisection narrowed to entries of a list whose entries
// restrict one by one (unit::entries_restrict), the entries to stop listing,
// as relax() arguments ("InaccessiblePaths=-/etc/ssl/private"); only where
// the plan's list holds more than those entries (else the list goes whole,
// through narrowest_grants).
std::vector<Grant> entry_grants(const HardeningPlan& plan,
                                const std::vector<std::pair<std::string, std::string>>& culprit_entries,
                                const std::string& evidence);

// One step looser for a graded setting ("strict" -> "full"); "" when the
// only looser thing is not to set it.
std::string looser_value(const std::string& key, const std::string& value);

// The capability the kernel checks before it lets `syscall` through for a
// process that lacks the right by ownership; "" when none is typical.
std::string capability_for(const Denial& denial);

}  // namespace sdh::synth
