// SPDX-License-Identifier: GPL-2.0-or-later
// Evidence: the facts of a Profile that the knowledge base reasons about,
// digested once (unions over executables and runs) and phrased for comments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "profile/profile.h"
#include "unit/semantics.h"
#include "util/fs.h"

namespace sdh::synth {

// Who did something, and how often.
struct Witness {
  std::set<std::string> executables;
  uint64_t count = 0;
};

struct PathUse {
  std::string path;
  uint32_t access = 0;  // profile::AccessBits, all executables
  uint64_t count = 0;
  std::set<std::string> executables;
  bool is_device = false;
  char device_type = 0;
  bool is_socket = false;  // a UNIX socket bound on this path
};

struct AddressUse {
  std::string op, family, address, executable;
  int port = 0;
  uint64_t count = 0;
};

struct Evidence {
  uint64_t runs = 0, events = 0, lost_events = 0;
  std::string architecture;  // native, as the profile names it
  std::set<std::string> executables;
  // Executables whose operations do not count, with why (systemd's own
  // pre-exec child, which sets up the sandbox before the service runs).
  std::map<std::string, std::string> ignored_executables;

  std::set<std::string> syscalls_all, syscalls_startup, syscalls_serving;
  std::map<std::string, Witness> families;      // socket() calls per family
  std::vector<AddressUse> addresses;
  std::map<std::string, PathUse> paths;         // by path
  std::map<std::string, Witness> capabilities;  // checks seen (granted or inferred)
  // Checks that do not show a need, with why ("CAP_SYS_ADMIN" -> reason).
  std::map<std::string, std::string> ignored_capabilities;
  std::map<std::string, Witness> flags;         // "wx_mapping", "mounts", ... -> who
  std::map<std::string, Witness> namespaces;    // "user", "net", ...
  std::map<std::string, std::string> machines;  // executable -> ELF machine
  std::map<std::string, std::string> interpreters;  // script -> its "#!" program
  std::set<std::string> setuid_executables;     // setuid/setgid binaries that ran
  std::set<uint32_t> uid_targets, gid_targets;  // ids the daemon changed to itself
  // Programs that started a process tree in which something still held a
  // root user id after start-up -> those executables; known only when the
  // profile tracked credentials.
  std::map<std::string, std::set<std::string>> root_after_startup;
  bool credentials_tracked = false;
  bool socket_activated = false;                // LISTEN_FDS seen
  std::map<std::string, std::string> nss_modules;  // "ldap" -> library path
  std::set<std::string> pam_files;
  std::map<std::string, std::string> jit_libraries;  // library path -> engine
  // What the daemon used that no unit file can name: paths with a control
  // character, bytes that are not UTF-8 or not in canonical form, IP peers
  // that are not addresses, system calls no table knows. Shown escaped, with
  // why; left out of the evidence, so nothing grants them.
  std::map<std::string, std::string> unnameable;

  // "3 runs, 41,213 events"
  std::string scope() const;
  // Paths whose access has any of `bits`, under `prefix` (prefix itself included).
  std::vector<const PathUse*> paths_under(const std::string& prefix, uint32_t bits) const;
  bool flag(const std::string& name) const { return flags.count(name) > 0; }
};

Evidence digest(const profile::Profile& profile);

// Write-like access bits (anything that needs a writable mount).
constexpr uint32_t kWriteBits = profile::kWrite | profile::kCreate | profile::kDelete | profile::kRename |
                                profile::kChmod | profile::kChown | profile::kMknod;

// True for a non-empty run of decimal digits (a /proc/PID entry, a numeric id).
bool is_pid_name(const std::string& component);
// Folders every package writes into (/etc, /var, /var/lib, /run...): no
// grant opens one whole, since that grants all the others' files too
// (unit/semantics.h).
using unit::shared_folder;
// "41,213"
std::string thousands(uint64_t n);
// "/usr/sbin/foo" or "/usr/sbin/foo and 2 others"
std::string who(const std::set<std::string>& executables);
// systemd's architecture name for an ELF machine ("i386" -> "x86").
std::string systemd_arch(const std::string& elf_machine);
// Device nodes every service may use (PrivateDevices= provides them).
bool is_pseudo_device(const std::string& path);

}  // namespace sdh::synth
