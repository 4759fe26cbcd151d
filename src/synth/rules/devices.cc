// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: device nodes: PrivateDevices= and the device policy.
#include "synth/rules/rules.h"

#include "synth/syscall_groups.h"

namespace sdh::synth::rules {
namespace {



RuleOutcome decide_private_devices(const Context& c) {
  RuleOutcome r;
  if (c.unit.private_devices) return r;
  auto devs = real_devices(c.ev);
  if (!devs.empty()) {
    r.not_set.push_back(refuse("PrivateDevices=yes", "opens " + sample(path_list(devs))));
    return r;
  }
  if (c.ev.flag("mounts")) {
    r.not_set.push_back(refuse("PrivateDevices=yes", "mounts file systems (needs the host's mount namespace)"));
    return r;
  }
  r.options.push_back(single("PrivateDevices", "yes",
                             fmt::format("only pseudo devices (/dev/null, /dev/urandom, ...) used ({})", c.scope())));
  return r;
}

}  // namespace

const Rule& rule_private_devices() {
  static const Rule r{
      .id = "private-devices",
      .keys = {"PrivateDevices"},
      .assessors = {"PrivateDevices"},
      .mount_namespace = true,
      .forbidden_by = "opening a device node other than the pseudo devices",
      .implies = "DevicePolicy=closed, drops CAP_MKNOD and CAP_SYS_RAWIO, denies @raw-io",
      .decide = decide_private_devices, .order = 120};
  return r;
}

namespace {

RuleOutcome decide_device_policy(const Context& c) {
  RuleOutcome r;
  if (c.unit.device_policy != unit::DevicePolicy::auto_) return r;
  std::vector<const PathUse*> used;
  for (const auto& [path, use] : c.ev.paths) {
    if (!(use.is_device || path_under(path, "/dev")) || path == "/dev") continue;
    if (path_under(path, "/dev/pts") || path_under(path, "/dev/shm") || path_under(path, "/dev/mqueue") ||
        path_under(path, "/dev/fd") || path == "/dev/log" || path_under(path, "/dev/hugepages")) {
      continue;  // not device nodes, or covered by the standard allow-list
    }
    if (use.access == profile::kStat) continue;
    used.push_back(&use);
  }
  // (A device path is quoted where it needs to be, through the one writer.)
  std::vector<const PathUse*> non_pseudo;
  for (const auto* u : used)
    if (!is_pseudo_device(u->path)) non_pseudo.push_back(u);
  auto dev_allow = [&](Option& o, const std::vector<const PathUse*>& entries) {
    for (const auto* u : entries)
      o.directives.push_back(
          make("DeviceAllow", {written_path(u->path) + " " + device_access(*u)}, "opened by " + who(u->executables)));
  };
  {
    Option o;
    o.forbids = 0;
    o.directives.push_back(make("DevicePolicy", {"closed"},
                                non_pseudo.empty() ? fmt::format("only pseudo devices used ({})", c.scope())
                                                   : "device access limited to the nodes below"));
    dev_allow(o, non_pseudo);
    r.options.push_back(o);
  }
  {
    Option o;
    o.forbids = 1;
    o.directives.push_back(make("DevicePolicy", {"strict"},
                                used.empty() ? fmt::format("no device node opened ({})", c.scope())
                                             : "device access limited to the nodes below"));
    dev_allow(o, used);
    r.options.push_back(o);
  }
  return r;
}

// ---- file system view ---------------------------------------------------

}  // namespace

const Rule& rule_device_policy() {
  static const Rule r{
      .id = "device-policy",
      .keys = {"DevicePolicy", "DeviceAllow"},
      .assessors = {"DeviceAllow"},
      .mount_namespace = false,
      .forbidden_by = "a device node opened that is not in DeviceAllow=",
      .implies = "",
      .decide = decide_device_policy, .order = 130};
  return r;
}

// This file's rules; knowledge_base() puts every file's in the optimiser's order.
std::vector<const Rule*> devices_rules() {
  return {
      &rule_private_devices(),
      &rule_device_policy(),
  };
}

}  // namespace sdh::synth::rules
