// SPDX-License-Identifier: GPL-2.0-or-later
/* Probe for tests/e2e/profile/run_seccomp.sh: syscalls that only the exit of a
 * syscall shows as they are. Under a seccomp filter that refuses uname with
 * EPERM, it calls uname (refused: a failure, not a use), kill(1, 0) as
 * nobody (allowed by the filter, fails on its own: a use and a failure),
 * returns from a signal handler (rt_sigreturn) and ends with exit_group. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void) {
  signal(SIGUSR1, on_usr1);
  raise(SIGUSR1);
  if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
    perror("setuid");
    return 1;
  }
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_uname, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    perror("seccomp");
    return 1;
  }
  struct utsname u;
  if (uname(&u) == 0 || errno != EPERM) {
    fprintf(stderr, "uname was not refused\n");
    return 1;
  }
  if (kill(1, 0) == 0 || errno != EPERM) {
    fprintf(stderr, "kill(1, 0) did not fail with EPERM\n");
    return 1;
  }
  return 0;
}
