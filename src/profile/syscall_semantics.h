// SPDX-License-Identifier: GPL-2.0-or-later
// The syscalls the profiler records in detail, and what each does with its
// arguments: the rows of bpf/syscall_semantics.def, which the BPF programs
// read too, so that what the kernel side copies and what user space makes
// of it cannot drift apart.
#pragma once

#include <span>
#include <string_view>

#include "bpf/profiler_abi.h"

namespace sdh::profile {

struct SyscallSemantics {
  std::string_view name;
  int fd;     // argument index of the directory fd of `path`, or of the fd acted on; -1: none
  int path;   // argument index of its path; -1: none
  int fd2;    // argument index of the directory fd of `path2`; -1: none
  int path2;  // argument index of a second path; -1: none
  int addr;   // argument index of a sockaddr (its length follows); -1: none
  int mode;   // argument index of a mode_t; -1: none
  sdh_access access;
};

// Every row, whatever the architecture.
std::span<const SyscallSemantics> syscall_semantics_rows();

// The row of `name` ("openat"); nullptr for a syscall never recorded in detail.
const SyscallSemantics* syscall_semantics(std::string_view name);

}  // namespace sdh::profile
