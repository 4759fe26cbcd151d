// SPDX-License-Identifier: GPL-2.0-or-later
// JSON form of Profile (docs/profile-schema.md). Reading is lenient about
// missing members (they keep their defaults) and strict about wrong types.
#include <nlohmann/json.hpp>

#include "profile/profile.h"

namespace sdh::profile {

using nlohmann::json;

namespace {

json file_to_json(const FileAccess& f) {
  json j = {{"path", f.path}, {"access", access_names(f.access)}, {"count", f.count}};
  if (f.is_device) {
    j["device"] = {{"type", std::string(1, f.device_type)}, {"major", f.major}, {"minor", f.minor}};
  }
  return j;
}

json executable_to_json(const ExecutableProfile& e) {
  json syscalls = json::object();
  for (auto phase : {Phase::startup, Phase::serving}) {
    auto it = e.syscalls.find(phase);
    syscalls[to_string(phase)] = it == e.syscalls.end() ? json::array() : json(it->second);
  }
  json files = json::array();
  for (const auto& f : e.files) files.push_back(file_to_json(f));
  json sockets = json::array();
  for (const auto& s : e.sockets) {
    sockets.push_back({{"family", s.family}, {"type", s.type}, {"protocol", s.protocol}, {"count", s.count}});
  }
  json addresses = json::array();
  for (const auto& a : e.addresses) {
    addresses.push_back({{"op", a.op}, {"family", a.family}, {"address", a.address}, {"port", a.port},
                         {"count", a.count}});
  }
  json caps = json::array();
  for (const auto& c : e.capabilities) {
    caps.push_back({{"capability", c.capability}, {"granted", c.granted}, {"inferred", c.inferred},
                    {"count", c.count}});
  }
  json failures = json::array();
  for (const auto& f : e.failures) {
    failures.push_back({{"operation", f.operation}, {"errno", f.error}, {"detail", f.detail}, {"count", f.count}});
  }
  return {
      {"path", e.path},
      {"elf_machine", e.elf_machine},
      {"setuid_binary", e.setuid_binary},
      {"processes", e.processes},
      {"syscalls", syscalls},
      {"files", files},
      {"sockets", sockets},
      {"addresses", addresses},
      {"capabilities", caps},
      {"failures", failures},
      {"wx_mapping", e.wx_mapping},
      {"personality_change", e.personality_change},
      {"realtime_scheduling", e.realtime_scheduling},
      {"namespaces_created", e.namespaces_created},
      {"mounts", e.mounts},
      {"clock_change", e.clock_change},
      {"hostname_change", e.hostname_change},
      {"kernel_module", e.kernel_module},
      {"keyring", e.keyring},
      {"kernel_log", e.kernel_log},
      {"sysv_ipc", e.sysv_ipc},
      {"setuid_file_created", e.setuid_file_created},
      {"uid_change", e.uid_change},
      {"gid_change", e.gid_change},
      {"uid_targets", e.uid_targets},
      {"gid_targets", e.gid_targets},
      {"exec_setuid", e.exec_setuid},
      {"socket_activation_fds", e.socket_activation_fds},
      {"started_by", e.started_by},
      {"root_after_startup", e.root_after_startup},
      {"interpreter", e.interpreter},
  };
}

// Reads j[key] into out when present; throws json::type_error on a wrong type.
template <typename T>
void get_opt(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) it->get_to(out);
}

FileAccess file_from_json(const json& j) {
  FileAccess f;
  get_opt(j, "path", f.path);
  get_opt(j, "count", f.count);
  std::vector<std::string> access;
  get_opt(j, "access", access);
  for (const auto& a : access) {
    uint32_t bit = access_bit(a);
    if (bit == 0) throw std::invalid_argument("unknown access kind \"" + a + "\"");
    f.access |= bit;
  }
  if (auto it = j.find("device"); it != j.end() && it->is_object()) {
    f.is_device = true;
    std::string type = "c";
    get_opt(*it, "type", type);
    if (type != "c" && type != "b") throw std::invalid_argument("device type must be \"c\" or \"b\"");
    f.device_type = type[0];
    get_opt(*it, "major", f.major);
    get_opt(*it, "minor", f.minor);
  }
  return f;
}

ExecutableProfile executable_from_json(const json& j) {
  ExecutableProfile e;
  get_opt(j, "path", e.path);
  get_opt(j, "elf_machine", e.elf_machine);
  get_opt(j, "setuid_binary", e.setuid_binary);
  get_opt(j, "processes", e.processes);
  if (auto it = j.find("syscalls"); it != j.end()) {
    for (const auto& [key, names] : it->items()) {
      auto phase = phase_from_string(key);
      if (!phase) throw std::invalid_argument("unknown phase \"" + key + "\"");
      e.syscalls[*phase] = names.get<std::set<std::string>>();
    }
  }
  if (auto it = j.find("files"); it != j.end()) {
    for (const auto& f : *it) e.files.push_back(file_from_json(f));
  }
  if (auto it = j.find("sockets"); it != j.end()) {
    for (const auto& s : *it) {
      SocketUse u;
      get_opt(s, "family", u.family);
      get_opt(s, "type", u.type);
      get_opt(s, "protocol", u.protocol);
      get_opt(s, "count", u.count);
      e.sockets.push_back(u);
    }
  }
  if (auto it = j.find("addresses"); it != j.end()) {
    for (const auto& s : *it) {
      SocketAddressUse u;
      get_opt(s, "op", u.op);
      get_opt(s, "family", u.family);
      get_opt(s, "address", u.address);
      get_opt(s, "port", u.port);
      get_opt(s, "count", u.count);
      e.addresses.push_back(u);
    }
  }
  if (auto it = j.find("capabilities"); it != j.end()) {
    for (const auto& s : *it) {
      CapabilityCheck c;
      get_opt(s, "capability", c.capability);
      get_opt(s, "granted", c.granted);
      get_opt(s, "inferred", c.inferred);
      get_opt(s, "count", c.count);
      e.capabilities.push_back(c);
    }
  }
  if (auto it = j.find("failures"); it != j.end()) {
    for (const auto& s : *it) {
      FailedOperation f;
      get_opt(s, "operation", f.operation);
      get_opt(s, "errno", f.error);
      get_opt(s, "detail", f.detail);
      get_opt(s, "count", f.count);
      e.failures.push_back(f);
    }
  }
  get_opt(j, "wx_mapping", e.wx_mapping);
  get_opt(j, "personality_change", e.personality_change);
  get_opt(j, "realtime_scheduling", e.realtime_scheduling);
  get_opt(j, "namespaces_created", e.namespaces_created);
  get_opt(j, "mounts", e.mounts);
  get_opt(j, "clock_change", e.clock_change);
  get_opt(j, "hostname_change", e.hostname_change);
  get_opt(j, "kernel_module", e.kernel_module);
  get_opt(j, "keyring", e.keyring);
  get_opt(j, "kernel_log", e.kernel_log);
  get_opt(j, "sysv_ipc", e.sysv_ipc);
  get_opt(j, "setuid_file_created", e.setuid_file_created);
  get_opt(j, "uid_change", e.uid_change);
  get_opt(j, "gid_change", e.gid_change);
  get_opt(j, "uid_targets", e.uid_targets);
  get_opt(j, "gid_targets", e.gid_targets);
  get_opt(j, "exec_setuid", e.exec_setuid);
  get_opt(j, "socket_activation_fds", e.socket_activation_fds);
  get_opt(j, "started_by", e.started_by);
  get_opt(j, "root_after_startup", e.root_after_startup);
  get_opt(j, "interpreter", e.interpreter);
  return e;
}

}  // namespace

std::string profile_to_json(const Profile& p) {
  json executables = json::array();
  for (const auto& e : p.executables) executables.push_back(executable_to_json(e));
  json j = {
      {"schema_version", p.schema_version},
      {"unit", p.unit},
      {"command", p.command},
      {"architecture", p.architecture},
      {"tracer", p.tracer},
      {"phase_boundary", to_string(p.boundary)},
      {"runs", p.runs},
      {"events", p.events},
      {"lost_events", p.lost_events},
      {"complete", p.complete()},
      {"duration_seconds", p.duration_seconds},
      {"credentials_tracked", p.credentials_tracked},
      {"executables", executables},
  };
  return j.dump(2) + "\n";
}

Result<Profile> profile_from_json(const std::string& text) {
  try {
    json j = json::parse(text);
    if (!j.is_object()) return fail("profile: top level must be a JSON object");
    Profile p;
    get_opt(j, "schema_version", p.schema_version);
    if (p.schema_version != 1) {
      return fail("profile: unsupported schema_version " + std::to_string(p.schema_version));
    }
    get_opt(j, "unit", p.unit);
    get_opt(j, "command", p.command);
    get_opt(j, "architecture", p.architecture);
    get_opt(j, "tracer", p.tracer);
    std::string boundary = "none";
    get_opt(j, "phase_boundary", boundary);
    auto b = boundary_from_string(boundary);
    if (!b) return fail("profile: unknown phase_boundary \"" + boundary + "\"");
    p.boundary = *b;
    get_opt(j, "runs", p.runs);
    get_opt(j, "events", p.events);
    get_opt(j, "lost_events", p.lost_events);
    get_opt(j, "duration_seconds", p.duration_seconds);
    get_opt(j, "credentials_tracked", p.credentials_tracked);
    if (auto it = j.find("executables"); it != j.end()) {
      for (const auto& e : *it) p.executables.push_back(executable_from_json(e));
    }
    return p;
  } catch (const json::exception& e) {
    return fail(std::string("profile: ") + e.what());
  } catch (const std::invalid_argument& e) {
    return fail(std::string("profile: ") + e.what());
  }
}

}  // namespace sdh::profile
