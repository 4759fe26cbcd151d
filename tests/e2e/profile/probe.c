// SPDX-License-Identifier: GPL-2.0-or-later
/* A program with a known behaviour, for the profiler's end-to-end test.
 * usage: probe DIR UDP_PORT CHILD_BINARY
 * Start-up: sched_yield, a dirfd-relative create, a cwd-relative create, a
 * failed open, a path walked one openat() at a time (twice), 5 opens of one file and 3 failed opens of another by absolute
 * path, 3 AF_INET6 UDP sendto [::1]:UDP_PORT, a W+X mapping, a TCP
 * listen on [::1]; READY=1 to $NOTIFY_SOCKET when set. Then it forks and execs
 * CHILD_BINARY (which connects back) and serves: accept, getrusage. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char* what) {
  perror(what);
  exit(1);
}

static void notify_ready(void) {
  const char* path = getenv("NOTIFY_SOCKET");
  if (!path || !*path) return;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
  char msg[] = "READY=1\nSTATUS=probing";
  struct iovec iov = {.iov_base = msg, .iov_len = strlen(msg)};
  struct msghdr mh = {.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1};
  (void)sendmsg(fd, &mh, MSG_NOSIGNAL); /* nobody listens in the test: the attempt is what counts */
  close(fd);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: probe DIR UDP_PORT CHILD_BINARY\n");
    return 2;
  }
  const char* dir = argv[1];
  int udp_port = atoi(argv[2]);

  sched_yield();

  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) die("open dir");
  int fd = openat(dfd, "relative.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) die("openat");
  if (write(fd, "x", 1) != 1) die("write");
  close(fd);

  if (chdir(dir) != 0) die("chdir");
  fd = open("cwd-relative.txt", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) die("open cwd-relative");
  close(fd);

  if (open("/nonexistent-sdharden-probe/file", O_RDONLY) >= 0) die("open nonexistent");

  /* A path walked one openat() at a time, twice, as libraries do (systemd's
   * chase()): the fd numbers come back for other folders, and the second
   * open of DIR is a repeat the kernel side could count instead of sending.
   * Each lookup must resolve against the folder its fd is at that moment:
   * DIR/walk/inner, never DIR/walk/inner/walk. */
  char walk[4096];
  snprintf(walk, sizeof(walk), "%s/walk", dir);
  if (mkdir(walk, 0755) != 0 && errno != EEXIST) die("mkdir walk");
  snprintf(walk, sizeof(walk), "%s/walk/inner", dir);
  if (mkdir(walk, 0755) != 0 && errno != EEXIST) die("mkdir inner");
  for (int i = 0; i < 2; i++) {
    int top = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) die("open walk top");
    int mid = openat(top, "walk", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (mid < 0) die("openat walk");
    close(top);
    int inner = openat(mid, "inner", O_PATH | O_DIRECTORY | O_CLOEXEC); /* top's number again */
    if (inner < 0) die("openat inner");
    close(mid);
    close(inner);
  }

  /* Repeats, which the kernel side counts instead of sending each: the
   * profile must still say how often (5 opens, 3 failures, 3 datagrams). */
  char again[4096];
  snprintf(again, sizeof(again), "%s/again.txt", dir);
  for (int i = 0; i < 5; i++) {
    fd = open(again, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) die("open again");
    close(fd);
  }
  /* A path longer than the kernel side's short repeat keys: 4 opens. */
  snprintf(again, sizeof(again), "%s/again-with-a-name-long-enough-for-the-long-repeat-keys.txt", dir);
  for (int i = 0; i < 4; i++) {
    fd = open(again, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) die("open again long");
    close(fd);
  }
  for (int i = 0; i < 3; i++) {
    if (open("/nonexistent-sdharden-probe/again", O_RDONLY) >= 0) die("open nonexistent again");
  }

  int u = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (u < 0) die("socket udp");
  struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons(udp_port), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  for (int i = 0; i < 3; i++) {
    if (sendto(u, "ping", 4, 0, (struct sockaddr*)&to, sizeof(to)) != 4) die("sendto");
  }
  close(u);

  void* wx = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (wx == MAP_FAILED) die("mmap wx");
  munmap(wx, 4096);

  int l = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l < 0) die("socket tcp");
  struct sockaddr_in6 any = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  if (bind(l, (struct sockaddr*)&any, sizeof(any)) != 0) die("bind");
  if (listen(l, 4) != 0) die("listen");
  socklen_t len = sizeof(any);
  if (getsockname(l, (struct sockaddr*)&any, &len) != 0) die("getsockname");
  char port[16];
  snprintf(port, sizeof(port), "%d", ntohs(any.sin6_port));
  notify_ready();

  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    execl(argv[3], argv[3], dir, port, (char*)NULL);
    _exit(127);
  }

  /* Serving. */
  int c = accept(l, NULL, NULL);
  if (c < 0) die("accept");
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  close(c);
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "probe: child failed\n");
    return 1;
  }
  /* The tracer reads LISTEN_FDS from /proc/PID/environ when it handles the
   * exec record: a probe gone within milliseconds, on a loaded machine,
   * would leave nothing to read (a limit of that back-end, not a fact of
   * the probe's). Linger a little. */
  usleep(300 * 1000);
  return 0;
}
