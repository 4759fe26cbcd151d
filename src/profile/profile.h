// SPDX-License-Identifier: GPL-2.0-or-later
// Profile: what a service was observed to do, aggregated per executable and
// per phase. Produced by trace/ (through ProfileBuilder), consumed by synth/
// and verify/. Serialised as JSON (schema: docs/profile-schema.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "util/error.h"

namespace sdh::profile {

enum class Phase { startup, serving };
std::string to_string(Phase p);
std::optional<Phase> phase_from_string(const std::string& s);

// How the start-up/serving boundary was found.
enum class PhaseBoundary { none, ready_notify, first_accept, first_recv_after_listen, marker };
std::string to_string(PhaseBoundary b);
std::optional<PhaseBoundary> boundary_from_string(const std::string& s);

// File access kinds, as a bit set.
enum AccessBits : uint32_t {
  kRead = 1u << 0,
  kWrite = 1u << 1,
  kCreate = 1u << 2,
  kDelete = 1u << 3,
  kRename = 1u << 4,
  kExec = 1u << 5,
  kChmod = 1u << 6,
  kChown = 1u << 7,
  kMknod = 1u << 8,
  kList = 1u << 9,   // directory listing (getdents)
  kStat = 1u << 10,  // metadata only
};
std::vector<std::string> access_names(uint32_t bits);
// Inverse of access_names for one name; 0 when unknown.
uint32_t access_bit(const std::string& name);

struct FileAccess {
  std::string path;       // absolute, dirfd and cwd resolved
  uint32_t access = 0;    // AccessBits
  bool is_device = false;
  char device_type = 0;   // 'c' or 'b' when is_device
  uint32_t major = 0, minor = 0;
  uint64_t count = 0;
};

struct SocketUse {
  std::string family;    // "AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", ...
  std::string type;      // "SOCK_STREAM", ...
  int protocol = 0;
  uint64_t count = 0;
};

struct SocketAddressUse {
  std::string op;        // "bind", "connect", "sendto", "listen"
  std::string family;
  std::string address;   // "127.0.0.1", "::1", "/run/foo.sock", "@abstract"
  int port = 0;
  uint64_t count = 0;
};

struct CapabilityCheck {
  std::string capability;  // "CAP_NET_BIND_SERVICE"
  bool granted = false;
  bool inferred = false;   // true when derived from an operation, not cap_capable
  uint64_t count = 0;
};

struct FailedOperation {
  std::string operation;   // syscall name, e.g. "openat"
  int error = 0;           // errno
  std::string detail;      // path, family, ...
  uint64_t count = 0;
};

// Everything observed for one executable (all processes that ran it).
struct ExecutableProfile {
  std::string path;                 // "/usr/sbin/nginx"
  std::string elf_machine;          // "x86-64", "x86", "arm64", ... as SystemCallArchitectures= names them (older profiles: "i386", "aarch64")
  std::string interpreter;          // a script's "#!" program ("/usr/bin/perl"), "" for ELF
  bool setuid_binary = false;       // the file has S_ISUID/S_ISGID
  uint64_t processes = 0;
  std::map<Phase, std::set<std::string>> syscalls;  // names per phase
  std::vector<FileAccess> files;
  std::vector<SocketUse> sockets;
  std::vector<SocketAddressUse> addresses;
  std::vector<CapabilityCheck> capabilities;
  std::vector<FailedOperation> failures;
  bool wx_mapping = false;          // mmap/mprotect with PROT_WRITE|PROT_EXEC
  bool personality_change = false;
  bool realtime_scheduling = false;
  std::set<std::string> namespaces_created;  // "user", "mnt", "net", ... (unshare/clone/setns)
  bool mounts = false;
  bool clock_change = false;
  bool hostname_change = false;
  bool kernel_module = false;
  bool keyring = false;
  bool kernel_log = false;          // syslog(2) or /dev/kmsg
  bool sysv_ipc = false;
  bool setuid_file_created = false; // chmod/mkdir/open with S_ISUID/S_ISGID
  bool uid_change = false;          // setuid/setresuid/... to another user
  bool gid_change = false;
  std::set<uint32_t> uid_targets;   // the users it changed to (successful calls)
  std::set<uint32_t> gid_targets;
  bool exec_setuid = false;         // executed a setuid/setgid binary
  std::vector<int> socket_activation_fds;  // LISTEN_FDS received
  // The programs that started the process trees it ran in: the first
  // program the service manager's child exec'd (one per Exec*= line run),
  // inherited through forks and execs. Tells a unit's start and reload
  // helpers (ExecStartPost=, ExecReload=) apart from the daemon.
  std::set<std::string> started_by;
  // Of those programs, the ones in whose trees a process of this program
  // still held a root user id (real, effective or saved) after start-up,
  // or until it ended when no start-up boundary is known: the service keeps
  // root there. See Profile::credentials_tracked.
  std::set<std::string> root_after_startup;
};

struct Profile {
  int schema_version = 1;
  std::string unit;                 // unit name if profiled as a unit
  std::vector<std::string> command; // argv if profiled as a command
  std::string architecture;         // native arch, e.g. "x86-64"
  std::string tracer;               // "ebpf" or "fake"
  PhaseBoundary boundary = PhaseBoundary::none;
  uint64_t runs = 1;                // number of merged runs
  uint64_t events = 0;              // events seen
  uint64_t lost_events = 0;         // > 0 makes the profile incomplete
  bool complete() const { return lost_events == 0; }
  double duration_seconds = 0;
  // The builder followed every process's user ids (root_after_startup is
  // meaningful); false for profiles written before it did.
  bool credentials_tracked = false;
  std::vector<ExecutableProfile> executables;
};

Result<Profile> profile_from_json(const std::string& text);
std::string profile_to_json(const Profile& p);

// Finds (or adds) the executable with this path.
ExecutableProfile& executable(Profile& p, const std::string& path);

// True for systemd's own child that builds the sandbox and then execs the
// service: it runs in the unit's cgroup, but its operations are not the service's.
bool is_service_manager(const std::string& exe);

// Two spellings of one program: /bin/x is /usr/bin/x on merged-/usr systems,
// and a trace may name either.
bool same_program(const std::string& a, const std::string& b);

// Merges several runs (or several ExecStart processes) into one profile.
Profile merge(const std::vector<Profile>& profiles);

}  // namespace sdh::profile
