// SPDX-License-Identifier: GPL-2.0-or-later
// JSON form of Profile (docs/profile-schema.md). Reading is lenient about
// missing members (they keep their defaults) and strict about everything
// else: wrong types, negative counts and names that are not names refuse the
// profile with the member's location. Paths may be anything the tracer saw
// ("?/x" when a relative path's folder was unknown): the synthesiser decides
// what a drop-in can name.
#include <nlohmann/json.hpp>

#include "profile/profile.h"
#include "util/json_reader.h"

namespace sdh::profile {

using nlohmann::json;

namespace {

constexpr const char* key_count = "count";

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

using json_in::Node;

// Names the kernel and systemd give (a system call, AF_*, CAP_*, SOCK_*, an
// access or namespace kind, "x86-64"): letters, digits, "_" and "-" only. Anything else in
// such a field is not a profile sdharden wrote, and it would otherwise travel
// into a drop-in's list.
void expect_name(const Node& n, const std::string& v) {
  // (Empty is the default of every such field, and what is written for it.)
  for (char c : v)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      n.refuse("\"" + v + "\" is not a name (letters, digits, \"_\" and \"-\" only)");
}

void get_name(const Node& j, const char* key, std::string& out) {
  j.get(key, out);
  if (j.has(key)) expect_name(j.member(key), out);
}

FileAccess file_from_json(Node j) {
  j.expect_object();
  FileAccess f;
  j.get("path", f.path);
  j.get(key_count, f.count);
  std::vector<std::string> access;
  j.get("access", access);
  for (const auto& a : access) {
    uint32_t bit = access_bit(a);
    if (bit == 0) j.member("access").refuse("unknown access kind \"" + a + "\"");
    f.access |= bit;
  }
  if (j.has("device")) {
    Node d = j.member("device");
    d.expect_object();
    f.is_device = true;
    f.device_type = 'c';
    d.get("type", f.device_type);
    if (f.device_type != 'c' && f.device_type != 'b') d.member("type").refuse("device type must be \"c\" or \"b\"");
    d.get("major", f.major);
    d.get("minor", f.minor);
  }
  return f;
}

ExecutableProfile executable_from_json(Node j) {
  j.expect_object();
  ExecutableProfile e;
  j.get("path", e.path);
  get_name(j, "elf_machine", e.elf_machine);
  j.get("setuid_binary", e.setuid_binary);
  j.get("processes", e.processes);
  if (j.has("syscalls")) {
    Node sys = j.member("syscalls");
    sys.expect_object();
    for (const auto& [key, names] : sys.json().items()) {
      auto phase = phase_from_string(key);
      Node n = sys.member(key.c_str());
      if (!phase) n.refuse("unknown phase \"" + key + "\"");
      std::vector<std::string> list;
      n.to(list);
      for (size_t i = 0; i < list.size(); ++i) expect_name(Node(n.json()[i], n.where() + "[" + std::to_string(i) + "]"), list[i]);
      e.syscalls[*phase].insert(list.begin(), list.end());
    }
  }
  j.each("files", [&](Node f) { e.files.push_back(file_from_json(f)); });
  j.each("sockets", [&](Node s) {
    s.expect_object();
    SocketUse u;
    get_name(s, "family", u.family);
    get_name(s, "type", u.type);
    s.get("protocol", u.protocol);
    s.get(key_count, u.count);
    e.sockets.push_back(u);
  });
  j.each("addresses", [&](Node s) {
    s.expect_object();
    SocketAddressUse u;
    get_name(s, "op", u.op);
    get_name(s, "family", u.family);
    s.get("address", u.address);
    s.get("port", u.port);
    if (u.port < 0 || u.port > 65535) s.member("port").refuse("port out of range");
    s.get(key_count, u.count);
    e.addresses.push_back(u);
  });
  j.each("capabilities", [&](Node s) {
    s.expect_object();
    CapabilityCheck c;
    get_name(s, "capability", c.capability);
    s.get("granted", c.granted);
    s.get("inferred", c.inferred);
    s.get(key_count, c.count);
    e.capabilities.push_back(c);
  });
  j.each("failures", [&](Node s) {
    s.expect_object();
    FailedOperation f;
    get_name(s, "operation", f.operation);
    s.get("errno", f.error);
    s.get("detail", f.detail);
    s.get(key_count, f.count);
    e.failures.push_back(f);
  });
  j.get("wx_mapping", e.wx_mapping);
  j.get("personality_change", e.personality_change);
  j.get("realtime_scheduling", e.realtime_scheduling);
  j.get("namespaces_created", e.namespaces_created);
  for (const auto& ns : e.namespaces_created) expect_name(j.member("namespaces_created"), ns);
  j.get("mounts", e.mounts);
  j.get("clock_change", e.clock_change);
  j.get("hostname_change", e.hostname_change);
  j.get("kernel_module", e.kernel_module);
  j.get("keyring", e.keyring);
  j.get("kernel_log", e.kernel_log);
  j.get("sysv_ipc", e.sysv_ipc);
  j.get("setuid_file_created", e.setuid_file_created);
  j.get("uid_change", e.uid_change);
  j.get("gid_change", e.gid_change);
  j.get("uid_targets", e.uid_targets);
  j.get("gid_targets", e.gid_targets);
  j.get("exec_setuid", e.exec_setuid);
  j.get("socket_activation_fds", e.socket_activation_fds);
  j.get("started_by", e.started_by);
  j.get("root_after_startup", e.root_after_startup);
  j.get("interpreter", e.interpreter);
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
  return json_in::read(text, "profile", [](Node& j) {
    Profile p;
    j.get("schema_version", p.schema_version);
    if (p.schema_version != 1) j.member("schema_version").refuse("unsupported schema_version " + std::to_string(p.schema_version));
    j.get("unit", p.unit);
    j.get("command", p.command);
    get_name(j, "architecture", p.architecture);
    j.get("tracer", p.tracer);
    std::string boundary = "none";
    j.get("phase_boundary", boundary);
    auto b = boundary_from_string(boundary);
    if (!b) j.member("phase_boundary").refuse("unknown phase_boundary \"" + boundary + "\"");
    p.boundary = *b;
    j.get("runs", p.runs);
    j.get("events", p.events);
    j.get("lost_events", p.lost_events);
    j.get("duration_seconds", p.duration_seconds);
    if (!(p.duration_seconds >= 0)) j.member("duration_seconds").refuse("negative duration");
    j.get("credentials_tracked", p.credentials_tracked);
    j.each("executables", [&](Node e) { p.executables.push_back(executable_from_json(e)); });
    return p;
  });
}

}  // namespace sdh::profile
