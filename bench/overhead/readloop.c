// SPDX-License-Identifier: GPL-2.0-or-later
/* Syscall-bound loop for the overhead benchmark: 1-byte reads from /dev/zero
 * for SECONDS seconds; prints the number of reads per second. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  int fd = open("/dev/zero", O_RDONLY);
  if (fd < 0) return 1;
  char c;
  unsigned long n = 0;
  double start = now(), end = start + seconds, t = start;
  while (t < end) {
    for (int i = 0; i < 1000; i++) {
      if (read(fd, &c, 1) != 1) return 1;
    }
    n += 1000;
    t = now();
  }
  printf("%.0f\n", n / (t - start));
  return 0;
}
