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

#include <string>
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

}  // namespace sdh::systemd
