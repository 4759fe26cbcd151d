// SPDX-License-Identifier: GPL-2.0-or-later
// The verification container's network: private (nothing goes in or out),
// but not bare. A network namespace with only loopback makes services
// behave otherwise than on the host: a traffic monitor finds no interface,
// getaddrinfo(AI_ADDRCONFIG) answers nothing for "localhost", a daemon told
// to listen on the host's address cannot bind it. So the container gets the
// host's interfaces by name, with the host's addresses, each one end of a
// veth pair whose other end is inside the container too: frames go nowhere
// and no route leads out.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/error.h"

namespace sdh::systemd {

struct InterfaceCopy {
  std::string name;                    // "eth0", as on the host
  std::vector<std::string> addresses;  // "192.0.2.2/24", "fd00::2/64"
};

// The host's interfaces with an address that is neither loopback nor IPv6
// link-local (those every interface gets by itself). When the host has
// none, one interface "eth0" with documentation addresses, so that the
// container still has an address besides loopback.
std::vector<InterfaceCopy> host_interfaces();

// Whether `name` can be given to an interface: 1 to 15 characters, letters,
// digits, '-', '_', '.', not "." or "..".
bool valid_interface_name(const std::string& name);

// The `ip -batch` script that creates `interfaces` in a fresh network
// namespace; the veth peers are named "sdh-peerN". Interfaces with a name
// that cannot be given, and "sdh-peer*" names, are left out.
std::string interface_script(const std::vector<InterfaceCopy>& interfaces);

// One line for the user: what the container's network has.
std::string describe(const std::vector<InterfaceCopy>& interfaces);

// Runs `script` with the host's `ip` inside the network namespace of `pid`.
Result<void> configure_network(int pid, const std::string& script);

// Name resolution. Outside, the machine's resolver answers a name it does not
// know ("no such name": getaddrinfo says EAI_NONAME, and a daemon moves on);
// inside, with no route out, the query fails (EAI_AGAIN, "temporary failure"),
// and a daemon that binds "localhost" for IPv6 too gives up. So the
// container's nameservers are answered inside the container: every query
// gets "no such name" at once, /etc/hosts having been read first as on the
// machine. Nothing leaves the container.

// The nameserver addresses of a resolv.conf text.
std::vector<std::string> nameservers(const std::string& resolv_conf);

// The `ip -batch` lines that give the container the nameserver addresses
// (on its loopback; 127.0.0.0/8 and ::1 are there already).
std::string nameserver_script(const std::vector<std::string>& servers);

// The answer to a DNS query: the same id and question, "no such name"
// (NXDOMAIN); nullopt for anything that is not a well-formed query.
std::optional<std::string> no_such_name(const std::string& query);

// Answers DNS on port 53 of `servers` inside the network namespace of `pid`
// until destroyed (a thread of this process, switched into that namespace).
class NameserverStub {
 public:
  static Result<std::unique_ptr<NameserverStub>> start(int pid, const std::vector<std::string>& servers);
  ~NameserverStub();
  NameserverStub(const NameserverStub&) = delete;
  NameserverStub& operator=(const NameserverStub&) = delete;

 private:
  NameserverStub() = default;
  int stop_fd_ = -1;
  std::thread thread_;
};

}  // namespace sdh::systemd
