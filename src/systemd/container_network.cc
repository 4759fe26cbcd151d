// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/container_network.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <bit>
#include <chrono>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "systemd/process.h"

namespace sdh::systemd {

namespace {

int prefix_length(const sockaddr* mask) {
  if (!mask) return -1;
  int bits = 0;
  if (mask->sa_family == AF_INET) {
    bits = std::popcount(reinterpret_cast<const sockaddr_in*>(mask)->sin_addr.s_addr);
  } else if (mask->sa_family == AF_INET6) {
    for (uint8_t byte : reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr.s6_addr) bits += std::popcount(byte);
  } else {
    return -1;
  }
  return bits;
}

// "ADDR/PREFIX" for an address worth copying, "" otherwise.
std::string address_text(const ifaddrs& ifa) {
  const sockaddr* a = ifa.ifa_addr;
  if (!a || (ifa.ifa_flags & IFF_LOOPBACK)) return "";
  char text[INET6_ADDRSTRLEN] = {};
  if (a->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof text);
  } else if (a->sa_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr;
    if (IN6_IS_ADDR_LINKLOCAL(&v6) || IN6_IS_ADDR_LOOPBACK(&v6)) return "";
    inet_ntop(AF_INET6, &v6, text, sizeof text);
  } else {
    return "";
  }
  int prefix = prefix_length(ifa.ifa_netmask);
  if (prefix < 0) prefix = a->sa_family == AF_INET ? 32 : 128;
  return fmt::format("{}/{}", text, prefix);
}

}  // namespace

std::vector<InterfaceCopy> host_interfaces() {
  std::map<std::string, std::vector<std::string>> by_name;
  std::vector<std::string> order;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (const ifaddrs* i = list; i; i = i->ifa_next) {
      std::string address = address_text(*i);
      if (address.empty() || !i->ifa_name) continue;
      if (!by_name.count(i->ifa_name)) order.push_back(i->ifa_name);
      by_name[i->ifa_name].push_back(address);
    }
    freeifaddrs(list);
  }
  std::vector<InterfaceCopy> out;
  for (const auto& name : order) out.push_back({name, by_name[name]});
  // TEST-NET-1 (RFC 5737) and a unique-local IPv6 prefix: addresses that
  // are no one's on any network.
  if (out.empty()) out.push_back({"eth0", {"192.0.2.1/24", "fd00:5d:4a::1/64"}});
  return out;
}

bool valid_interface_name(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ || name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string interface_script(const std::vector<InterfaceCopy>& interfaces) {
  std::string script = "link set lo up\n";
  int peer = 0;
  for (const auto& i : interfaces) {
    if (!valid_interface_name(i.name) || i.name.rfind("sdh-peer", 0) == 0) continue;
    std::string peer_name = fmt::format("sdh-peer{}", peer++);
    script += fmt::format("link add {} type veth peer name {}\n", i.name, peer_name);
    for (const auto& a : i.addresses) {
      // Addresses come from inet_ntop above; anything else is not written.
      if (a.find_first_not_of("0123456789abcdefABCDEF:./") != std::string::npos || a.empty()) continue;
      bool v6 = a.find(':') != std::string::npos;
      // nodad: a duplicate-address probe would keep it "tentative" (unusable)
      // for a second or two after the start, and nothing else is on the link.
      script += fmt::format("address add {} dev {}{}\n", a, i.name, v6 ? " nodad" : "");
    }
    script += fmt::format("link set {} up\nlink set {} up\n", peer_name, i.name);
  }
  return script;
}

std::string describe(const std::vector<InterfaceCopy>& interfaces) {
  std::vector<std::string> parts;
  for (const auto& i : interfaces)
    if (valid_interface_name(i.name)) parts.push_back(fmt::format("{} {}", i.name, fmt::join(i.addresses, " ")));
  return fmt::format("private network: loopback and {} (the host's addresses, on links that lead nowhere; no route out)",
                     fmt::join(parts, ", "));
}

Result<void> configure_network(int pid, const std::string& script) {
  RunOptions o;
  o.timeout = std::chrono::milliseconds(10000);
  o.stdin_text = script;
  auto r = run_process({"nsenter", "--target", std::to_string(pid), "--net", "--", "ip", "-batch", "-"}, o);
  if (!r) return fail(std::move(r.error()).with_context("giving the container its network interfaces"));
  if (!r->ok())
    return fail(fmt::format("giving the container its network interfaces: ip {}: {}", r->status_text(),
                            r->err.substr(0, r->err.find('\n'))));
  return {};
}

}  // namespace sdh::systemd
