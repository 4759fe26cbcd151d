// SPDX-License-Identifier: GPL-2.0-or-later
// End-to-end: the disposable systemd container boots repeatably, runs
// commands and transient units inside, applies hardening, and leaves nothing
// behind (no nspawn process, no mount, no temp file). Prints boot/stop cost.
// Exit 77 (skip) when not root or systemd-nspawn is missing.
#include <netdb.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "systemd/container_host.h"
#include "systemd/container_network.h"
#include "systemd/process.h"

using namespace sdh::systemd;
using namespace std::chrono_literals;

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}
}  // namespace

int main() {
  if (geteuid() != 0) { std::puts("SKIP: needs root to boot a systemd container"); return 77; }
  if (access("/usr/bin/systemd-nspawn", X_OK) != 0) { std::puts("SKIP: systemd-nspawn missing"); return 77; }
  // (Mount count: the containers' mounts live in their own namespaces, but a
  // leaked bind or overlay would show up here.)
  const std::string mounts_before = slurp("/proc/self/mountinfo");
  double boot_total = 0, stop_total = 0;
  const int rounds = 3;
  for (int i = 0; i < rounds; ++i) {
    auto host = ContainerHost::boot();
    if (!host) { expect(false, "boot " + std::to_string(i) + ": " + host.error().to_string()); return 1; }
    boot_total += (*host)->boot_seconds();
    auto r = (*host)->run("test \"$(cat /proc/1/comm)\" = systemd && echo inside", 10s);
    expect(r && r->ok() && r->out == "inside\n", "round " + std::to_string(i) + ": command runs inside, PID 1 is systemd");
    auto nologin = (*host)->run("test ! -e /run/nologin && echo allowed", 10s);
    expect(nologin && nologin->out == "allowed\n", "logins allowed: no /run/nologin after the minimal boot");
    // The host's interfaces and addresses, on links that lead nowhere.
    auto copies = host_interfaces();
    auto addrs = (*host)->run("ip -o address show", 10s);
    bool all_there = addrs && addrs->ok();
    for (const auto& i : copies)
      for (const auto& a : i.addresses)
        if (!addrs || addrs->out.find(i.name) == std::string::npos || addrs->out.find(a) == std::string::npos)
          all_there = false;
    expect(all_there, "the host's interfaces and addresses are inside: " + (addrs ? addrs->out : addrs.error().to_string()));
    auto route = (*host)->run("ip route get 9.9.9.9 2>&1; ip -6 route get 2620:fe::fe 2>&1", 10s);
    expect(route && route->out.find("unreachable") != std::string::npos &&
               route->out.find("via") == std::string::npos,
           "no route leads out: " + (route ? route->out : route.error().to_string()));
    expect((*host)->environment().find("private network") != std::string::npos &&
               (*host)->environment().find("loopback only") == std::string::npos,
           "the host says what its network is: " + (*host)->environment());
    // getaddrinfo(AI_ADDRCONFIG) answers only when an address besides loopback exists.
    auto lookup = (*host)->run(
        "python3 -c 'import socket; print(len(socket.getaddrinfo(\"localhost\", 80, 0, 0, 0, socket.AI_ADDRCONFIG)))'", 20s);
    expect(lookup && lookup->ok() && lookup->out != "0\n", "localhost resolves with AI_ADDRCONFIG");
    // A name no one knows: "no such name" at once, as the machine's resolver
    // says, not "temporary failure" (radicale gives up on the latter).
    auto unknown = (*host)->run(
        "python3 -c 'import socket\ntry: socket.getaddrinfo(\"localhost\", 80, socket.AF_INET6, 0, 0, "
        "socket.AI_ADDRCONFIG)\nexcept socket.gaierror as e: print(e.errno)'", 20s);
    if (host_interfaces().size() > 0 && (*host)->environment().find("nameservers") != std::string::npos)
      expect(unknown && unknown->out == std::to_string(EAI_NONAME) + "\n",
             "an unknown name is 'no such name' inside: " + (unknown ? unknown->out + unknown->err : ""));
    else
      std::puts("skip: the machine has no nameserver in /etc/resolv.conf");
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    auto hn = (*host)->run("hostname", 10s);
    expect(hn && hn->out == std::string(name) + "\n", "the container has the host's name");
    auto boxed = (*host)->run_sandboxed({"RestrictAddressFamilies=AF_UNIX"},
                                        {"/usr/bin/python3", "-c", "import socket; socket.socket(socket.AF_INET)"}, 20s);
    auto plain = (*host)->run_sandboxed({}, {"/usr/bin/python3", "-c", "import socket; socket.socket(socket.AF_INET)"}, 20s);
    expect(boxed && !boxed->ok() && plain && plain->ok(), "a transient unit's RestrictAddressFamilies takes effect");
    auto t = std::chrono::steady_clock::now();
    expect(bool((*host)->shutdown()), "clean shutdown");
    stop_total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    expect(!(*host)->run("true", 1s), "no commands after shutdown");
  }
  // Only our own children: other tests may run containers at the same time.
  auto left = run_process({"pgrep", "-P", std::to_string(getpid()), "-x", "systemd-nspawn"});
  expect(left && left->out.empty(), "no systemd-nspawn of ours left running");
  const std::string mounts_after = slurp("/proc/self/mountinfo");
  expect(count(mounts_after, "\n") == count(mounts_before, "\n"), "no mount left behind");
  auto tmp = run_process({"/bin/sh", "-c", "ls /tmp | grep -c '^sdharden-nspawn-" + std::to_string(getpid()) + "-' || true"});
  expect(tmp && tmp->out == "0\n", "no console log left in /tmp");
  std::printf("cost: boot %.2f s, shutdown %.2f s on average over %d rounds\n", boot_total / rounds,
              stop_total / rounds, rounds);
  return failures ? 1 : 0;
}
