// SPDX-License-Identifier: GPL-2.0-or-later
#include "profile/syscall_semantics.h"

#include <algorithm>
#include <iterator>

namespace sdh::profile {

namespace {

// Every row, whatever the architecture: a name the running one lacks is
// never looked up.
const SyscallSemantics kRows[] = {
#define SDH_SYSCALL(name, fd, path, fd2, path2, addr, mode, access, repeat, fd_ret, special) \
  {#name, fd, path, fd2, path2, addr, mode, access},
#include "bpf/syscall_semantics.def"
#undef SDH_SYSCALL
};

}  // namespace

std::span<const SyscallSemantics> syscall_semantics_rows() { return kRows; }

const SyscallSemantics* syscall_semantics(std::string_view name) {
  auto it = std::find_if(std::begin(kRows), std::end(kRows), [&](const SyscallSemantics& s) { return s.name == name; });
  return it == std::end(kRows) ? nullptr : &*it;
}

}  // namespace sdh::profile
