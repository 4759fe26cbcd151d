// SPDX-License-Identifier: GPL-2.0-or-later
#include "profile/names.h"

#include <seccomp.h>
#include <sys/socket.h>

#include <array>
#include <cstdlib>
#include <memory>

#include "profile/inspector.h"
#include "util/linux_names.h"

namespace sdh::profile {

namespace {



}  // namespace

std::string syscall_name(int nr) {
  std::unique_ptr<char, decltype(&std::free)> name(seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr),
                                                   &std::free);
  if (!name) return "syscall_" + std::to_string(nr);
  return name.get();
}

std::string syscall_name_of_arch(int nr, uint32_t audit_arch) {
  std::unique_ptr<char, decltype(&std::free)> name(
      seccomp_syscall_resolve_num_arch(audit_arch == 0 ? SCMP_ARCH_NATIVE : audit_arch, nr), &std::free);
  return name ? std::string(name.get()) : "";
}

int syscall_number(const std::string& name) {
  int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name.c_str());
  return nr == __NR_SCMP_ERROR ? -1 : nr;
}

std::string address_family_name(int family) {
  auto name = sdh::address_family_name(family);
  return name.empty() ? "AF_" + std::to_string(family) : std::string(name);
}

std::string socket_type_name(int type) {
  switch (type & 0xf) {
    case SOCK_STREAM: return "SOCK_STREAM";
    case SOCK_DGRAM: return "SOCK_DGRAM";
    case SOCK_RAW: return "SOCK_RAW";
    case SOCK_RDM: return "SOCK_RDM";
    case SOCK_SEQPACKET: return "SOCK_SEQPACKET";
    case SOCK_DCCP: return "SOCK_DCCP";
    case SOCK_PACKET: return "SOCK_PACKET";
  }
  return "SOCK_" + std::to_string(type & 0xf);
}



}  // namespace sdh::profile
