#include "verify/diagnose.h"

#include <sys/syscall.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <sstream>

namespace sdh::verify {

namespace {

struct SyscallEntry {
  long number;
  const char* name;
};

// The syscalls daemons most often trip over; numbers from <sys/syscall.h>
// so they are right for the architecture sdharden was built for.
const SyscallEntry kSyscalls[] = {
    {SYS_read, "read"}, {SYS_write, "write"}, {SYS_open, "open"}, {SYS_openat, "openat"},
    {SYS_close, "close"}, {SYS_mmap, "mmap"}, {SYS_mprotect, "mprotect"}, {SYS_ioctl, "ioctl"},
    {SYS_socket, "socket"}, {SYS_connect, "connect"}, {SYS_bind, "bind"}, {SYS_listen, "listen"},
    {SYS_accept, "accept"}, {SYS_accept4, "accept4"}, {SYS_sendto, "sendto"}, {SYS_recvfrom, "recvfrom"},
    {SYS_socketpair, "socketpair"}, {SYS_setsockopt, "setsockopt"}, {SYS_clone, "clone"},
    {SYS_clone3, "clone3"}, {SYS_fork, "fork"}, {SYS_vfork, "vfork"}, {SYS_execve, "execve"},
    {SYS_execveat, "execveat"}, {SYS_kill, "kill"}, {SYS_ptrace, "ptrace"}, {SYS_mount, "mount"},
    {SYS_umount2, "umount2"}, {SYS_pivot_root, "pivot_root"}, {SYS_chroot, "chroot"},
    {SYS_unshare, "unshare"}, {SYS_setns, "setns"}, {SYS_reboot, "reboot"}, {SYS_swapon, "swapon"},
    {SYS_swapoff, "swapoff"}, {SYS_init_module, "init_module"}, {SYS_finit_module, "finit_module"},
    {SYS_delete_module, "delete_module"}, {SYS_kexec_load, "kexec_load"}, {SYS_personality, "personality"},
    {SYS_setuid, "setuid"}, {SYS_setgid, "setgid"}, {SYS_setresuid, "setresuid"},
    {SYS_setresgid, "setresgid"}, {SYS_setgroups, "setgroups"}, {SYS_capset, "capset"},
    {SYS_prctl, "prctl"}, {SYS_arch_prctl, "arch_prctl"}, {SYS_sethostname, "sethostname"},
    {SYS_setdomainname, "setdomainname"}, {SYS_settimeofday, "settimeofday"},
    {SYS_clock_settime, "clock_settime"}, {SYS_adjtimex, "adjtimex"}, {SYS_clock_adjtime, "clock_adjtime"},
    {SYS_syslog, "syslog"}, {SYS_acct, "acct"}, {SYS_perf_event_open, "perf_event_open"},
    {SYS_bpf, "bpf"}, {SYS_process_vm_readv, "process_vm_readv"}, {SYS_process_vm_writev, "process_vm_writev"},
    {SYS_add_key, "add_key"}, {SYS_keyctl, "keyctl"}, {SYS_request_key, "request_key"},
    {SYS_ioperm, "ioperm"}, {SYS_iopl, "iopl"}, {SYS_mknod, "mknod"}, {SYS_mknodat, "mknodat"},
    {SYS_sched_setscheduler, "sched_setscheduler"}, {SYS_sched_setattr, "sched_setattr"},
    {SYS_io_uring_setup, "io_uring_setup"}, {SYS_userfaultfd, "userfaultfd"}, {SYS_mbind, "mbind"},
    {SYS_migrate_pages, "migrate_pages"}, {SYS_move_pages, "move_pages"}, {SYS_set_mempolicy, "set_mempolicy"},
    {SYS_chown, "chown"}, {SYS_fchown, "fchown"}, {SYS_fchownat, "fchownat"}, {SYS_chmod, "chmod"},
    {SYS_fchmod, "fchmod"}, {SYS_fchmodat, "fchmodat"}, {SYS_mkdir, "mkdir"}, {SYS_mkdirat, "mkdirat"},
    {SYS_unlink, "unlink"}, {SYS_unlinkat, "unlinkat"}, {SYS_rename, "rename"}, {SYS_renameat2, "renameat2"},
    {SYS_statx, "statx"}, {SYS_newfstatat, "newfstatat"}, {SYS_getdents64, "getdents64"},
    {SYS_inotify_init1, "inotify_init1"}, {SYS_fanotify_init, "fanotify_init"},
    {SYS_memfd_create, "memfd_create"}, {SYS_pkey_mprotect, "pkey_mprotect"}, {SYS_shmget, "shmget"},
    {SYS_semget, "semget"}, {SYS_msgget, "msgget"}, {SYS_mq_open, "mq_open"}, {SYS_quotactl, "quotactl"},
    {SYS_vhangup, "vhangup"}, {SYS_uselib, "uselib"}, {SYS_ustat, "ustat"}, {SYS_sysfs, "sysfs"},
    {SYS_open_by_handle_at, "open_by_handle_at"}, {SYS_name_to_handle_at, "name_to_handle_at"},
    {SYS_fsopen, "fsopen"}, {SYS_move_mount, "move_mount"}, {SYS_open_tree, "open_tree"},
    {SYS_pidfd_open, "pidfd_open"}, {SYS_seccomp, "seccomp"}, {SYS_getrandom, "getrandom"},
};

// errnos that mean "a rule said no" rather than "this went wrong".
const char* const kDenialErrnos[] = {"EPERM", "EACCES", "EAFNOSUPPORT", "EROFS", "ENOSYS"};

bool is_denial(const std::string& e) {
  for (const char* d : kDenialErrnos)
    if (e == d) return true;
  return false;
}

}  // namespace

void fill_operands(DeniedOperation& op) {
  const std::string& t = op.operation;
  size_t paren = t.find('(');
  if (paren != std::string::npos && paren > 0) {
    std::string name = t.substr(0, paren);
    if (std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
      op.syscall = name;
  }
  // The first quoted absolute path (strace quotes strings; sun_path too).
  static const std::regex quoted(R"re("(/[^"]*)")re");
  std::smatch m;
  if (std::regex_search(t, m, quoted)) op.path = m[1].str();
  static const std::regex family(R"re(\b(AF_[A-Z0-9]+|PF_[A-Z0-9]+)\b)re");
  if (op.syscall == "socket" || op.syscall == "socketpair") {
    if (std::regex_search(t, m, family)) {
      op.family = m[1].str();
      if (op.family.rfind("PF_", 0) == 0) op.family = "AF_" + op.family.substr(3);
    }
  }
}

std::string syscall_name(long number) {
  for (const auto& s : kSyscalls)
    if (s.number == number) return s.name;
  return "";
}

std::vector<DeniedOperation> seccomp_kills(const std::string& kernel_log) {
  std::vector<DeniedOperation> out;
  static const std::regex audit(R"re(type=1326 .*?comm="([^"]*)".*? sig=(\d+) .*?syscall=(\d+))re");
  std::istringstream in(kernel_log);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, audit)) continue;
    long nr = std::stol(m[3]);
    std::string name = syscall_name(nr);
    if (name.empty()) name = "syscall " + std::to_string(nr);
    std::string sig = m[2] == "31" ? "SIGSYS" : "signal " + m[2].str();
    DeniedOperation op{name + "()", sig, "kernel audit", "comm=" + m[1].str() + ": " + line};
    if (name.find(' ') == std::string::npos) op.syscall = name;
    out.push_back(std::move(op));
  }
  return out;
}

std::vector<DeniedOperation> traced_denials(const std::string& strace_output) {
  std::vector<DeniedOperation> out;
  // "123 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = -1 EAFNOSUPPORT (...)"
  static const std::regex failed(R"re(^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+-1\s+(E[A-Z0-9]+))re");
  static const std::regex unfinished(R"re(^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*?)(?:<unfinished \.\.\.>|$))re");
  static const std::regex killed(R"re(^(?:\[pid\s+)?(\d+)\]?\s+\+\+\+ killed by SIGSYS)re");
  std::map<std::string, std::string> last_call;  // pid -> "name(args"
  std::istringstream in(strace_output);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, failed)) {
      if (!is_denial(m[4])) continue;
      // Addresses differ between runs; they must not make two calls distinct.
      static const std::regex address("0x[0-9a-f]+");
      std::string args = std::regex_replace(m[3].str(), address, "0x..");
      DeniedOperation op{m[2].str() + "(" + args + ")", m[4], "trace", line};
      fill_operands(op);  // from the whole argument list, before it is shortened
      if (args.size() > 80) op.operation = m[2].str() + "(" + args.substr(0, 80) + "...)";
      out.push_back(std::move(op));
    } else if (std::regex_search(line, m, killed)) {
      auto it = last_call.find(m[1]);
      DeniedOperation op{it == last_call.end() ? "unknown call" : it->second + ")", "SIGSYS", "trace", line};
      fill_operands(op);
      out.push_back(std::move(op));
    } else if (std::regex_search(line, m, unfinished)) {
      last_call[m[1]] = m[2].str() + "(" + m[3].str().substr(0, 80);
    }
  }
  return out;
}

std::vector<DeniedOperation> journal_denials(const std::string& journal) {
  std::vector<DeniedOperation> out;
  struct Pattern {
    const char* text;
    const char* error;
  };
  static const Pattern patterns[] = {
      {"Address family not supported", "EAFNOSUPPORT"}, {"Operation not permitted", "EPERM"},
      {"Permission denied", "EACCES"},                  {"Read-only file system", "EROFS"},
      {"status=31/SYS", "SIGSYS"},                      {"Bad system call", "SIGSYS"},
      {"Function not implemented", "ENOSYS"},
  };
  std::istringstream in(journal);
  std::string line;
  while (std::getline(in, line))
    for (const auto& p : patterns)
      if (line.find(p.text) != std::string::npos) {
        out.push_back({"(from the journal)", p.error, "journal", line});
        break;
      }
  return out;
}

std::vector<DeniedOperation> only_in(const std::vector<DeniedOperation>& hardened,
                                     const std::vector<DeniedOperation>& baseline) {
  std::set<std::string> seen;
  for (const auto& b : baseline) seen.insert(b.key());
  std::vector<DeniedOperation> out;
  std::set<std::string> emitted;
  for (const auto& h : hardened)
    if (!seen.count(h.key()) && emitted.insert(h.key()).second) out.push_back(h);
  return out;
}

}  // namespace sdh::verify
