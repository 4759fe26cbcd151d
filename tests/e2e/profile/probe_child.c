// SPDX-License-Identifier: GPL-2.0-or-later
/* The probe's child (exec'd by probe): usage: probe_child DIR TCP_PORT.
 * Connects to [::1]:TCP_PORT, creates DIR/child.txt and makes it set-uid,
 * enters a new UTS namespace and sets its host name there. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  int s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons(atoi(argv[2])), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  if (s < 0 || connect(s, (struct sockaddr*)&to, sizeof(to)) != 0) {
    perror("connect");
    return 1;
  }
  close(s);
  int dfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int fd = openat(dfd, "child.txt", O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
  if (fd < 0) {
    perror("openat child.txt");
    return 1;
  }
  close(fd);
  if (fchmodat(dfd, "child.txt", 04755, 0) != 0) {
    perror("fchmodat");
    return 1;
  }
  if (unshare(CLONE_NEWUTS) != 0) {
    perror("unshare");
    return 1;
  }
  if (sethostname("sdh-probe", 9) != 0) {
    perror("sethostname");
    return 1;
  }
  return 0;
}
