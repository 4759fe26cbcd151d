// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: address families, IP allow-lists, socket binds, private network.
#include "synth/rules/rules.h"

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {

RuleOutcome decide_address_families(const Context& c) {
  RuleOutcome r;
  std::set<std::string> fams;
  std::vector<std::string> reasons;
  for (const auto& [f, w] : c.ev.families) {
    fams.insert(f);
    reasons.push_back(fmt::format("{} by {}", f, who(w.executables)));
  }
  // NSS/PAM modules talk to their back-ends through families the profiled
  // workload may not have exercised.
  for (const auto& [module, lib] : c.ev.nss_modules) {
    std::set<std::string> need;
    if (module == "ldap" || module == "nis" || module == "nisplus" || module == "winbind" || module == "wins" ||
        module.rfind("mdns", 0) == 0 || module == "dns") {
      need = {"AF_UNIX", "AF_INET", "AF_INET6"};
    } else if (module == "sss" || module == "systemd" || module == "resolve" || module == "mymachines") {
      need = {"AF_UNIX"};
    }
    for (const auto& f : need) {
      if (fams.insert(f).second) reasons.push_back(fmt::format("{} for NSS module {}", f, lib));
    }
  }
  if (!c.ev.pam_files.empty()) {
    for (const char* f : {"AF_UNIX", "AF_NETLINK"}) {
      if (fams.insert(f).second) reasons.push_back(fmt::format("{} for PAM (audit, nscd)", f));
    }
  }
  const auto& cur = c.unit.restrict_address_families;
  if (cur.configured) {
    std::set<std::string> bounded;
    for (const auto& f : fams) {
      if (cur.allow_list ? cur.names.count(f) > 0 : cur.names.count(f) == 0) bounded.insert(f);
    }
    if (cur.allow_list && bounded == cur.names) return r;  // nothing to narrow
    fams = bounded;
  }
  std::vector<std::string> values;
  if (cur.configured) values.push_back("");
  values.push_back(fams.empty() ? "none" : join(fams));
  std::vector<std::string> absent;
  for (const char* f : {"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET"}) {
    if (!fams.count(f)) absent.push_back(f);
  }
  std::string none_of;
  for (size_t i = 0; i < absent.size(); ++i) {
    none_of += (i == 0 ? "" : i + 1 == absent.size() ? " or " : ", ") + absent[i];
  }
  std::string why = fams.empty() ? fmt::format("no socket created in {}", c.scope())
                    : absent.empty()
                        ? fmt::format("{} ({})", sample(reasons, 4), c.scope())
                        : fmt::format("{}; no {} socket in {}", sample(reasons, 4), none_of, c.scope());
  if (c.ev.socket_activated) why += "; listening sockets are passed in by socket activation";
  Option o;
  o.directives.push_back(make("RestrictAddressFamilies", values, why));
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_restrict_address_families() {
  static const Rule r{
      .id = "restrict-address-families",
      .keys = {"RestrictAddressFamilies"},
      .assessors = {"RestrictAddressFamilies_AF_INET_INET6", "RestrictAddressFamilies_AF_UNIX", "RestrictAddressFamilies_AF_NETLINK", "RestrictAddressFamilies_AF_PACKET", "RestrictAddressFamilies_OTHER"},
      .mount_namespace = false,
      .forbidden_by = "socket() of another family; NSS/PAM modules' back-ends",
      .implies = "NoNewPrivileges= when unprivileged; passed-in sockets are not affected",
      .decide = decide_address_families, .order = 80};
  return r;
}

namespace {

bool loopback(const std::string& a) {
  return a.rfind("127.", 0) == 0 || a == "::1" || a == "localhost" || a == "::ffff:127.0.0.1";
}

bool wildcard(const std::string& a) { return a.empty() || a == "0.0.0.0" || a == "::" || a == "*"; }

bool ip_family(const std::string& f) { return f == "AF_INET" || f == "AF_INET6"; }

RuleOutcome decide_ip_address(const Context& c) {
  RuleOutcome r;
  if (!c.unit.ip_address_deny.empty() || !c.unit.ip_ingress_filter_path.empty()) return r;
  std::set<std::string> peers;
  std::vector<std::string> open;
  bool any_ip = false;
  for (const auto& a : c.ev.addresses) {
    if (!ip_family(a.family)) continue;
    any_ip = true;
    if (a.op == "bind" || a.op == "listen") {
      if (!loopback(a.address)) open.push_back(fmt::format("{} binds {}:{}", a.executable, a.address.empty() ? "*" : a.address, a.port));
    } else if (a.op == "accept") {
      if (!loopback(a.address)) open.push_back(fmt::format("{} accepts from {}", a.executable, a.address));
    } else if (!loopback(a.address) && !wildcard(a.address)) {
      peers.insert(a.address);
    }
  }
  bool ip_sockets = c.ev.families.count("AF_INET") || c.ev.families.count("AF_INET6");
  // Passed sockets bring clients the profile cannot name; sockets that are
  // not IP (paths, abstract names, netlink...) bring none an IP rule sees.
  std::vector<std::string> passed, passed_ip;
  if (c.ev.socket_activated && c.activation) {
    for (const auto& l : *c.activation) {
      passed.push_back(fmt::format("{} {}={}", l.socket_unit, l.kind, l.value));
      if (l.ip()) passed_ip.push_back(passed.back());
    }
  }
  if (!open.empty() || (c.ev.socket_activated && (!c.activation || !passed_ip.empty()))) {
    std::string why = !open.empty()      ? sample(open) + ": clients can come from anywhere"
                      : !c.activation    ? "socket-activated: clients of the passed sockets are unknown"
                                         : sample(passed_ip) + ": clients can come from anywhere";
    r.not_set.push_back(refuse("IPAddressDeny=any", why));
    return r;
  }
  if (!any_ip && !ip_sockets) {
    std::string why = fmt::format("no IP traffic ({})", c.scope());
    if (!passed.empty()) why += "; the passed sockets are not IP: " + sample(passed);
    r.options.push_back(single("IPAddressDeny", "any", why));
    return r;
  }
  // NSS modules that talk to directory servers fail over to servers of their
  // own configuration: the peers seen are not the whole list.
  for (const auto& [module, lib] : c.ev.nss_modules) {
    if (module == "ldap" || module == "nis" || module == "nisplus" || module == "winbind" || module == "sss") {
      if (peers.empty()) continue;
      r.not_set.push_back(refuse("IPAddressDeny=any",
                                 fmt::format("NSS module {} reaches the servers of its own configuration; {} seen, "
                                             "others would be blocked on fail-over",
                                             lib, join(peers, ", "))));
      return r;
    }
  }
  Option o;
  o.directives.push_back(make("IPAddressDeny", {"any"},
                              fmt::format("IP traffic only to {} ({})",
                                          peers.empty() ? "localhost" : "localhost and " + join(peers, ", "),
                                          c.scope())));
  std::string allow = "localhost";
  for (const auto& p : peers) allow += " " + p;
  o.directives.push_back(make("IPAddressAllow", {allow}, "the peers observed"));
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_ip_address() {
  static const Rule r{
      .id = "ip-address",
      .keys = {"IPAddressDeny", "IPAddressAllow"},
      .assessors = {"IPAddressDeny"},
      .mount_namespace = false,
      .forbidden_by = "listening on a non-loopback address (unknown clients)",
      .implies = "",
      .decide = decide_ip_address, .order = 100};
  return r;
}

namespace {

RuleOutcome decide_socket_bind(const Context& c) {
  RuleOutcome r;
  if (!c.unit.socket_bind_allow.empty() || !c.unit.socket_bind_deny.empty()) return r;
  bool ip_sockets = c.ev.families.count("AF_INET") || c.ev.families.count("AF_INET6");
  if (!ip_sockets) return r;  // RestrictAddressFamilies= already covers it
  if (!unit::has_feature(c.version, "BPF_FRAMEWORK")) {
    r.not_set.push_back(refuse("SocketBindDeny=any",
                               "not scored, and Debian's systemd " + unit::to_string(c.version) +
                                   " is built without the BPF framework it needs"));
    return r;
  }
  std::set<std::string> allows;
  for (const auto& a : c.ev.addresses) {
    if (a.op != "bind" || !ip_family(a.family)) continue;
    if (a.port == 0) {
      r.not_set.push_back(refuse("SocketBindDeny=any", a.executable + " binds an ephemeral port"));
      return r;
    }
    allows.insert(fmt::format("{}:{}", a.family == "AF_INET" ? "ipv4" : "ipv6", a.port));
  }
  Option o;
  o.required = true;  // unscored defence: the binds observed and nothing else
  o.directives.push_back(make("SocketBindDeny", {"any"},
                              allows.empty() ? "no bind() on an IP socket" : "binds only the ports below"));
  // One rule per assignment: systemd takes a single bind rule per line.
  if (!allows.empty()) {
    o.directives.push_back(make("SocketBindAllow", {allows.begin(), allows.end()}, "the ports bound"));
  }
  r.options.push_back(o);
  return r;
}

}  // namespace

const Rule& rule_socket_bind() {
  static const Rule r{
      .id = "socket-bind",
      .keys = {"SocketBindDeny", "SocketBindAllow"},
      .assessors = {},
      .mount_namespace = false,
      .forbidden_by = "bind() of an ephemeral port; systemd without BPF framework",
      .implies = "",
      .decide = decide_socket_bind, .order = 110};
  return r;
}

namespace {

RuleOutcome decide_private_network(const Context& c) {
  RuleOutcome r;
  if (c.unit.private_network) return r;
  std::vector<std::string> why;
  for (const char* f : {"AF_INET", "AF_INET6", "AF_PACKET"}) {
    auto it = c.ev.families.find(f);
    if (it != c.ev.families.end()) why.push_back(fmt::format("{} socket by {}", f, who(it->second.executables)));
  }
  for (const auto& a : c.ev.addresses) {
    if (ip_family(a.family)) {
      why.push_back(fmt::format("{} {} {}", a.executable, a.op, a.address));
      break;
    }
  }
  for (const auto& a : c.ev.addresses) {
    if (a.family == "AF_UNIX" && !a.address.empty() && a.address[0] == '@') {
      why.push_back(fmt::format("abstract socket {} (per network namespace)", a.address));
      break;
    }
  }
  if (!why.empty()) {
    r.not_set.push_back(refuse("PrivateNetwork=yes", sample(why)));
    return r;
  }
  r.options.push_back(single("PrivateNetwork", "yes",
                             fmt::format("no IP, packet or abstract-socket use ({})", c.scope())));
  return r;
}

// ---- devices ------------------------------------------------------------

}  // namespace

const Rule& rule_private_network() {
  static const Rule r{
      .id = "private-network",
      .keys = {"PrivateNetwork"},
      .assessors = {"PrivateNetwork"},
      .mount_namespace = false,
      .forbidden_by = "any IP or packet socket, abstract AF_UNIX sockets",
      .implies = "",
      .decide = decide_private_network, .order = 90};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> network_rules() {
  return {
      &rule_restrict_address_families(),
      &rule_ip_address(),
      &rule_socket_bind(),
      &rule_private_network(),
  };
}

}  // namespace sdh::synth::rules
