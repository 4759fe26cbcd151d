// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/linux_names.h"

#include <string.h>

#include <array>

namespace sdh {
namespace {

// Index = capability number.
constexpr std::array<std::string_view, 41> kCapabilities = {
    "CAP_CHOWN",          "CAP_DAC_OVERRIDE",  "CAP_DAC_READ_SEARCH", "CAP_FOWNER",        "CAP_FSETID",
    "CAP_KILL",           "CAP_SETGID",        "CAP_SETUID",          "CAP_SETPCAP",       "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",     "CAP_NET_RAW",       "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",      "CAP_SYS_MODULE",    "CAP_SYS_RAWIO",       "CAP_SYS_CHROOT",    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",      "CAP_SYS_ADMIN",     "CAP_SYS_BOOT",        "CAP_SYS_NICE",      "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",          "CAP_LEASE",         "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",  "CAP_SETFCAP",       "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",     "CAP_SYSLOG",
    "CAP_WAKE_ALARM",     "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",      "CAP_PERFMON",       "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE"};

// Index = address family number.
constexpr std::array<std::string_view, 46> kFamilies = {
    "AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK", "AF_NETROM",
    "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI",
    "AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC",
    "AF_RDS", "AF_SNA", "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS",
    "AF_CAN", "AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET",
    "AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK", "AF_KCM", "AF_QIPCRTR",
    "AF_SMC", "AF_XDP", "AF_MCTP"};

}  // namespace

int capability_count() { return static_cast<int>(kCapabilities.size()); }

std::string_view capability_name(int number) {
  return number >= 0 && number < capability_count() ? kCapabilities[static_cast<size_t>(number)] : "";
}

std::string capability_text(int number) {
  auto name = capability_name(number);
  return name.empty() ? "CAP_" + std::to_string(number) : std::string(name);
}

int capability_number(std::string_view name) {
  for (size_t i = 0; i < kCapabilities.size(); ++i)
    if (kCapabilities[i] == name) return static_cast<int>(i);
  return -1;
}

std::string_view address_family_name(int number) {
  return number >= 0 && number < static_cast<int>(kFamilies.size()) ? kFamilies[static_cast<size_t>(number)] : "";
}

bool is_address_family_name(std::string_view name) {
  if (name == "AF_LOCAL" || name == "AF_ROUTE") return true;  // aliases of AF_UNIX and AF_NETLINK
  for (auto f : kFamilies)
    if (f == name) return true;
  return false;
}

std::string errno_name(int number) {
  const char* name = strerrorname_np(number);
  return name ? name : std::to_string(number);
}

}  // namespace sdh
