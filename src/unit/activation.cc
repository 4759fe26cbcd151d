// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/activation.h"

#include <algorithm>

#include "unit/unit_name.h"
#include "util/strings.h"

namespace sdh::unit {

bool ListenSocket::ip() const {
  if (kind != "ListenStream" && kind != "ListenDatagram" && kind != "ListenSequentialPacket") return false;
  if (value.empty() || value[0] == '/' || value[0] == '@') return false;
  return value.rfind("vsock:", 0) != 0;
}

std::optional<std::vector<ListenSocket>> activating_sockets(const FileSystem& fs, const LoadedUnit& service,
                                                            const LoadOptions& options) {
  std::vector<std::string> service_names = service.names;
  if (std::find(service_names.begin(), service_names.end(), service.name) == service_names.end())
    service_names.push_back(service.name);
  std::vector<std::string> candidates;
  auto add = [&](const std::string& n) {
    if (std::find(candidates.begin(), candidates.end(), n) == candidates.end()) candidates.push_back(n);
  };
  for (const auto& a : service.assignments) {
    if (a.section == "Service" && a.key == "Sockets")
      for (const auto& w : words(a.value)) add(w);
    if (a.section == "Install" && a.key == "Alias")
      for (const auto& w : words(a.value))
        if (auto n = parse_unit_name(w); n && n->type == "service") service_names.push_back(w);
  }
  for (const auto& n : service_names)
    if (auto u = parse_unit_name(n); u && u->type == "service" && !u->is_instance()) {
      UnitName s = *u;
      s.type = "socket";
      add(s.full());
    }
  bool found = false;
  std::vector<ListenSocket> out;
  for (const auto& name : candidates) {
    auto sock = load_unit(fs, name, options);
    if (!sock || sock->masked) continue;
    bool other_service = false;
    for (const auto& a : sock->assignments)
      if (a.section == "Socket" && a.key == "Service" &&
          std::find(service_names.begin(), service_names.end(), a.value) == service_names.end())
        other_service = true;
    if (other_service) continue;
    found = true;
    for (const auto& a : sock->assignments) {
      if (a.section != "Socket" || a.key.rfind("Listen", 0) != 0) continue;
      if (a.value.empty()) {  // an empty assignment resets the list
        std::erase_if(out, [&](const ListenSocket& l) { return l.socket_unit == sock->name; });
        continue;
      }
      out.push_back({sock->name, a.key, a.value});
    }
  }
  if (!found) return std::nullopt;
  return out;
}

}  // namespace sdh::unit
