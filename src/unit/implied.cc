// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/implied.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "unit/directives.h"
#include "unit/unit_name.h"
#include "util/strings.h"

namespace sdh::unit {

std::string dynamic_user_name(const std::string& unit_name) {
  auto n = parse_unit_name(unit_name);
  std::string prefix = n ? n->prefix : unit_name;
  // systemd uses the prefix when it is a valid strict user name, else a hash.
  bool valid = !prefix.empty() && prefix.size() <= 31 &&
               (std::isalpha(static_cast<unsigned char>(prefix[0])) || prefix[0] == '_') &&
               std::all_of(prefix.begin(), prefix.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
               });
  if (valid) return prefix;
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: a stable, made-up-looking name
  for (unsigned char c : prefix) h = (h ^ c) * 1099511628211ULL;
  char buf[32];
  snprintf(buf, sizeof buf, "_du%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

// The last value assigned to `key` in the unit's own section ("" when none).
std::string last_value(const std::vector<Assignment>& assignments, const std::string& section, const std::string& key) {
  std::string v;
  for (const auto& a : assignments)
    if (a.key == key && a.section == section) v = a.value;
  return v;
}

// What systemd's check of a loaded service refuses, from its command lines
// and type (the type it infers when Type= is not set: dbus with a BusName=,
// simple with an ExecStart=, else oneshot).
std::string service_refusal(const UnitSettings& s, const std::vector<Assignment>& assignments) {
  auto lines = [&](const char* key) {
    auto it = s.exec_lines.find(key);
    return it == s.exec_lines.end() ? size_t{0} : it->second.size();
  };
  const size_t start = lines("ExecStart"), stop = lines("ExecStop");
  const bool bus_name = !last_value(assignments, "Service", "BusName").empty();
  std::string type;
  for (const auto& a : assignments)
    if (a.section == "Service" && a.key == "Type" && a.value == s.service_type) type = a.value;
  if (type.empty()) type = bus_name ? "dbus" : start ? "simple" : "oneshot";
  const std::string success_action = last_value(assignments, "Unit", "SuccessAction");
  const bool success = !success_action.empty() && success_action != "none";
  const bool remain = parse_boolean(last_value(assignments, "Service", "RemainAfterExit")).value_or(false);
  if (!start && !stop && !success) return "the service has no ExecStart=, ExecStop= or SuccessAction=";
  if (type != "oneshot" && !start) return "the service has no ExecStart=, which only Type=oneshot may lack";
  if (!remain && !start && !success)
    return "the service has no ExecStart= and no SuccessAction=, and RemainAfterExit= is not set";
  if (type != "oneshot" && start > 1) return "the service has more than one ExecStart=, which only Type=oneshot may have";
  if (type == "dbus" && !bus_name) return "the service is of Type=dbus but has no BusName=";
  return "";
}

}  // namespace

std::string refusal(const UnitSettings& s, const std::vector<Assignment>& assignments, SystemdVersion version) {
  if (!s.has_exec_context) return "";
  const std::string own = own_section(s.type);
  const bool is_service = s.type == "service";
  const std::string pam = last_value(assignments, own, "PAMName");
  const std::string kill_mode = last_value(assignments, own, "KillMode");
  if (!pam.empty() && (is_service || has_change(version, Change::exec_context_checks)) &&
      !(kill_mode.empty() || kill_mode == "control-group" || kill_mode == "mixed"))
    return "PAMName= needs KillMode=control-group or mixed";
  if (has_change(version, Change::exec_context_checks)) {
    if (s.dynamic_user && s.user_manager) return "DynamicUser= is not supported for user units";
    std::string wd = last_value(assignments, own, "WorkingDirectory");
    if (s.dynamic_user && (wd == "~" || wd == "-~")) return "DynamicUser= cannot use WorkingDirectory=~";
  }
  // PrivatePIDs= is only parsed by releases that check these.
  if (s.private_pids) {
    if (!is_service) return "PrivatePIDs= is only supported for service units";
    if (s.service_type == "forking") return "PrivatePIDs= does not work with Type=forking";
    if (!pam.empty() && has_change(version, Change::managed_users_pam_checks))
      return "PAMName= does not work with PrivatePIDs=";
  }
  if (is_service) {
    if (std::string why = service_refusal(s, assignments); !why.empty()) return why;
  }
  auto mode = s.modes.find("PrivateUsers");
  if (mode != s.modes.end() && mode->second == "managed" && has_change(version, Change::managed_users_pam_checks) &&
      (s.dynamic_user || !pam.empty() || (s.user && !s.user->empty()) || (s.group && !s.group->empty())))
    return "PrivateUsers=managed does not work with User=, Group=, DynamicUser= or PAMName=";
  return "";
}

void apply_implied_settings(UnitSettings& s, SystemdVersion version) {
  if (s.has_exec_context) {
    if (s.private_devices)
      s.capability_bounding_set &= ~((uint64_t{1} << 27) | (uint64_t{1} << 17));  // MKNOD, SYS_RAWIO
    if (s.protect_kernel_modules) s.capability_bounding_set &= ~(uint64_t{1} << 16);  // SYS_MODULE
    if (s.protect_kernel_logs) s.capability_bounding_set &= ~(uint64_t{1} << 34);     // SYSLOG
    if (s.protect_clock)
      s.capability_bounding_set &= ~((uint64_t{1} << 25) | (uint64_t{1} << 35));  // SYS_TIME, WAKE_ALARM
    if (s.dynamic_user) {
      if (!s.user) s.user = dynamic_user_name(s.name);
      if (!s.group) s.group = s.user;
      // A transient user must not leave files or IPC objects behind.
      s.private_tmp = true;
      s.remove_ipc = true;
      s.protect_system = ProtectSystem::strict;
      if (s.protect_home == ProtectHome::no) s.protect_home = ProtectHome::read_only;
      s.no_new_privileges = true;
      s.restrict_suid_sgid = true;
    }
  }
  if (s.has_exec_context && s.has_cgroup_context) {
    if (s.private_devices && s.device_policy == DevicePolicy::auto_) s.device_policy = DevicePolicy::closed;
    // These entries only matter (and are only added) when some device
    // restriction is in place: they would otherwise switch on an allow-list.
    if (s.device_policy != DevicePolicy::auto_ || !s.device_allow.empty()) {
      if (!s.root_image.empty()) {
        s.device_allow.push_back({"/dev/loop-control", "rw"});
        s.device_allow.push_back({"/dev/mapper/control", "rw"});
        s.device_allow.push_back({"block-loop", "rwm"});
        s.device_allow.push_back({"block-blkext", "rwm"});
        s.device_allow.push_back({"block-device-mapper", "rwm"});
      }
      if (s.protect_clock) s.device_allow.push_back({"char-rtc", "r"});
      // Decrypting credentials may need the TPM: releases before 262 put it first.
      if (s.has_encrypted_credentials() && !has_change(version, Change::no_tpm_for_encrypted_credentials))
        s.device_allow.insert(s.device_allow.begin(), {"char-tpm", "rw"});
    }
  }
}

}  // namespace sdh::unit
