// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs a command with the BPF programs of an object file attached, detaching
 * them when it exits: the floor measurement of bench/overhead/run.sh.
 * usage: floor OBJECT.bpf.o COMMAND [ARGS...]   (as root) */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: floor OBJECT.bpf.o COMMAND [ARGS...]\n");
    return 2;
  }
  struct bpf_object* obj = bpf_object__open_file(argv[1], NULL);
  if (!obj || bpf_object__load(obj) != 0) {
    fprintf(stderr, "floor: cannot load %s\n", argv[1]);
    return 1;
  }
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    if (!bpf_program__attach(prog)) {
      fprintf(stderr, "floor: cannot attach %s\n", bpf_program__name(prog));
      return 1;
    }
  }
  pid_t child = fork();
  if (child == 0) {
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) < 0) return 1;
  /* The links are not freed: they detach when this process exits. */
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
