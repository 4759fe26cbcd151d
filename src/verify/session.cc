// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/session.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "unit/directives.h"
#include "unit/semantics.h"
#include "util/strings.h"

namespace sdh::verify {

SessionView parse_session_view(const std::string& text) {
  SessionView out;
  for (const auto& line : split(text, '\n')) {
    size_t at = line.find("session ");
    if (at == std::string::npos || (at > 0 && line[at - 1] != ' ')) continue;
    std::string rest = line.substr(at + 8);
    size_t space = rest.find(' ');
    if (space == std::string::npos || space == 0) continue;
    std::string key = rest.substr(0, space);
    bool known = std::any_of(session_facts().begin(), session_facts().end(),
                             [&](const SessionFact& f) { return f.key == key; });
    if (known) out[key] = rest.substr(space + 1);
  }
  return out;
}

const std::vector<SessionFact>& session_facts() {
  // The directives that can change each fact (systemd.exec(5)): a bounding
  // set narrows with CapabilityBoundingSet= and with the directives that
  // drop a capability as part of what they do.
  static const std::vector<SessionFact> facts = {
      {"capbnd", "the capabilities root can have in a session (bounding set)",
       {"CapabilityBoundingSet", "PrivateDevices", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock",
        "PrivateUsers"}},
      {"nnp", "whether sudo and su can still raise privileges (no_new_privs)", {"NoNewPrivileges"}},
      {"seccomp", "whether a system call filter binds the session", {}},
      {"uid", "who the session's root is", {"PrivateUsers", "DynamicUser"}},
      {"etc", "whether root can change /etc", {"ProtectSystem", "ReadOnlyPaths", "DynamicUser", "TemporaryFileSystem"}},
      {"usr", "whether root can change /usr", {"ProtectSystem", "ReadOnlyPaths", "DynamicUser"}},
      {"var", "whether root can change /var", {"ProtectSystem", "ReadOnlyPaths", "DynamicUser"}},
      {"root-home", "whether root's home is there and writable", {"ProtectHome", "DynamicUser", "ReadOnlyPaths",
                                                                  "InaccessiblePaths", "TemporaryFileSystem"}},
      {"home", "whether the users' homes are there", {"ProtectHome", "DynamicUser", "InaccessiblePaths",
                                                      "TemporaryFileSystem"}},
      {"proc-sys", "whether root can tune the kernel (/proc/sys)", {"ProtectKernelTunables"}},
      {"cgroup", "whether root can manage control groups", {"ProtectControlGroups"}},
      {"dev", "the devices a session sees", {"PrivateDevices", "DevicePolicy", "DeviceAllow"}},
      {"tmp", "whether /tmp is the machine's", {"PrivateTmp", "DynamicUser"}},
      {"net", "the network interfaces a session has", {"PrivateNetwork", "NetworkNamespacePath"}},
      {"proc", "the processes a session can see", {"PrivatePIDs", "ProtectProc", "ProcSubset"}},
  };
  return facts;
}

std::vector<std::string> session_differences(const SessionView& baseline, const SessionView& hardened,
                                             const std::vector<Directive>& dropin, bool commands) {
  std::set<std::string> set_keys;
  for (const auto& d : dropin) set_keys.insert(d.key);
  std::vector<std::string> out;
  for (const auto& fact : session_facts()) {
    auto b = baseline.find(fact.key), h = hardened.find(fact.key);
    if (b == baseline.end() || h == hardened.end() || b->second == h->second) continue;
    // Every filter-based directive of the registry installs seccomp.
    std::vector<std::string> candidates = fact.directives;
    if (fact.key == "seccomp" || fact.key == "nnp")
      for (const auto& row : unit::directive_table())
        if (row.implies_nnp) candidates.push_back(row.name);
    std::vector<std::string> named;
    for (const auto& key : candidates)
      if (set_keys.count(key) && std::find(named.begin(), named.end(), key) == named.end()) named.push_back(key);
    if (!commands && !named.empty() && std::all_of(named.begin(), named.end(), [](const std::string& k) {
          const auto* e = unit::session_effect(k);
          return e && e->only_with_commands;
        }))
      continue;
    out.push_back(fmt::format("{}: {} -> {}, set by {}", fact.meaning, b->second, h->second,
                              named.empty() ? "none of the drop-in's lines (the unit's own settings?)"
                                            : fmt::format("{}=", fmt::join(named, "=, "))));
  }
  return out;
}

}  // namespace sdh::verify
