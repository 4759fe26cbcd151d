// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/battery.h"

#include "util/strings.h"

#include <algorithm>
#include <sstream>

namespace sdh::verify {

using sdh::words;

namespace {


}  // namespace

const std::vector<BatteryRow>& battery_rows() {
  // closed_by: the directives meant to refuse the attempt (any one of them
  // may; a non-root User= refuses most of what root's modes allow).
  static const std::vector<BatteryRow> kRows = {
      // secrets
      {"read-shadow", "secrets", "read /etc/shadow", {"User", "DynamicUser", "InaccessiblePaths"}},
      {"read-gshadow", "secrets", "read /etc/gshadow", {"User", "DynamicUser", "InaccessiblePaths"}},
      {"read-ssh-host-key", "secrets", "read an SSH host key", {"User", "DynamicUser", "InaccessiblePaths"}},
      {"read-ssl-private", "secrets", "list /etc/ssl/private", {"User", "DynamicUser", "InaccessiblePaths"}},
      {"read-sudoers", "secrets", "read /etc/sudoers", {"User", "DynamicUser", "InaccessiblePaths"}},
      {"list-root-home", "secrets", "list /root", {"ProtectHome", "User", "DynamicUser"}},
      // persistence
      {"write-etc", "persistence", "create a file in /etc", {"ProtectSystem", "User", "DynamicUser"}},
      {"write-unit-dir", "persistence", "create a file in /etc/systemd/system", {"ProtectSystem", "User", "DynamicUser"}},
      {"write-cron", "persistence", "create a file in /etc/cron.d", {"ProtectSystem", "User", "DynamicUser"}},
      {"write-var-lib", "persistence", "create a file in /var/lib", {"ProtectSystem", "User", "DynamicUser"}},
      {"write-root-home", "persistence", "create a file in /root", {"ProtectHome", "User", "DynamicUser"}},
      {"write-run", "persistence", "create a file in /run", {"ProtectSystem", "User", "DynamicUser"}},
      {"write-dev-shm", "persistence", "create a file in /dev/shm", {"PrivateDevices", "PrivateIPC"}},
      {"write-var-tmp", "persistence", "create a file in a /var/tmp shared with others", {"PrivateTmp"}},
      // execution
      {"exec-in-tmp", "execution", "execute a file dropped in /tmp", {"NoExecPaths", "ExecPaths"}},
      {"exec-in-var-tmp", "execution", "execute a file dropped in /var/tmp", {"NoExecPaths", "ExecPaths"}},
      {"exec-in-dev-shm", "execution", "execute a file dropped in /dev/shm", {"NoExecPaths", "ExecPaths", "PrivateDevices"}},
      {"exec-in-run", "execution", "execute a file dropped in /run", {"NoExecPaths", "ExecPaths", "ProtectSystem"}},
      {"exec-memfd", "execution", "execute a program from a memfd", {"SystemCallFilter", "NoExecPaths", "MemoryDenyWriteExecute"}},
      {"exec-shell", "execution", "execute /bin/sh", {"NoExecPaths", "ExecPaths", "SystemCallFilter"}},
      {"wx-memory", "execution", "map memory writable and executable", {"MemoryDenyWriteExecute"}},
      // privilege
      {"uid-0", "privilege", "run as uid 0", {"User", "DynamicUser"}},
      {"caps-effective", "privilege", "hold effective capabilities", {"CapabilityBoundingSet", "User", "DynamicUser"}},
      {"caps-bounding", "privilege", "regain capabilities from the bounding set", {"CapabilityBoundingSet", "NoNewPrivileges"}},
      {"new-privileges", "privilege", "gain privileges through a setuid executable", {"NoNewPrivileges"}},
      {"setuid-file", "privilege", "create a setuid file", {"RestrictSUIDSGID", "NoNewPrivileges"}},
      // network
      {"socket-packet", "network", "open a packet socket", {"RestrictAddressFamilies", "CapabilityBoundingSet"}},
      {"socket-raw", "network", "open a raw IP socket", {"RestrictAddressFamilies", "CapabilityBoundingSet"}},
      {"socket-netlink", "network", "open a netlink route socket", {"RestrictAddressFamilies", "PrivateNetwork"}},
      {"socket-exotic", "network", "open an AF_ALG/AF_VSOCK/AF_KEY socket", {"RestrictAddressFamilies"}},
      {"connect-loopback", "network", "connect to another local port", {"IPAddressDeny", "PrivateNetwork", "SocketBindDeny"}},
      {"bind-port", "network", "listen on a new TCP port", {"SocketBindDeny", "PrivateNetwork", "RestrictAddressFamilies"}},
      // kernel surface
      {"io-uring", "kernel", "set up io_uring", {"SystemCallFilter"}},
      {"userfaultfd", "kernel", "create a userfaultfd", {"SystemCallFilter"}},
      {"bpf", "kernel", "create a BPF map", {"SystemCallFilter", "CapabilityBoundingSet"}},
      {"bpf-pinned", "kernel", "reach a BPF object pinned in /sys/fs/bpf", {"PrivateBPF", "User", "DynamicUser", "InaccessiblePaths"}},
      {"perf-event", "kernel", "open a perf event", {"SystemCallFilter"}},
      {"keyctl", "kernel", "add a key to the session keyring", {"SystemCallFilter", "KeyringMode"}},
      {"module-load", "kernel", "reach finit_module()", {"ProtectKernelModules", "SystemCallFilter", "CapabilityBoundingSet"}},
      {"mount", "kernel", "mount a tmpfs (in a new mount namespace)", {"SystemCallFilter", "RestrictNamespaces", "CapabilityBoundingSet"}},
      {"userns", "kernel", "create a user namespace", {"RestrictNamespaces", "PrivateUsers"}},
      {"netns", "kernel", "create a network namespace", {"RestrictNamespaces", "CapabilityBoundingSet"}},
      // other processes
      {"proc-other", "processes", "read /proc/1/environ", {"ProtectProc", "User", "DynamicUser"}},
      {"proc-list", "processes", "see other processes under /proc", {"ProtectProc", "User", "DynamicUser"}},
      {"ptrace-read", "processes", "read another process's memory", {"SystemCallFilter", "CapabilityBoundingSet", "User"}},
      {"signal-other", "processes", "signal process 1 (signal 0)", {"User", "DynamicUser", "CapabilityBoundingSet"}},
      {"sysv-ipc", "processes", "create a System V shared memory segment shared with others", {"PrivateIPC", "SystemCallFilter"}},
      // devices
      {"dev-kmsg", "devices", "read /dev/kmsg", {"ProtectKernelLogs", "PrivateDevices"}},
      {"dev-block", "devices", "open a block device", {"PrivateDevices", "DevicePolicy"}},
      {"dev-tun", "devices", "open /dev/net/tun", {"PrivateDevices", "DevicePolicy"}},
      // system state
      {"hostname", "system", "set the host name (to itself)", {"ProtectHostname", "CapabilityBoundingSet"}},
      {"sysctl", "system", "open a sysctl for writing", {"ProtectKernelTunables", "User"}},
      {"cgroupfs", "system", "create a control group", {"ProtectControlGroups", "User"}},
      {"clock", "system", "set the clock (to itself)", {"ProtectClock", "CapabilityBoundingSet"}},
  };
  return kRows;
}

const BatteryRow* battery_row(const std::string& id) {
  for (const auto& r : battery_rows())
    if (r.id == id) return &r;
  return nullptr;
}

const std::vector<std::string>& battery_classes() {
  static const std::vector<std::string> k = {"secrets", "persistence", "execution", "privilege", "network",
                                             "kernel",  "processes",   "devices",   "system"};
  return k;
}

std::string to_string(Attempt a) {
  switch (a) {
    case Attempt::possible: return "possible";
    case Attempt::refused: return "refused";
    case Attempt::not_applicable: return "n/a";
  }
  return "?";
}

std::vector<BatteryLine> parse_battery(const std::string& text) {
  std::vector<BatteryLine> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    // Journal lines carry a prefix ("... sdharden-probe[42]: battery ...").
    auto at = line.find("battery ");
    if (at == std::string::npos || (at > 0 && line[at - 1] != ' ')) continue;
    auto w = words(line.substr(at));
    if (w.size() < 3 || !battery_row(w[1])) continue;
    BatteryLine b;
    b.id = w[1];
    if (w[2] == "possible") b.outcome = Attempt::possible;
    else if (w[2] == "refused") b.outcome = Attempt::refused;
    else if (w[2] == "n/a") b.outcome = Attempt::not_applicable;
    else continue;
    for (size_t i = 3; i < w.size(); ++i) b.detail += (i > 3 ? " " : "") + w[i];
    // A repeated id (the unit started twice) keeps its last outcome.
    auto same = std::find_if(out.begin(), out.end(), [&](const BatteryLine& x) { return x.id == b.id; });
    if (same != out.end()) *same = b;
    else out.push_back(std::move(b));
  }
  return out;
}

Containment compare_battery(const std::vector<BatteryLine>& baseline, const std::vector<BatteryLine>& hardened) {
  Containment c;
  c.ran = !hardened.empty();
  auto find = [](const std::vector<BatteryLine>& v, const std::string& id) -> const BatteryLine* {
    for (const auto& b : v)
      if (b.id == id) return &b;
    return nullptr;
  };
  for (const auto& r : battery_rows()) {
    ContainmentRow row{r.id, r.klass, r.tries, std::nullopt, std::nullopt, ""};
    if (const auto* b = find(baseline, r.id)) row.baseline = b->outcome;
    if (const auto* h = find(hardened, r.id)) row.hardened = h->outcome, row.detail = h->detail;
    c.rows.push_back(std::move(row));
  }
  return c;
}

std::map<std::string, std::pair<int, int>> Containment::per_class() const {
  std::map<std::string, std::pair<int, int>> m;
  for (const auto& k : battery_classes()) m[k] = {0, 0};
  for (const auto& r : rows) {
    if (r.baseline == Attempt::possible) ++m[r.klass].first;
    if (r.hardened == Attempt::possible) ++m[r.klass].second;
  }
  return m;
}

int Containment::possible_baseline() const {
  return static_cast<int>(std::count_if(rows.begin(), rows.end(),
                                        [](const ContainmentRow& r) { return r.baseline == Attempt::possible; }));
}

int Containment::possible_hardened() const {
  return static_cast<int>(std::count_if(rows.begin(), rows.end(),
                                        [](const ContainmentRow& r) { return r.hardened == Attempt::possible; }));
}

std::vector<std::string> Containment::still_possible() const {
  std::vector<std::string> out;
  for (const auto& r : rows)
    if (r.hardened == Attempt::possible) out.push_back(r.tries);
  return out;
}

}  // namespace sdh::verify
