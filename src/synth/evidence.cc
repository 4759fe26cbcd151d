// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/evidence.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

#include <fmt/core.h>

#include "unit/syscalls.h"
#include "unit/value_writer.h"

namespace sdh::synth {

namespace {

void note(std::map<std::string, Witness>& m, const std::string& key, const std::string& exe, uint64_t n) {
  auto& w = m[key];
  w.executables.insert(exe);
  w.count += n == 0 ? 1 : n;
}

// NSS modules whose library name says which service they talk to.
std::optional<std::string> nss_module_of(const std::string& path) {
  auto slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.rfind("libnss_", 0) != 0) return std::nullopt;
  auto dot = base.find('.');
  return base.substr(7, dot == std::string::npos ? std::string::npos : dot - 7);
}

// Libraries that generate code at run time (W+X mappings even when the
// profiled workload did not trigger them).
std::optional<std::string> jit_engine_of(const std::string& path) {
  static const std::pair<const char*, const char*> kJit[] = {
      {"libluajit", "LuaJIT"},         {"libjvm.so", "Java HotSpot"}, {"libonnxruntime", "ONNX Runtime"},
      {"libmozjs", "SpiderMonkey"},    {"libv8", "V8"},               {"libnode.so", "Node.js/V8"},
      {"libgccjit", "libgccjit"},      {"libmono", "Mono"},           {"libcoreclr", ".NET CoreCLR"},
      {"libpypy", "PyPy"},             {"libjavascriptcore", "JavaScriptCore"}};
  auto slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  for (const auto& [prefix, engine] : kJit) {
    if (base.rfind(prefix, 0) == 0) return std::string(engine);
  }
  return std::nullopt;
}

// Whether a drop-in can name `path`; when not, it is recorded (escaped) with
// why. The daemon chose the name, so it may be built to break out of a
// unit-file line: such a path is never granted (left out of the evidence,
// every rule treats it as unused and restricts rather than grants).
bool writable(Evidence& ev, const std::string& path) {
  auto w = unit::write_path_item(path);
  if (w) return true;
  ev.unnameable.emplace(unit::escape_for_display(path), w.error().message());
  return false;
}

// An IP peer is written into IPAddressAllow=: it must be an address, as the
// kernel would have reported it, not text the profile made up.
bool address_text_ok(Evidence& ev, const profile::SocketAddressUse& a) {
  if (a.family != "AF_INET" && a.family != "AF_INET6") return true;
  if (a.address.empty() || a.address == "*") return true;
  unsigned char buf[sizeof(struct in6_addr)];
  if (inet_pton(a.family == "AF_INET" ? AF_INET : AF_INET6, a.address.c_str(), buf) == 1) return true;
  ev.unnameable.emplace(unit::escape_for_display(a.address), "not an " + a.family + " address");
  return false;
}

}  // namespace

std::string thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  int k = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++k) {
    if (k > 0 && k % 3 == 0) out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
  }
  return out;
}

std::string who(const std::set<std::string>& executables) {
  if (executables.empty()) return "the service";
  if (executables.size() == 1) return *executables.begin();
  return fmt::format("{} and {} other{}", *executables.begin(), executables.size() - 1,
                     executables.size() == 2 ? "" : "s");
}

std::string systemd_arch(const std::string& m) {
  if (m == "x86-64" || m == "x86_64" || m == "amd64") return "x86-64";
  if (m == "i386" || m == "i486" || m == "i586" || m == "i686" || m == "x86") return "x86";
  if (m == "aarch64" || m == "arm64") return "arm64";
  if (m == "arm" || m == "armhf" || m == "armel") return "arm";
  return m;
}

bool is_pseudo_device(const std::string& path) {
  static const char* kExact[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                                 "/dev/tty",  "/dev/ptmx", "/dev/log",  "/dev/stdin",  "/dev/stdout",
                                 "/dev/stderr", "/dev"};
  for (const char* p : kExact) {
    if (path == p) return true;
  }
  for (const char* p : {"/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/hugepages", "/dev/fd"}) {
    if (path_under(path, p)) return true;
  }
  return false;
}

std::string Evidence::scope() const {
  return fmt::format("{} run{}, {} events", runs, runs == 1 ? "" : "s", thousands(events));
}

std::vector<const PathUse*> Evidence::paths_under(const std::string& prefix, uint32_t bits) const {
  std::vector<const PathUse*> out;
  for (auto it = paths.lower_bound(prefix); it != paths.end(); ++it) {
    if (!path_under(it->first, prefix)) {
      if (it->first.compare(0, prefix.size(), prefix) != 0) break;
      continue;  // "/tmpfoo" sorts among "/tmp/..." siblings
    }
    if (it->second.access & bits) out.push_back(&it->second);
  }
  return out;
}

bool is_pid_name(const std::string& component) {
  return !component.empty() &&
         std::all_of(component.begin(), component.end(), [](unsigned char ch) { return ch >= '0' && ch <= '9'; });
}

Evidence digest(const profile::Profile& p) {
  Evidence ev;
  ev.runs = p.runs;
  ev.events = p.events;
  ev.lost_events = p.lost_events;
  ev.architecture = p.architecture;
  ev.credentials_tracked = p.credentials_tracked;
  for (const auto& e : p.executables) {
    const std::string& exe = e.path;
    if (profile::is_service_manager(exe)) {
      ev.ignored_executables[exe] = "systemd's own set-up of the sandbox before exec";
      continue;
    }
    ev.executables.insert(exe);
    if (!e.elf_machine.empty()) ev.machines[exe] = e.elf_machine;
    if (!e.interpreter.empty()) ev.interpreters[exe] = e.interpreter;
    if (e.setuid_binary) ev.setuid_executables.insert(exe);
    for (const auto& [phase, names] : e.syscalls) {
      auto& dst = phase == profile::Phase::startup ? ev.syscalls_startup : ev.syscalls_serving;
      for (const auto& name : names) {
        // A name the syscall table does not know would be copied into
        // SystemCallFilter=, where systemd ignores it: never granted.
        if (!unit::is_known_syscall(name)) {
          ev.unnameable.emplace(unit::escape_for_display(name), "not a system call this release's tables know");
          continue;
        }
        ev.syscalls_all.insert(name);
        dst.insert(name);
      }
    }
    for (const auto& s : e.sockets) note(ev.families, s.family, exe, s.count);
    for (const auto& a : e.addresses) {
      if (!address_text_ok(ev, a)) continue;
      ev.addresses.push_back({a.op, a.family, a.address, exe, a.port, a.count});
      // bind() on a path creates the socket file, and daemons unlink a stale
      // one first: that needs a writable mount as much as open(O_CREAT) does.
      if (a.op == "bind" && a.family == "AF_UNIX" && !a.address.empty() && a.address[0] == '/' &&
          writable(ev, a.address)) {
        auto& u = ev.paths[a.address];
        u.path = a.address;
        u.access |= profile::kCreate | profile::kDelete;
        u.is_socket = true;
        u.count += a.count;
        u.executables.insert(exe);
      }
    }
    for (const auto& f : e.files) {
      if (!writable(ev, f.path)) continue;
      auto& u = ev.paths[f.path];
      u.path = f.path;
      u.access |= f.access;
      u.count += f.count;
      u.executables.insert(exe);
      if (f.is_device) {
        u.is_device = true;
        u.device_type = f.device_type;
      }
      if (auto m = nss_module_of(f.path)) ev.nss_modules[*m] = f.path;
      if (auto j = jit_engine_of(f.path)) ev.jit_libraries[f.path] = *j;
      if (path_under(f.path, "/etc/pam.d")) ev.pam_files.insert(f.path);
    }
    for (const auto& c : e.capabilities) {
      // A denied check the daemon survived is not a need; a granted or
      // inferred one is.
      if (c.granted || c.inferred) note(ev.capabilities, c.capability, exe, c.count);
    }
    const std::pair<const char*, bool> flags[] = {
        {"wx_mapping", e.wx_mapping},           {"personality_change", e.personality_change},
        {"realtime_scheduling", e.realtime_scheduling}, {"mounts", e.mounts},
        {"clock_change", e.clock_change},       {"hostname_change", e.hostname_change},
        {"kernel_module", e.kernel_module},     {"keyring", e.keyring},
        {"kernel_log", e.kernel_log},           {"sysv_ipc", e.sysv_ipc},
        {"setuid_file_created", e.setuid_file_created}, {"uid_change", e.uid_change},
        {"gid_change", e.gid_change},           {"exec_setuid", e.exec_setuid}};
    for (const auto& [name, on] : flags) {
      if (on) note(ev.flags, name, exe, 1);
    }
    for (const auto& ns : e.namespaces_created) note(ev.namespaces, ns, exe, 1);
    ev.uid_targets.insert(e.uid_targets.begin(), e.uid_targets.end());
    ev.gid_targets.insert(e.gid_targets.begin(), e.gid_targets.end());
    for (const auto& origin : e.root_after_startup) ev.root_after_startup[origin].insert(exe);
    if (!e.socket_activation_fds.empty()) ev.socket_activated = true;
  }
  // The kernel checks CAP_SYS_ADMIN (without auditing) for memory accounting
  // on ordinary mmap()/brk(), so a granted check alone does not show a need:
  // keep it only when an operation that needs it was seen.
  if (auto it = ev.capabilities.find("CAP_SYS_ADMIN"); it != ev.capabilities.end()) {
    static const char* kAdminCalls[] = {"mount",   "umount2",   "pivot_root", "swapon",  "swapoff", "quotactl",
                                        "bpf",     "fanotify_init", "open_by_handle_at", "setns", "unshare",
                                        "sethostname", "setdomainname", "lookup_dcookie", "move_mount", "fsmount",
                                        "fsopen",  "mount_setattr", "open_tree", "perf_event_open"};
    std::vector<std::string> seen;
    for (const char* sc : kAdminCalls) {
      if (ev.syscalls_all.count(sc)) seen.push_back(sc);
    }
    bool needed = !seen.empty() || ev.flag("mounts") || ev.flag("hostname_change") || !ev.namespaces.empty();
    if (!needed) {
      ev.ignored_capabilities["CAP_SYS_ADMIN"] = fmt::format(
          "{} granted checks but no mount, namespace, BPF or other administrative call: the kernel's memory "
          "accounting checks it on ordinary allocations",
          it->second.count);
      ev.capabilities.erase(it);
    }
  }
  // The kernel checks CAP_NET_ADMIN where an unprivileged path exists too:
  // opening /proc/sys/net files (to treat root as their owner; reading them
  // needs no privilege) and the socket options programs try before their
  // unprivileged fallback (SO_RCVBUFFORCE before SO_RCVBUF). Without a
  // netlink or packet socket, a write under /proc/sys/net or the tun device,
  // the check shows no configuration of the network: the capability is left
  // out on trial, and verification grants it back if the service needs it.
  if (auto it = ev.capabilities.find("CAP_NET_ADMIN"); it != ev.capabilities.end()) {
    bool configures = ev.families.count("AF_NETLINK") || ev.families.count("AF_PACKET") ||
                      !ev.paths_under("/proc/sys/net", kWriteBits).empty() || ev.paths.count("/dev/net/tun");
    if (!configures) {
      ev.ignored_capabilities["CAP_NET_ADMIN"] =
          fmt::format("{} granted checks but no netlink or packet socket, no write under /proc/sys/net and no tun "
                      "device: reading /proc/sys/net and socket options with an unprivileged fallback check it",
                      it->second.count);
      ev.capabilities.erase(it);
    }
  }
  // CAP_SETPCAP is checked when a process drops capabilities from its
  // bounding set (libcap-ng's capng_apply() at the end of a daemon's own
  // privilege drop) or sets securebits. Under a drop-in that narrows the
  // bounding set, what the daemon would drop is gone already: the capability
  // is left out on trial, and verification grants it back (prctl() or
  // capset() refused) if the daemon insists.
  if (auto it = ev.capabilities.find("CAP_SETPCAP"); it != ev.capabilities.end()) {
    ev.ignored_capabilities["CAP_SETPCAP"] = fmt::format(
        "{} granted checks, which come from dropping capabilities or setting securebits: under the narrowed "
        "bounding set there is nothing left to drop",
        it->second.count);
    ev.capabilities.erase(it);
  }
  // A setuid exec whose binary was not profiled itself: name who ran it.
  if (ev.setuid_executables.empty() && ev.flag("exec_setuid")) {
    for (const auto& e : ev.flags.at("exec_setuid").executables) ev.setuid_executables.insert("a binary run by " + e);
  }
  return ev;
}

}  // namespace sdh::synth
