// SPDX-License-Identifier: GPL-2.0-or-later
#include "profile/builder.h"
#include "util/linux_names.h"

#include "util/elf_arch.h"
#include "unit/syscalls.h"
#include "unit/versions.h"
#include "util/fs.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include "profile/names.h"
#include "profile/syscall_semantics.h"

namespace sdh::profile {

using trace::TraceEvent;
using trace::TraceEventKind;

namespace {

const std::string kUnknownExe = "(unknown)";

bool is_one_of(const std::string& name, std::initializer_list<const char*> list) {
  for (const char* n : list) {
    if (name == n) return true;
  }
  return false;
}

// Namespace names for CLONE_NEW* bits.
std::vector<std::string> namespace_names(uint64_t flags) {
  std::vector<std::string> out;
  const std::pair<uint64_t, const char*> table[] = {
      {CLONE_NEWCGROUP, "cgroup"}, {CLONE_NEWIPC, "ipc"}, {CLONE_NEWNS, "mnt"},   {CLONE_NEWNET, "net"},
      {CLONE_NEWPID, "pid"},       {0x00000080, "time"},  {CLONE_NEWUSER, "user"}, {CLONE_NEWUTS, "uts"},
  };
  for (const auto& [bit, name] : table) {
    if (flags & bit) out.emplace_back(name);
  }
  return out;
}

uint32_t open_access(uint64_t flags) {
  uint32_t bits = 0;
  if (flags & O_PATH) return kStat;
  switch (flags & O_ACCMODE) {
    case O_RDONLY: bits |= kRead; break;
    case O_WRONLY: bits |= kWrite; break;
    default: bits |= kRead | kWrite;
  }
  if (flags & O_CREAT) bits |= kCreate;
  if (flags & O_TRUNC) bits |= kWrite;
  return bits;
}

// An id argument that really changes something: not -1 ("unchanged") and not the caller's own.
bool changes_id(uint64_t arg, uint32_t current) {
  uint32_t v = static_cast<uint32_t>(arg);
  return v != UINT32_MAX && v != current;
}

// The real, effective and saved user ids after a successful set*uid() call,
// as the kernel changes them (setuid(2), setreuid(2), setresuid(2)); setfsuid
// changes none of the three.
void change_user_ids(std::optional<std::array<uint32_t, 3>>& ids, const std::string& name,
                     const std::array<uint64_t, 6>& a) {
  if (!ids) return;  // nothing known to start from
  auto& [real, effective, saved] = *ids;
  auto given = [&](int i) { return static_cast<uint32_t>(a[i]) != UINT32_MAX; };
  auto id = [&](int i) { return static_cast<uint32_t>(a[i]); };
  if (name == "setuid") {
    if (effective == 0) real = saved = id(0);  // privileged: all three
    effective = id(0);
  } else if (name == "setreuid") {
    uint32_t old_real = real;
    if (given(0)) real = id(0);
    if (given(1)) effective = id(1);
    if (given(0) || (given(1) && id(1) != old_real)) saved = effective;
  } else if (name == "setresuid") {
    if (given(0)) real = id(0);
    if (given(1)) effective = id(1);
    if (given(2)) saved = id(2);
  }
}

}  // namespace

ParsedAddress parse_sockaddr(const std::string& raw) {
  ParsedAddress a;
  if (raw.size() < sizeof(sa_family_t)) return a;
  sa_family_t family;
  std::memcpy(&family, raw.data(), sizeof(family));
  a.family = family;
  char text[INET6_ADDRSTRLEN] = {};
  if (family == AF_INET && raw.size() >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, raw.data(), sizeof(in));
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    a.address = text;
    a.port = ntohs(in.sin_port);
  } else if (family == AF_INET6 && raw.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6;
    std::memcpy(&in6, raw.data(), sizeof(in6));
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
    a.address = text;
    a.port = ntohs(in6.sin6_port);
  } else if (family == AF_UNIX) {
    std::string path = raw.substr(offsetof(sockaddr_un, sun_path));
    if (!path.empty() && path[0] == '\0') {
      // Abstract: the name is every byte given, NULs included.
      a.address = "@" + path.substr(1);
      while (!a.address.empty() && a.address.back() == '\0') a.address.pop_back();
    } else {
      a.address = path.substr(0, path.find('\0'));
    }
  }
  return a;
}

void ProfileBuilder::set_initial_cwd(int pid, std::string cwd) { processes_[pid].cwd = std::move(cwd); }

const std::string& ProfileBuilder::exe_path(uint64_t key) const {
  auto it = exe_paths_.find(key);
  return it == exe_paths_.end() ? kUnknownExe : it->second;
}

ExecutableProfile* ProfileBuilder::exe_for(uint64_t key) {
  if (key == 0) return nullptr;  // the launcher before exec: not the traced program
  const std::string& path = exe_path(key);
  auto& e = exes_[path];
  e.path = path;
  return &e;
}

std::string ProfileBuilder::resolve(const Process& p, int dirfd, const std::string& path,
                                    const std::string& fd_path) const {
  if (!path.empty() && path[0] == '/') return own_proc_as_self(p.pid, normalize_path(path));
  std::string base;
  if (dirfd == AT_FDCWD) {
    base = p.cwd;
  } else if (auto it = p.fds.find(dirfd); it != p.fds.end()) {
    base = it->second;
  } else {
    base = fd_path;
  }
  if (base.empty() || base[0] != '/') return path.empty() ? "" : "?/" + path;  // unknown base: say so
  return own_proc_as_self(p.pid, path.empty() ? base : normalize_path(base + "/" + path));
}

std::string ProfileBuilder::own_proc_as_self(int pid, const std::string& path) const {
  if (pid <= 0 || path.rfind("/proc/", 0) != 0) return path;
  size_t end = path.find('/', 6);
  std::string first = path.substr(6, end == std::string::npos ? std::string::npos : end - 6);
  if (first.empty() || first.size() > 9 || first.find_first_not_of("0123456789") != std::string::npos) return path;
  int n = std::atoi(first.c_str());
  auto ns = ns_pids_.find(pid);
  if (n != pid && (ns == ns_pids_.end() || n != ns->second)) return path;
  return "/proc/self" + (end == std::string::npos ? std::string() : path.substr(end));
}

void ProfileBuilder::touch(ExecutableProfile& exe, const std::string& path, uint32_t access, uint64_t times) {
  if (path.empty()) return;
  auto& f = files_[exe.path][path];
  f.path = path;
  f.access |= access;
  bool first = f.count == 0;
  f.count += times;
  if (first && path[0] == '/') {
    auto cached = facts_cache_.find(path);
    if (cached == facts_cache_.end()) cached = facts_cache_.emplace(path, inspector_.inspect(path)).first;
    if (cached->second && cached->second->is_device) {
      f.is_device = true;
      f.device_type = cached->second->device_type;
      f.major = cached->second->major;
      f.minor = cached->second->minor;
    }
  }
  if (path == "/dev/kmsg") exe.kernel_log = true;
  // Through a symlink the kernel reached another file: that one is what the
  // sandbox must let through ("/etc/exim4/private/key" in /etc/ssl/private).
  if (path[0] == '/') {
    auto known = resolved_.find(path);
    if (known == resolved_.end()) known = resolved_.emplace(path, inspector_.resolve(path)).first;
    const std::string target = known->second;
    if (!target.empty() && target[0] == '/' && target != path) {
      resolved_[target] = "";  // followed once: never again (a link swapped back cannot loop)
      touch(exe, target, access, times);
    }
  }
}

void ProfileBuilder::add_address(ExecutableProfile& exe, const std::string& op, const std::string& raw,
                                 uint64_t time_ns, const std::string& payload, uint64_t times) {
  ParsedAddress a = parse_sockaddr(raw);
  if (a.family < 0) return;
  SocketAddressUse use{op, address_family_name(a.family), a.address, a.port, times};
  auto it = std::find_if(exe.addresses.begin(), exe.addresses.end(), [&](const SocketAddressUse& x) {
    return x.op == use.op && x.family == use.family && x.address == use.address && x.port == use.port;
  });
  if (it == exe.addresses.end()) {
    exe.addresses.push_back(use);
  } else {
    it->count += times;
  }
  // sd_notify: a datagram to an AF_UNIX address carrying a READY=1 line.
  if (a.family == AF_UNIX && (payload.rfind("READY=1", 0) == 0 || payload.find("\nREADY=1") != std::string::npos)) {
    if (ready_ns_ == 0 || time_ns < ready_ns_) ready_ns_ = time_ns;
  }
}

void ProfileBuilder::add_failure(ExecutableProfile& exe, const std::string& op, int error, const std::string& detail,
                                 uint64_t times) {
  auto it = std::find_if(exe.failures.begin(), exe.failures.end(), [&](const FailedOperation& f) {
    return f.operation == op && f.error == error && f.detail == detail;
  });
  if (it == exe.failures.end()) {
    exe.failures.push_back({op, error, detail, times});
  } else {
    it->count += times;
  }
  detailed_failures_[{exe.path, op, error}] += times;
}

void ProfileBuilder::on_exec(const TraceEvent& e) {
  Process& proc = processes_[e.pid];
  proc.pid = e.pid;
  if (!e.cwd.empty()) proc.cwd = e.cwd;
  std::string path = e.exe_path;
  if (path.empty()) path = kUnknownExe;
  if (path[0] != '/' && path != kUnknownExe) path = resolve(proc, AT_FDCWD, path, "");
  uint64_t old_key = proc.exe_key;
  // The manager's child (not exec'd yet, or still systemd) execs the
  // command line's program: that program starts the tree.
  if (proc.origin.empty() || old_key == 0 || is_service_manager(exe_path(old_key))) proc.origin = path;
  exe_paths_[e.exe_key] = path;
  proc.exe_key = e.exe_key;
  ExecutableProfile* exe = exe_for(e.exe_key);
  exe->processes++;
  if (!is_service_manager(path)) exe->started_by.insert(proc.origin);
  if (exe->elf_machine.empty()) exe->elf_machine = inspector_.elf_machine(path);
  if (exe->interpreter.empty()) exe->interpreter = inspector_.interpreter(path);
  auto facts = inspector_.inspect(path);
  if (facts && facts->setid) {
    exe->setuid_binary = true;
    if (ExecutableProfile* caller = exe_for(old_key)) caller->exec_setuid = true;
  }
  if (ExecutableProfile* caller = exe_for(old_key)) touch(*caller, path, kExec);
  if (!e.environ_listen_fds.empty()) {
    int n = std::atoi(e.environ_listen_fds.c_str());
    for (int fd = 3; fd < 3 + n && fd < 3 + 1024; ++fd) {
      if (std::find(exe->socket_activation_fds.begin(), exe->socket_activation_fds.end(), fd) ==
          exe->socket_activation_fds.end())
        exe->socket_activation_fds.push_back(fd);
    }
  }
}

void ProfileBuilder::add(const TraceEvent& e) {
  if (e.ns_pid > 0) ns_pids_[e.kind == TraceEventKind::fork ? e.child_pid : e.pid] = e.ns_pid;
  switch (e.kind) {
    case TraceEventKind::exec:
      on_exec(e);
      remember_credentials(e);
      break;
    case TraceEventKind::discover: {
      Process& proc = processes_[e.pid];
      proc.pid = e.pid;
      proc.cwd = e.cwd;
      proc.exe_key = e.exe_key;
      exe_paths_[e.exe_key] = e.exe_path.empty() ? kUnknownExe : e.exe_path;
      ExecutableProfile* exe = exe_for(e.exe_key);
      exe->processes++;
      // Met already running: its own program is all we know of its tree.
      if (!is_service_manager(exe->path)) {
        if (proc.origin.empty()) proc.origin = exe->path;
        exe->started_by.insert(proc.origin);
      }
      if (exe->elf_machine.empty()) exe->elf_machine = inspector_.elf_machine(exe->path);
      break;
    }
    case TraceEventKind::fork: {
      Process child = processes_[e.pid];
      child.pid = e.child_pid;
      processes_[e.child_pid] = std::move(child);
      break;
    }
    case TraceEventKind::exit:
      if (auto it = processes_.find(e.pid); it != processes_.end()) {
        endings_.push_back(ending_of(it->second, e.time_ns ? e.time_ns : UINT64_MAX));
        processes_.erase(it);
      }
      break;
    case TraceEventKind::syscall:
      on_syscall(e);
      remember_credentials(e);
      break;
    case TraceEventKind::syscall_usage: {
      if (e.exe_key == 0) break;
      auto& u = syscall_usage_[{exe_path(e.exe_key), e.nr}];
      u.count += e.count;
      u.first_ns = std::min(u.first_ns, e.first_ns);
      u.last_ns = std::max(u.last_ns, e.last_ns);
      exe_for(e.exe_key);
      break;
    }
    case TraceEventKind::failure_usage:
      if (e.exe_key == 0) break;
      failure_totals_[{exe_path(e.exe_key), e.nr, e.error}] += e.count;
      exe_for(e.exe_key);
      break;
    case TraceEventKind::capability:
      if (e.exe_key == 0) break;
      capabilities_[{exe_path(e.exe_key), e.capability, e.granted}] += e.count;
      exe_for(e.exe_key);
      break;
    case TraceEventKind::boundary_hint:
      if (e.hint == 1 && (accept_ns_ == 0 || e.time_ns < accept_ns_)) accept_ns_ = e.time_ns;
      if (e.hint == 2 && (recv_ns_ == 0 || e.time_ns < recv_ns_)) recv_ns_ = e.time_ns;
      break;
    case TraceEventKind::marker:
      if (marker_ns_ == 0 || e.time_ns < marker_ns_) marker_ns_ = e.time_ns;
      break;
  }
}

void ProfileBuilder::remember_credentials(const TraceEvent& e) {
  auto it = processes_.find(e.pid);
  if (it == processes_.end()) return;
  it->second.uid = e.uid;
  it->second.gid = e.gid;
  // Records carry the real id; the effective and saved ones follow the
  // set*uid() calls (on_syscall), or equal it until one is seen.
  auto& ids = it->second.uids;
  if (!ids) ids = std::array<uint32_t, 3>{e.uid, e.uid, e.uid};
  else (*ids)[0] = e.uid;
}

ProfileBuilder::Ending ProfileBuilder::ending_of(const Process& p, uint64_t time_ns) const {
  Ending end;
  end.exe = p.exe_key ? exe_path(p.exe_key) : std::string();
  end.origin = p.origin;
  // Unknown ids count as root: nothing showed the process gave it up.
  end.holds_root = !p.uids || std::find(p.uids->begin(), p.uids->end(), 0u) != p.uids->end();
  end.time_ns = time_ns;
  return end;
}

void ProfileBuilder::on_syscall(const TraceEvent& e) {
  ExecutableProfile* exe = exe_for(e.exe_key);
  if (!exe) return;
  // Repeats of a syscall (count != 0) are reported at the end, when their
  // process may be gone: they must not bring it back (their path is absolute
  // or they name an address, so nothing of the process is needed).
  const uint64_t times = e.count != 0 ? e.count : 1;
  Process gone;
  auto known = processes_.find(e.pid);
  Process& proc = known != processes_.end() ? known->second : e.count != 0 ? gone : processes_[e.pid];
  proc.pid = e.pid;
  const std::string name = syscall_name(e.nr);
  const auto& a = e.args;
  const bool ok = !e.has_result || e.result >= 0;
  const int error = e.has_result && e.result < 0 ? static_cast<int>(-e.result) : 0;
  auto dirfd = [&](int i) { return static_cast<int>(static_cast<int32_t>(a[i])); };

  std::string path;   // main object, absolute
  std::string path2;  // second object
  uint32_t access = 0, access2 = 0;
  std::string detail;

  // What it does to the files it names: bpf/syscall_semantics.def.
  const SyscallSemantics* sem = syscall_semantics(name);
  const sdh_access kind = sem ? sem->access : SDH_ACCESS_NONE;
  if (kind != SDH_ACCESS_NONE) {
    auto base = [&](int fd_arg) { return fd_arg >= 0 ? dirfd(fd_arg) : AT_FDCWD; };
    const std::string first = sem->path >= 0 ? e.path : std::string();
    const bool setuid_mode = sem->mode >= 0 && (a[sem->mode] & (S_ISUID | S_ISGID));
    // The fd the tracer resolved is the one of the first path.
    if (sem->path >= 0 || sem->fd >= 0) path = resolve(proc, base(sem->fd), first, e.fd_path);
    if (sem->path2 >= 0) path2 = resolve(proc, base(sem->fd2), e.path2, "");
    switch (kind) {
      case SDH_ACCESS_OPEN:
      case SDH_ACCESS_CREAT: {
        uint64_t flags = kind == SDH_ACCESS_CREAT ? (O_CREAT | O_WRONLY | O_TRUNC) : a[sem->path + 1];
        access = open_access(flags);
        if ((flags & O_CREAT) && setuid_mode) exe->setuid_file_created = true;
        if (ok && e.has_result && !path.empty()) proc.fds[static_cast<int>(e.result)] = path;
        break;
      }
      case SDH_ACCESS_STAT: access = kStat; break;
      case SDH_ACCESS_CREATE: access = kCreate; break;
      case SDH_ACCESS_DELETE: access = kDelete; break;
      case SDH_ACCESS_CHMOD:
        access = kChmod;
        if (setuid_mode) exe->setuid_file_created = true;
        break;
      case SDH_ACCESS_CHOWN: access = kChown; break;
      case SDH_ACCESS_MKNOD:
        access = kMknod | kCreate;
        if (setuid_mode) exe->setuid_file_created = true;
        break;
      case SDH_ACCESS_WRITE: access = kWrite; break;
      case SDH_ACCESS_RENAME: access = access2 = kRename; break;
      case SDH_ACCESS_LINK:
        access = kRead;
        access2 = kCreate;
        break;
      case SDH_ACCESS_SYMLINK:
        path.clear();  // the link's text, not a file it uses
        access2 = kCreate;
        break;
      case SDH_ACCESS_EXEC:
        // Success is reported by the exec event; only the failure is news here.
        if (!ok) detail = path;
        path.clear();
        break;
      case SDH_ACCESS_CHDIR:
        access = kStat;
        if (ok && !path.empty() && path[0] == '/') proc.cwd = path;
        break;
      case SDH_ACCESS_LIST: access = kList; break;
      case SDH_ACCESS_MOUNT:
        exe->mounts = true;
        detail = e.path.empty() ? std::string() : path;
        path.clear();
        path2.clear();
        break;
      case SDH_ACCESS_NONE: break;
    }
  } else if (name == "socket" || name == "socketpair") {
    SocketUse use{address_family_name(static_cast<int>(a[0])), socket_type_name(static_cast<int>(a[1])),
                  static_cast<int>(a[2]), 1};
    auto it = std::find_if(exe->sockets.begin(), exe->sockets.end(), [&](const SocketUse& s) {
      return s.family == use.family && s.type == use.type && s.protocol == use.protocol;
    });
    if (it == exe->sockets.end()) {
      exe->sockets.push_back(use);
    } else {
      it->count += times;
    }
    if (name == "socket" && ok && e.has_result) proc.socket_family[static_cast<int>(e.result)] = static_cast<int>(a[0]);
    detail = use.family;
  } else if (is_one_of(name, {"bind", "connect", "sendto", "sendmsg"})) {
    std::string op = name == "sendmsg" ? "sendto" : name;
    add_address(*exe, op, e.sockaddr, e.time_ns, e.payload, times);
    if (name == "bind" && ok) proc.bound[dirfd(0)] = e.sockaddr;
    ParsedAddress pa = parse_sockaddr(e.sockaddr);
    detail = pa.address + (pa.port ? ":" + std::to_string(pa.port) : "");
  } else if (name == "listen") {
    auto it = proc.bound.find(dirfd(0));
    if (it != proc.bound.end()) {
      add_address(*exe, "listen", it->second, e.time_ns, "");
    } else {
      auto fam = proc.socket_family.find(dirfd(0));
      std::string family = fam == proc.socket_family.end() ? "" : address_family_name(fam->second);
      exe->addresses.push_back({"listen", family, "", 0, 1});
    }
  } else if (is_one_of(name, {"mmap", "mprotect", "pkey_mprotect"})) {
    exe->wx_mapping = true;  // the kernel side sends only PROT_WRITE|PROT_EXEC
  } else if (name == "clone" || name == "unshare") {
    for (auto& ns : namespace_names(a[0])) exe->namespaces_created.insert(ns);
  } else if (name == "clone3") {
    // The kernel side sent it because its flags create namespaces; the flags
    // themselves are behind a pointer, so fall back to "unknown" when absent.
    auto names = namespace_names(a[2]);
    if (names.empty()) exe->namespaces_created.insert("unknown");
    for (auto& ns : names) exe->namespaces_created.insert(ns);
  } else if (name == "setns") {
    // /proc/PID/fd/N of a namespace fd reads "net:[4026531840]".
    std::string kind = e.fd_path.substr(0, e.fd_path.find(':'));
    auto names = namespace_names(a[1]);
    if (!kind.empty() && kind.find('/') == std::string::npos) names.push_back(kind);
    if (names.empty()) names.push_back("unknown");
    for (auto& ns : names) exe->namespaces_created.insert(ns);
  } else if (name == "personality") {
    exe->personality_change = true;
  } else if (name == "sched_setscheduler" || name == "sched_setattr") {
    exe->realtime_scheduling = true;
  } else if (is_one_of(name, {"setuid", "setreuid", "setresuid", "setfsuid"})) {
    int n = name == "setresuid" ? 3 : name == "setreuid" ? 2 : 1;
    for (int i = 0; i < n; ++i) {
      if (!ok || !changes_id(a[i], proc.uid.value_or(e.uid))) continue;
      exe->uid_change = true;
      exe->uid_targets.insert(static_cast<uint32_t>(a[i]));
    }
    if (ok) change_user_ids(proc.uids, name, a);
  } else if (is_one_of(name, {"setgid", "setregid", "setresgid", "setfsgid"})) {
    int n = name == "setresgid" ? 3 : name == "setregid" ? 2 : 1;
    for (int i = 0; i < n; ++i) {
      if (!ok || !changes_id(a[i], proc.gid.value_or(e.gid))) continue;
      exe->gid_change = true;
      exe->gid_targets.insert(static_cast<uint32_t>(a[i]));
    }
  }

  if (ok) {
    touch(*exe, path, access, times);
    touch(*exe, path2, access2, times);
  } else {
    if (detail.empty()) detail = path.empty() ? path2 : path;
    add_failure(*exe, name, error, detail, times);
  }
}

Profile ProfileBuilder::build() const {
  Profile p;
  p.architecture = sdh::native_architecture();
  uint64_t boundary_ns = 0;
  if (marker_ns_) {
    p.boundary = PhaseBoundary::marker;
    boundary_ns = marker_ns_;
  } else if (ready_ns_) {
    p.boundary = PhaseBoundary::ready_notify;
    boundary_ns = ready_ns_;
  } else if (accept_ns_) {
    p.boundary = PhaseBoundary::first_accept;
    boundary_ns = accept_ns_;
  } else if (recv_ns_) {
    p.boundary = PhaseBoundary::first_recv_after_listen;
    boundary_ns = recv_ns_;
  }

  std::map<std::string, ExecutableProfile> exes = exes_;
  for (const auto& [key, usage] : syscall_usage_) {
    auto& e = exes[key.first];
    e.path = key.first;
    std::string name = syscall_name(key.second);
    if (boundary_ns == 0 || usage.first_ns < boundary_ns) e.syscalls[Phase::startup].insert(name);
    if (boundary_ns != 0 && usage.last_ns >= boundary_ns) e.syscalls[Phase::serving].insert(name);
  }
  // Aggregated failures not already reported with their detail.
  for (const auto& [key, total] : failure_totals_) {
    const auto& [path, nr, error] = key;
    std::string op = syscall_name(nr);
    auto it = detailed_failures_.find({path, op, error});
    uint64_t detailed = it == detailed_failures_.end() ? 0 : it->second;
    if (total > detailed) exes[path].failures.push_back({op, error, "", total - detailed});
  }
  for (const auto& [key, n] : capabilities_) {
    const auto& [path, cap, granted] = key;
    exes[path].capabilities.push_back({sdh::capability_text(cap), granted, false, n});
  }
  for (const auto& [exe_path, files] : files_) {
    for (const auto& [path, f] : files) exes[exe_path].files.push_back(f);
  }

  // A process of the service that still held a root user id after start-up
  // (or, with no boundary known, at any time it ended or the trace did).
  p.credentials_tracked = true;
  std::vector<Ending> endings = endings_;
  for (const auto& [pid, proc] : processes_) endings.push_back(ending_of(proc, UINT64_MAX));
  for (const auto& end : endings) {
    if (!end.holds_root || end.exe.empty() || end.exe == kUnknownExe || is_service_manager(end.exe)) continue;
    if (boundary_ns != 0 && end.time_ns < boundary_ns) continue;
    auto& e = exes[end.exe];
    e.path = end.exe;
    e.root_after_startup.insert(end.origin.empty() ? end.exe : end.origin);
  }

  for (auto& entry : exes) {
    // Named references, not a structured binding: the lambdas below capture
    // it, which clang before 16 refuses for bindings.
    ExecutableProfile& e = entry.second;
    std::set<std::string> all;
    for (const auto& [phase, names] : e.syscalls) all.insert(names.begin(), names.end());
    auto used = [&](std::initializer_list<const char*> names) {
      for (const char* n : names) {
        if (all.count(n)) return true;
      }
      return false;
    };
    // What systemd's own groups say a call does (the newest release's table).
    auto in_group = [&](const char* group) {
      const auto* members = unit::syscall_group(unit::newest_release(), group);
      return members && std::any_of(members->begin(), members->end(),
                                    [&](const std::string& n) { return all.count(n) > 0; });
    };
    e.clock_change |= in_group("@clock");
    e.hostname_change |= used({"sethostname", "setdomainname"});
    e.kernel_module |= in_group("@module");
    e.keyring |= used({"add_key", "request_key", "keyctl"});
    e.kernel_log |= used({"syslog"});
    e.sysv_ipc |= used({"shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semctl", "semtimedop", "msgget",
                        "msgsnd", "msgrcv", "msgctl", "ipc"});
    // Not @mount: that group holds chroot too, which is no mount (a daemon
    // that chroots keeps its mount namespace rules).
    e.mounts |= used({"mount", "umount2", "pivot_root", "fsmount", "move_mount", "open_tree", "mount_setattr"});
    if (infer_capabilities_ && e.capabilities.empty()) {
      auto infer = [&](bool cond, const char* cap) {
        if (cond) e.capabilities.push_back({cap, true, true, 1});
      };
      bool low_port = std::any_of(e.addresses.begin(), e.addresses.end(), [](const SocketAddressUse& a) {
        return a.op == "bind" && a.port > 0 && a.port < 1024;
      });
      bool raw = std::any_of(e.sockets.begin(), e.sockets.end(),
                             [](const SocketUse& s) { return s.type == "SOCK_RAW" || s.family == "AF_PACKET"; });
      bool chown = std::any_of(e.files.begin(), e.files.end(), [](const FileAccess& f) { return f.access & kChown; });
      bool mknod = std::any_of(e.files.begin(), e.files.end(), [](const FileAccess& f) { return f.access & kMknod; });
      infer(low_port, "CAP_NET_BIND_SERVICE");
      infer(raw, "CAP_NET_RAW");
      infer(e.uid_change, "CAP_SETUID");
      infer(e.gid_change, "CAP_SETGID");
      infer(chown, "CAP_CHOWN");
      infer(mknod, "CAP_MKNOD");
      infer(e.mounts || !e.namespaces_created.empty(), "CAP_SYS_ADMIN");
      infer(e.clock_change, "CAP_SYS_TIME");
      infer(e.realtime_scheduling, "CAP_SYS_NICE");
      infer(e.kernel_module, "CAP_SYS_MODULE");
      infer(used({"chroot"}), "CAP_SYS_CHROOT");
    }
    std::sort(e.socket_activation_fds.begin(), e.socket_activation_fds.end());
    p.executables.push_back(e);
  }
  return p;
}

}  // namespace sdh::profile
