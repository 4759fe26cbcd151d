// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/container_network.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <sstream>

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
  if (name.empty() || name.size() >= IFNAMSIZ || name == "." || name == ".." || name[0] == '-') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string interface_script(const std::vector<InterfaceCopy>& interfaces) {
  std::string script = "link set dev lo up\n";
  int peer = 0;
  for (const auto& i : interfaces) {
    if (!valid_interface_name(i.name) || i.name.rfind("sdh-peer", 0) == 0) continue;
    std::string peer_name = fmt::format("sdh-peer{}", peer++);
    script += fmt::format("link add name {} type veth peer name {}\n", i.name, peer_name);
    for (const auto& a : i.addresses) {
      // Addresses come from inet_ntop above; anything else is not written.
      if (a.find_first_not_of("0123456789abcdefABCDEF:./") != std::string::npos || a.empty()) continue;
      bool v6 = a.find(':') != std::string::npos;
      // nodad: a duplicate-address probe would keep it "tentative" (unusable)
      // for a second or two after the start, and nothing else is on the link.
      script += fmt::format("address add {} dev {}{}\n", a, i.name, v6 ? " nodad" : "");
    }
    script += fmt::format("link set dev {} up\nlink set dev {} up\n", peer_name, i.name);
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

std::vector<std::string> nameservers(const std::string& resolv_conf) {
  std::vector<std::string> out;
  std::istringstream in(resolv_conf);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, address;
    if (!(words >> key >> address) || key != "nameserver") continue;
    // Only what inet_pton reads: the text goes into an `ip` script.
    in6_addr v6;
    in_addr v4;
    bool ok4 = inet_pton(AF_INET, address.c_str(), &v4) == 1, ok6 = !ok4 && inet_pton(AF_INET6, address.c_str(), &v6) == 1;
    // A resolver on loopback is a service of the machine (or of the unit
    // under test: a DNS server): its port is not ours to take.
    if ((ok4 && (ntohl(v4.s_addr) >> 24) == 127) || (ok6 && IN6_IS_ADDR_LOOPBACK(&v6))) continue;
    if ((ok4 || ok6) && std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  }
  return out;
}

std::string nameserver_script(const std::vector<std::string>& servers) {
  std::string script;
  for (const auto& a : servers) {
    in_addr v4;
    in6_addr v6;
    if (inet_pton(AF_INET, a.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) != 127) {
      script += fmt::format("address add {}/32 dev lo\n", a);
    } else if (inet_pton(AF_INET6, a.c_str(), &v6) == 1 && !IN6_IS_ADDR_LOOPBACK(&v6)) {
      script += fmt::format("address add {}/128 dev lo nodad\n", a);
    }
  }
  return script;
}

std::optional<std::string> no_such_name(const std::string& query) {
  // Header: id, flags (QR must be 0, opcode 0: a standard query), 1 question.
  if (query.size() < 12 || query.size() > 4096) return std::nullopt;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(query[i]); };
  if ((byte(2) & 0x80) || ((byte(2) >> 3) & 0x0f) != 0) return std::nullopt;
  if (byte(4) != 0 || byte(5) != 1) return std::nullopt;
  // The question: labels of at most 63 bytes, a name of at most 255, no
  // compression (a query has nothing to point back to), then type and class.
  size_t at = 12, name = 0;
  for (;;) {
    if (at >= query.size()) return std::nullopt;
    uint8_t len = byte(at);
    if (len == 0) break;
    if (len > 63) return std::nullopt;
    name += len + 1;
    if (name > 255) return std::nullopt;
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > query.size()) return std::nullopt;
  std::string answer;
  answer += query.substr(0, 2);                          // id
  answer += static_cast<char>(0x80 | (byte(2) & 0x01));  // a response, RD copied
  answer += static_cast<char>(0x80 | 3);                 // RA, NXDOMAIN
  answer += std::string("\0\1\0\0\0\0\0\0", 8);          // 1 question, no records
  answer += query.substr(12, at + 4 - 12);
  return answer;
}

Result<std::unique_ptr<NameserverStub>> NameserverStub::start(int pid, const std::vector<std::string>& servers) {
  if (servers.empty()) return fail("no nameserver to answer for");
  int ns = open(fmt::format("/proc/{}/ns/net", pid).c_str(), O_RDONLY | O_CLOEXEC);
  if (ns < 0) return fail("opening the container's network namespace", errno);
  auto stub = std::unique_ptr<NameserverStub>(new NameserverStub());
  stub->stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stub->stop_fd_ < 0) {
    close(ns);
    return fail("eventfd", errno);
  }
  std::promise<std::string> ready;  // "" once it listens, else why not
  auto listening = ready.get_future();
  // The thread owns `ns` from here on (and closes it).
  stub->thread_ = std::thread([ns, servers, stop = stub->stop_fd_, ready = std::move(ready)]() mutable {
    // Only this thread enters the namespace: its sockets are the container's.
    if (setns(ns, CLONE_NEWNET) != 0) {
      ready.set_value(std::string("entering the container's network namespace: ") + strerror(errno));
      close(ns);
      return;
    }
    close(ns);
    std::vector<pollfd> fds = {{stop, POLLIN, 0}};
    for (const auto& a : servers) {
      sockaddr_storage ss{};
      socklen_t len = 0;
      auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
      auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
      if (inet_pton(AF_INET, a.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(53);
        len = sizeof *v4;
      } else if (inet_pton(AF_INET6, a.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(53);
        len = sizeof *v6;
      } else {
        continue;
      }
      int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (fd < 0) continue;
      // A DNS server under test that binds the wildcard address with
      // SO_REUSEADDR (as they do) can still bind beside this socket.
      int one = 1;
      (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        close(fd);
        continue;
      }
      fds.push_back({fd, POLLIN, 0});
    }
    ready.set_value(fds.size() > 1 ? "" : "no nameserver address could be bound in the container");
    while (fds.size() > 1 && poll(fds.data(), fds.size(), -1) >= 0) {
      if (fds[0].revents) break;
      for (size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & POLLIN)) continue;
        char buf[4096];
        sockaddr_storage from{};
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(fds[i].fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n <= 0) continue;
        if (auto answer = no_such_name(std::string(buf, static_cast<size_t>(n))))
          (void)sendto(fds[i].fd, answer->data(), answer->size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
      }
    }
    for (size_t i = 1; i < fds.size(); ++i) close(fds[i].fd);
  });
  std::string why = listening.get();
  if (!why.empty()) return fail(why);  // the thread has ended; the destructor joins it
  return stub;
}

NameserverStub::~NameserverStub() {
  if (stop_fd_ >= 0) {
    uint64_t one = 1;
    (void)!write(stop_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  if (stop_fd_ >= 0) close(stop_fd_);
}

}  // namespace sdh::systemd
