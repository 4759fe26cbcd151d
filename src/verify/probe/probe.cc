// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden-probe: tries one kind of operation and says whether the kernel let
// it through. verify runs it twice per restriction class, inside the same
// sandbox as the service and without it (negative control). One line per
// attempt on stdout: "OP ARG ok|refused|killed DETAIL".
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "verify/probe/battery_attempts.h"
#include "util/linux_names.h"
#include "verify/probe/session_view.h"

namespace {

using sdh::errno_name;

struct Named {
  const char* name;
  long value;
};

const Named kFamilies[] = {
    {"AF_UNIX", AF_UNIX},       {"AF_INET", AF_INET},   {"AF_INET6", AF_INET6}, {"AF_NETLINK", AF_NETLINK},
    {"AF_PACKET", AF_PACKET},   {"AF_ALG", AF_ALG},     {"AF_VSOCK", AF_VSOCK}, {"AF_KEY", AF_KEY},
    {"AF_BLUETOOTH", AF_BLUETOOTH}, {"AF_CAN", AF_CAN}, {"AF_TIPC", AF_TIPC},   {"AF_XDP", AF_XDP},
};

const Named kNamespaces[] = {
    {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET},
    {"mnt", CLONE_NEWNS},        {"pid", CLONE_NEWPID}, {"user", CLONE_NEWUSER}, {"uts", CLONE_NEWUTS},
};

void report(const std::string& op, const std::string& arg, bool ok, const std::string& detail) {
  std::printf("%s %s %s %s\n", op.c_str(), arg.c_str(), ok ? "ok" : "refused", detail.c_str());
}

// Runs `attempt` in a child so that a SIGSYS (seccomp kill) or a namespace
// change stays there. The child exits 0 on success or with the errno.
void in_child(const std::string& op, const std::string& arg, const std::function<int()>& attempt,
              bool errno_is_success = false) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int r = attempt();
    _exit(r < 0 ? (errno & 0xff) : 0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    const char* sig = sigabbrev_np(WTERMSIG(status));
    std::printf("%s %s killed SIG%s\n", op.c_str(), arg.c_str(), sig ? sig : "?");
    return;
  }
  int code = WEXITSTATUS(status);
  if (code == 0) return report(op, arg, true, "0");
  // For syscalls called with deliberately invalid arguments, reaching the
  // kernel's own argument checks (EFAULT, EINVAL, ESRCH...) means "allowed".
  if (errno_is_success && code != EPERM && code != EACCES && code != ENOSYS)
    return report(op, arg, true, errno_name(code));
  report(op, arg, false, errno_name(code));
}

long syscall_by_name(const std::string& name) {
  static const Named table[] = {
      {"ptrace", SYS_ptrace},       {"perf_event_open", SYS_perf_event_open},
      {"process_vm_readv", SYS_process_vm_readv}, {"mount", SYS_mount},
      {"umount2", SYS_umount2},     {"pivot_root", SYS_pivot_root},
      {"reboot", SYS_reboot},       {"adjtimex", SYS_adjtimex},
      {"swapoff", SYS_swapoff},     {"kexec_load", SYS_kexec_load},
      {"init_module", SYS_init_module}, {"add_key", SYS_add_key},
      {"keyctl", SYS_keyctl},       {"personality", SYS_personality},
      {"bpf", SYS_bpf},             {"userfaultfd", SYS_userfaultfd},
      {"socket", SYS_socket},       {"setns", SYS_setns},
      {"unshare", SYS_unshare},     {"chroot", SYS_chroot},
      {"ioperm", SYS_ioperm},       {"syslog", SYS_syslog},
      {"io_uring_setup", SYS_io_uring_setup}, {"mknod", SYS_mknod},
  };
  for (const auto& t : table)
    if (name == t.name) return t.value;
  return -1;
}

// Arguments chosen so that the call fails harmlessly in the kernel if the
// filter lets it through.
long call_harmlessly(long nr) {
  switch (nr) {
    case SYS_ptrace: return syscall(nr, 2 /* PTRACE_PEEKDATA */, 0, 0, 0);
    case SYS_reboot: return syscall(nr, 0, 0, 0, nullptr);  // wrong magic: EINVAL
    case SYS_personality: return syscall(nr, 0xffffffffUL);   // query only
    case SYS_socket: return syscall(nr, -1, 0, 0);            // bad family
    case SYS_setns: return syscall(nr, -1, 0);
    case SYS_unshare: return syscall(nr, 0x80000000UL);       // invalid flag
    case SYS_syslog: return syscall(nr, 3 /* READ_ALL */, nullptr, -1);
    case SYS_mknod: return syscall(nr, nullptr, 0, 0);
    case SYS_ioperm: return syscall(nr, 0, 0, 0);
    default: return syscall(nr, nullptr, nullptr, nullptr, 0, nullptr);
  }
}

int usage() {
  std::fprintf(stderr,
               "usage: sdharden-probe OP [ARGS...]\n"
               "  socket FAMILY...        create a socket of each family\n"
               "  syscall NAME...         call each syscall with harmless invalid arguments\n"
               "  write DIR...            create and remove a file in each directory\n"
               "  read PATH...            open each path for reading\n"
               "  device PATH...          open each device node read-write\n"
               "  battery [FILE]          the containment battery: what code inside could still do\n"
               "  session [FILE]          what a login session started from here would inherit\n"
               "  wx                      map memory writable and executable\n"
               "  unshare NS...           create each namespace type (cgroup ipc net mnt pid user uts)\n"
               "  nnp                     whether privileges can still be gained (no_new_privs)\n"
               "  cap NUMBER...           whether each capability is in the bounding set\n"
               "  suid DIR                create a set-uid file in DIR\n"
               "  personality             switch to a 32-bit personality\n"
               "  realtime                request SCHED_RR\n"
               "  hostname                set the host name to its current value\n"
               "  uid                     whether running as root\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string op = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  if (op == "socket") {
    for (const auto& a : args) {
      long fam = -1;
      for (const auto& f : kFamilies)
        if (a == f.name) fam = f.value;
      if (fam < 0) { report(op, a, false, "unknown-family"); continue; }
      int fd = socket(static_cast<int>(fam), SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0 && (errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT || errno == EPROTOTYPE))
        fd = socket(static_cast<int>(fam), SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0 && (errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT || errno == EPROTOTYPE))
        fd = socket(static_cast<int>(fam), SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
      if (fd >= 0) { close(fd); report(op, a, true, "0"); }
      else report(op, a, false, errno_name(errno));
    }
  } else if (op == "syscall") {
    for (const auto& a : args) {
      long nr = syscall_by_name(a);
      if (nr < 0) { report(op, a, false, "unknown-syscall"); continue; }
      in_child(op, a, [nr] { return static_cast<int>(call_harmlessly(nr)); }, true);
    }
  } else if (op == "write") {
    for (const auto& dir : args) {
      std::string path = dir + "/.sdharden-probe-" + std::to_string(getpid());
      int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0) { close(fd); unlink(path.c_str()); report(op, dir, true, "0"); }
      else report(op, dir, false, errno_name(errno));
    }
  } else if (op == "read") {
    for (const auto& p : args) {
      int fd = open(p.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) { close(fd); report(op, p, true, "0"); }
      else report(op, p, false, errno_name(errno));
    }
  } else if (op == "battery") {
    sdh::probe::run_battery(args.empty() ? "" : args[0]);
  } else if (op == "session") {
    sdh::probe::print_session_view(args.empty() ? "" : args[0]);
  } else if (op == "device") {
    for (const auto& p : args) {
      int fd = open(p.c_str(), O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
      if (fd >= 0) { close(fd); report(op, p, true, "0"); }
      else report(op, p, false, errno_name(errno));
    }
  } else if (op == "wx") {
    void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) { munmap(p, 4096); report(op, "anonymous", true, "0"); }
    else report(op, "anonymous", false, errno_name(errno));
  } else if (op == "unshare") {
    for (const auto& a : args) {
      long flag = -1;
      for (const auto& n : kNamespaces)
        if (a == n.name) flag = n.value;
      if (flag < 0) { report(op, a, false, "unknown-namespace"); continue; }
      in_child(op, a, [flag] { return unshare(static_cast<int>(flag)); });
    }
  } else if (op == "nnp") {
    int v = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    report(op, "gain-privileges", v == 0, v == 1 ? "no_new_privs=1" : "no_new_privs=0");
  } else if (op == "cap") {
    for (const auto& a : args) {
      int cap = std::atoi(a.c_str());
      int v = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
      report(op, a, v == 1, v == 1 ? "in-bounding-set" : "dropped");
    }
  } else if (op == "suid") {
    std::string dir = args.empty() ? "/tmp" : args[0];
    std::string path = dir + "/.sdharden-probe-suid-" + std::to_string(getpid());
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) { report(op, dir, false, std::string("setup-") + errno_name(errno)); return 0; }
    int r = fchmod(fd, 04755);
    int e = errno;
    close(fd);
    unlink(path.c_str());
    report(op, dir, r == 0, r == 0 ? "0" : errno_name(e));
  } else if (op == "personality") {
    in_child(op, "PER_LINUX32", [] {
      int r = personality(PER_LINUX32);
      return r < 0 ? -1 : 0;
    });
  } else if (op == "realtime") {
    in_child(op, "SCHED_RR", [] {
      sched_param p{};
      p.sched_priority = 1;
      return sched_setscheduler(0, SCHED_RR, &p);
    });
  } else if (op == "hostname") {
    in_child(op, "sethostname", [] {
      char name[256] = {};
      if (gethostname(name, sizeof name - 1) < 0) return -1;
      return sethostname(name, strlen(name));
    });
  } else if (op == "uid") {
    report(op, "root", geteuid() == 0, "uid=" + std::to_string(geteuid()));
  } else {
    return usage();
  }
  return 0;
}
