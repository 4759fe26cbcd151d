// SPDX-License-Identifier: GPL-2.0-or-later
// SPDX-License-Identifier: GPL-2.0
/* The floor of the overhead benchmark: a program that does nothing, on the
 * hook sdharden's profiler uses for every syscall (a BTF raw tracepoint at
 * sys_exit). Whatever the profiler costs above this is its own work. */
/* No headers: nothing here needs them, and the host's asm/ headers are not
 * on the BPF target's include path. */
#define SEC(name) __attribute__((section(name), used))

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_exit")
int on_sys_exit(void* ctx) {
  (void)ctx;
  return 0;
}
