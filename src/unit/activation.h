// SPDX-License-Identifier: GPL-2.0-or-later
// The socket units that start a service, and what they listen on: a
// service's clients come through them, so whether any is an IP socket
// decides what an IP firewall of the service can refuse.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "unit/loader.h"

namespace sdh::unit {

struct ListenSocket {
  std::string socket_unit;  // "syslog.socket"
  std::string kind;         // "ListenDatagram"
  std::string value;        // "/run/systemd/journal/syslog"
  // An IPv4/IPv6 socket: a port, "ADDRESS:PORT" or "[ADDRESS]:PORT" of a
  // stream, datagram or sequential-packet socket (not a path, an abstract
  // name, vsock, netlink, a FIFO or a special file).
  bool ip() const;
};

// Every Listen*= of the socket units that activate `service`: those its
// Sockets= names, and NAME.socket for its name and each alias (Alias= or a
// symlink), unless that socket's Service= names another unit. nullopt when
// no such socket unit exists.
std::optional<std::vector<ListenSocket>> activating_sockets(const FileSystem& fs, const LoadedUnit& service,
                                                            const LoadOptions& options = {});

}  // namespace sdh::unit
