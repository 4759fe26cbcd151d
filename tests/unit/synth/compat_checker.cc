// SPDX-License-Identifier: GPL-2.0-or-later
#include "compat_checker.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "synth/syscall_groups.h"

namespace sdh::synth::testing {

namespace {

using Lines = std::multimap<std::string, std::string>;

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool under(const std::string& p, const std::string& base) {
  return p == base || (p.size() > base.size() && p.compare(0, base.size(), base) == 0 && p[base.size()] == '/');
}

std::string strip_prefix(std::string p) {
  while (!p.empty() && (p[0] == '-' || p[0] == '+')) p.erase(0, 1);
  return p;
}

// The last non-empty value, after list resets.
std::vector<std::string> list_of(const Lines& l, const std::string& key) {
  std::vector<std::string> out;
  auto [b, e] = l.equal_range(key);
  for (auto it = b; it != e; ++it) {
    if (it->second.empty()) {
      out.clear();
      continue;
    }
    for (auto& w : words(it->second)) out.push_back(w);
  }
  return out;
}

bool has(const Lines& l, const std::string& key, const std::string& value) {
  auto [b, e] = l.equal_range(key);
  for (auto it = b; it != e; ++it) {
    if (it->second == value) return true;
  }
  return false;
}

const uint32_t kWrites = profile::kWrite | profile::kCreate | profile::kDelete | profile::kRename |
                         profile::kChmod | profile::kChown | profile::kMknod;

std::string arch_name(const std::string& m) {
  if (m == "i386" || m == "i686" || m == "x86") return "x86";
  if (m == "aarch64") return "arm64";
  return m;
}

bool loopback_addr(const std::string& a) { return a.rfind("127.", 0) == 0 || a == "::1"; }

bool pseudo_dev(const std::string& p) {
  static const std::set<std::string> k = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                          "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/log"};
  return k.count(p) || under(p, "/dev/pts") || under(p, "/dev/shm") || under(p, "/dev/mqueue") ||
         under(p, "/dev/fd") || under(p, "/dev/hugepages");
}

}  // namespace

std::vector<std::string> check_dropin(const CheckInput& in) {
  std::vector<std::string> bad;
  const profile::Profile& p = *in.profile;
  Lines lines;
  // Structure: every assignment preceded by a comment; every not-set entry has a reason.
  {
    std::istringstream text(in.dropin);
    std::string line, prev;
    bool in_not_set = false;
    while (std::getline(text, line)) {
      if (line.rfind("# Not set", 0) == 0) in_not_set = true;
      else if (line.empty()) in_not_set = false;
      if (in_not_set && line.rfind("#   ", 0) == 0) {
        auto colon = line.find(": ");
        if (colon == std::string::npos || line.size() <= colon + 2) bad.push_back("not-set entry without reason: " + line);
      }
      if (!line.empty() && line[0] != '#' && line[0] != '[') {
        auto eq = line.find('=');
        if (eq == std::string::npos) {
          bad.push_back("not an assignment: " + line);
        } else {
          std::string key = line.substr(0, eq);
          lines.emplace(key, line.substr(eq + 1));
          bool continued = !prev.empty() && prev[0] != '#' && prev.rfind(key + "=", 0) == 0;
          if (!continued && (prev.size() < 3 || prev[0] != '#')) bad.push_back("directive without justification: " + line);
        }
      }
      prev = line;
    }
  }
  // Facts, straight from the profile.
  std::set<std::string> families, syscalls, caps, namespaces;
  std::map<std::string, uint32_t> files;
  std::set<std::string> devices;
  bool setuid = false, wx = false;
  std::map<std::string, bool> flag;
  std::vector<profile::SocketAddressUse> addrs;
  std::set<std::string> machines;
  // Programs run with "+": the unit's own and the drop-in's re-listed lines.
  std::vector<std::string> privileged_programs = in.unsandboxed;
  for (const auto& [key, value] : lines) {
    if (key.rfind("Exec", 0) != 0 || value.empty()) continue;
    size_t n = value.find_first_not_of("-@:+!");
    if (n == std::string::npos || value.substr(0, n).find('+') == std::string::npos) continue;
    auto w = words(value.substr(n));
    if (!w.empty()) privileged_programs.push_back(w[0]);
  }
  // A program that a line without "+" also runs (the unit's ExecStart=) may
  // be the daemon itself: a tree it began is inside the sandbox.
  // The unit's command lines as the drop-in leaves them: "KEY=" resets.
  std::map<std::string, std::vector<std::string>> effective = in.unit_exec_lines;
  for (const auto& [key, value] : lines) {
    if (key.rfind("Exec", 0) != 0) continue;
    if (value.empty()) effective[key].clear();
    else effective[key].push_back(value);
  }
  std::vector<std::string> sandboxed_programs;
  for (const auto& [key, values] : effective)
    for (const auto& value : values) {
      size_t n = value.find_first_not_of("-@:+!|");
      if (n == std::string::npos || value.substr(0, n).find('+') != std::string::npos) continue;
      auto w = words(value.substr(n));
      if (!w.empty()) sandboxed_programs.push_back(w[0]);
    }
  std::set<std::string> ran;  // programs executed inside the sandbox
  for (const auto& e : p.executables) {
    // systemd's pre-exec child builds the sandbox; what it does is not the service's.
    if (e.path == "/usr/lib/systemd/systemd" || e.path == "/lib/systemd/systemd" || e.path.rfind("(comm (", 0) == 0 ||
        e.path == "(comm systemd)")
      continue;
    // "+" lines run with full privileges, and so does what they start.
    auto is_outside = [&](const std::string& path) {
      for (const auto& u : sandboxed_programs)
        if (path == u || path == "/usr" + u || "/usr" + path == u) return false;
      for (const auto& u : privileged_programs)
        if (path == u || path == "/usr" + u || "/usr" + path == u) return true;
      return false;
    };
    bool outside = e.started_by.empty() ? is_outside(e.path)
                                        : std::all_of(e.started_by.begin(), e.started_by.end(), is_outside);
    if (outside) continue;
    ran.insert(e.path);
    if (!e.interpreter.empty()) ran.insert(e.interpreter);  // the kernel runs it too
    for (const auto& s : e.sockets) families.insert(s.family);
    for (const auto& [ph, names] : e.syscalls) syscalls.insert(names.begin(), names.end());
    for (const auto& c : e.capabilities) if (c.granted || c.inferred) caps.insert(c.capability);
    for (const auto& f : e.files) {
      files[f.path] |= f.access;
      if ((f.is_device || under(f.path, "/dev")) && f.path != "/dev" && f.access != profile::kStat) devices.insert(f.path);
    }
    for (const auto& a : e.addresses) addrs.push_back(a);
    namespaces.insert(e.namespaces_created.begin(), e.namespaces_created.end());
    setuid |= e.setuid_binary || e.exec_setuid;
    wx |= e.wx_mapping;
    flag["personality"] |= e.personality_change;
    flag["realtime"] |= e.realtime_scheduling;
    flag["mounts"] |= e.mounts;
    flag["clock"] |= e.clock_change;
    flag["hostname"] |= e.hostname_change;
    flag["module"] |= e.kernel_module;
    flag["kernel_log"] |= e.kernel_log;
    flag["sysv_ipc"] |= e.sysv_ipc;
    flag["suid_file"] |= e.setuid_file_created;
    flag["uid_change"] |= e.uid_change || e.gid_change;
    if (!e.elf_machine.empty()) machines.insert(arch_name(e.elf_machine));
  }

  // CAP_SYS_ADMIN checks come with every mmap (memory accounting); only an
  // administrative operation makes them a need.
  if (caps.count("CAP_SYS_ADMIN")) {
    bool admin = flag["mounts"] || flag["hostname"] || !namespaces.empty();
    for (const char* sc : {"mount", "umount2", "pivot_root", "unshare", "setns", "bpf", "sethostname", "swapon",
                           "quotactl", "fanotify_init", "open_by_handle_at", "perf_event_open"}) {
      admin |= syscalls.count(sc) > 0;
    }
    if (!admin) caps.erase("CAP_SYS_ADMIN");
  }
  // CAP_SETPCAP serves a daemon's own drop of capabilities, moot under a
  // narrowed bounding set: left out on trial too.
  caps.erase("CAP_SETPCAP");
  // CAP_NET_ADMIN is a need only where the network is configured (netlink,
  // packet sockets, /proc/sys/net writes, tun): elsewhere the check comes
  // from reads of /proc/sys/net or socket options with a fallback, left out
  // on trial (verification brings it back).
  if (caps.count("CAP_NET_ADMIN")) {
    bool net_config = families.count("AF_NETLINK") || families.count("AF_PACKET");
    for (const auto& [path, acc] : files)
      net_config |= (under(path, "/proc/sys/net") && (acc & profile::kWrite)) || path == "/dev/net/tun";
    if (!net_config) caps.erase("CAP_NET_ADMIN");
  }
  bool dynamic = in.unit_dynamic_user || has(lines, "DynamicUser", "yes");
  std::string static_user = lines.count("User") ? list_of(lines, "User").back() : "";
  // Every Exec line of the unit keeps root's credentials ("!" or "+"),
  // re-listed here or as written: User= then names whom the daemon becomes
  // by itself, and the start stays root's.
  auto privileged_line = [](const std::string& l) {
    size_t n = 0;
    while (n < l.size() && std::string("@-:+!").find(l[n]) != std::string::npos) ++n;
    return l.substr(0, n).find_first_of("+!") != std::string::npos;
  };
  bool start_kept = !static_user.empty() && static_user != "root" && !dynamic;
  for (const auto& [key, own_lines] : in.unit_exec_lines) {
    if (own_lines.empty()) continue;
    std::vector<std::string> effective = lines.count(key) ? list_of(lines, key) : own_lines;
    for (const auto& l : effective)
      if (!l.empty() && !privileged_line(l)) start_kept = false;
  }
  if (start_kept) {
    const Account* a = in.facts ? in.facts->account(static_user) : nullptr;
    std::set<uint32_t> targets;
    bool root_kept = false;
    for (const auto& e : p.executables) {
      targets.insert(e.uid_targets.begin(), e.uid_targets.end());
      root_kept |= !e.root_after_startup.empty();
    }
    if (!a || targets != std::set<uint32_t>{a->uid})
      bad.push_back("User=" + static_user + " over a root start, but the daemon does not switch to it alone");
    if (!p.credentials_tracked || root_kept)
      bad.push_back("User=" + static_user + " over a root start, but something may keep root after start-up");
  }
  if (!static_user.empty() && static_user != "root" && !dynamic && !start_kept) {
    // A static user must reach every file by the modes alone (owner, group,
    // other bits of the file, or of its directory for what it created).
    const Account* a = in.facts ? in.facts->account(static_user) : nullptr;
    if (!a) {
      bad.push_back("User=" + static_user + " without an account to check it against");
    } else {
      auto allowed = [&](const FileFacts& f, uint32_t bits) {
        uint32_t m = f.uid == a->uid ? f.mode >> 6 : a->groups.count(f.gid) ? f.mode >> 3 : f.mode;
        return (m & bits) == bits;
      };
      // Files an ExecStartPre=+ line creates for this user before the start
      // ("+/usr/bin/install -m MODE -o USER -g GROUP /dev/null PATH").
      std::set<std::string> made_for_user, folders_for_user;
      {
        auto [b, e] = lines.equal_range("ExecStartPre");
        for (auto it = b; it != e; ++it) {
          auto w = words(it->second);
          if (w.size() == 9 && w[0] == "+/usr/bin/install" && w[3] == "-o" && w[4] == static_user &&
              w[7] == "/dev/null")
            made_for_user.insert(w[8]);
          // ...and folders ("+/usr/bin/install -d -o UID -g GID DIR"), with what is made in them.
          // Any folder a "+" line makes exists before the start: making it is not the service's.
          if (w.size() >= 3 && w[0] == "+/usr/bin/install" && w[1] == "-d") made_for_user.insert(w.back());
          if (w.size() >= 7 && w[0] == "+/usr/bin/install" && w[1] == "-d" && w[w.size() - 5] == "-o" &&
              w[w.size() - 4] == std::to_string(a->uid))
            folders_for_user.insert(w.back());
        }
      }
      auto in_folder_for_user = [&](const std::string& path) {
        return std::any_of(folders_for_user.begin(), folders_for_user.end(),
                           [&](const std::string& d) { return under(path, d); });
      };
      for (const auto& [path, acc] : files) {
        if (under(path, "/proc/self") || under(path, "/dev") || made_for_user.count(path) || in_folder_for_user(path))
          continue;
        const FileFacts* f = in.facts->file(path);
        if (f && (acc & profile::kRead) && !allowed(*f, 4)) bad.push_back("User= cannot read " + path);
        if (f && (acc & profile::kWrite) && !allowed(*f, 2)) bad.push_back("User= cannot write " + path);
        if (acc & (profile::kCreate | profile::kDelete | profile::kRename)) {
          std::string dir = path.substr(0, path.rfind('/'));
          while (!dir.empty() && !in.facts->file(dir)) dir = dir.substr(0, dir.rfind('/'));
          const FileFacts* d = in.facts->file(dir.empty() ? "/" : dir);
          bool systemd_made = false;  // systemd creates these and hands them to User=
          const std::pair<const char*, const char*> made[] = {{"RuntimeDirectory", "/run/"},
                                                              {"StateDirectory", "/var/lib/"},
                                                              {"LogsDirectory", "/var/log/"},
                                                              {"CacheDirectory", "/var/cache/"}};
          for (const auto& [key, base] : made)
            for (const auto& v : list_of(lines, key)) systemd_made |= under(path, base + v);
          if (!systemd_made && (!d || !allowed(*d, 3))) bad.push_back("User= cannot create in the folder of " + path);
        }
      }
      // Switching to the user it is started as is a no-op; to anyone else, a break.
      std::set<uint32_t> targets;
      for (const auto& e : p.executables) targets.insert(e.uid_targets.begin(), e.uid_targets.end());
      bool to_itself = !targets.empty() && targets == std::set<uint32_t>{a->uid};
      if (flag["uid_change"] && !to_itself) bad.push_back("User= but the daemon changes identity itself");
      if (to_itself) caps.erase("CAP_SETUID"), caps.erase("CAP_SETGID");
      // Nor does it need the calls of that switch (or to chown to itself).
      if (to_itself)
        for (const char* sc : {"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid",
                               "setfsgid", "setgroups", "chown", "fchown", "lchown", "fchownat"})
          syscalls.erase(sc);
      // Root's checks of file permissions are moot for a user the modes admit.
      for (const char* c : {"CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_CHOWN"})
        caps.erase(c);
      // What the user keeps as ambient capabilities it has.
      for (const auto& c : list_of(lines, "AmbientCapabilities")) caps.erase(c);
      if (!caps.empty()) bad.push_back("User= but capabilities used: " + *caps.begin());
    }
  }
  bool unprivileged =
      dynamic || !(in.unit_user.empty() || in.unit_user == "root") || (!static_user.empty() && !start_kept);
  const std::set<std::string> seccomp_keys = {
      "SystemCallFilter", "SystemCallArchitectures", "RestrictAddressFamilies", "PrivateDevices",
      "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock", "ProtectHostname",
      "MemoryDenyWriteExecute", "LockPersonality", "RestrictRealtime", "RestrictNamespaces", "RestrictSUIDSGID"};
  bool nnp = has(lines, "NoNewPrivileges", "yes");
  for (const auto& k : seccomp_keys) nnp |= unprivileged && lines.count(k) > 0;
  if (nnp && setuid) bad.push_back("NoNewPrivileges (explicit or implied) but a setuid/setgid binary was executed");

  bool private_tmp = dynamic || has(lines, "PrivateTmp", "yes");
  std::set<std::string> known;
  for (const auto& [key, value] : lines) {
    known.insert(key);
  }
  // What the drop-in lets it write: ReadWritePaths= and the directories systemd makes.
  auto writable_paths = [&] {
    std::vector<std::string> rw;
    for (const auto& x : list_of(lines, "ReadWritePaths")) rw.push_back(strip_prefix(x));
    for (const auto& x : list_of(lines, "StateDirectory")) rw.push_back("/var/lib/" + x);
    for (const auto& x : list_of(lines, "CacheDirectory")) rw.push_back("/var/cache/" + x);
    for (const auto& x : list_of(lines, "LogsDirectory")) rw.push_back("/var/log/" + x);
    for (const auto& x : list_of(lines, "RuntimeDirectory")) rw.push_back("/run/" + x);
    return rw;
  };
  for (const auto& key : known) {
    auto vals = list_of(lines, key);
    std::string v = vals.empty() ? "" : vals.back();
    if (key == "DynamicUser" || key == "User" || key == "Group") {  // User= is checked above
      if (dynamic && !caps.empty()) bad.push_back("DynamicUser= but capabilities were used");
      if (dynamic && flag["uid_change"]) bad.push_back("DynamicUser= but the daemon changes identity");
    } else if (key == "CapabilityBoundingSet") {
      std::set<std::string> allowed(vals.begin(), vals.end());
      for (const auto& c : caps) if (!allowed.count(c)) bad.push_back("CapabilityBoundingSet= lacks " + c);
    } else if (key == "AmbientCapabilities") {
      // Only as much as the bounding set lets through.
      if (lines.count("CapabilityBoundingSet")) {
        auto bounding = list_of(lines, "CapabilityBoundingSet");
        for (const auto& c : vals)
          if (std::find(bounding.begin(), bounding.end(), c) == bounding.end())
            bad.push_back("AmbientCapabilities= " + c + " is not in the bounding set");
      }
    } else if (key == "NoExecPaths" || key == "ExecPaths") {
      // Every program run inside must stay executable: under an ExecPaths=
      // entry when NoExecPaths= covers it.
      auto no_exec = list_of(lines, "NoExecPaths");
      auto exec = list_of(lines, "ExecPaths");
      // Inside a root, "+/" is the root's own mount: the binds in it keep
      // their exec bit (host paths without "+" do not apply there at all).
      const bool in_root = lines.count("RootDirectory") > 0;
      auto covered = [&](const std::vector<std::string>& list, const std::string& path) {
        for (const auto& w : list) {
          bool relative = w.find('+') != std::string::npos && w.find('+') < w.find('/');
          if (in_root && (!relative || strip_prefix(w) == "/")) continue;
          if (under(path, strip_prefix(w)) || under("/usr" + path, strip_prefix(w))) return true;
        }
        return false;
      };
      if (key == "NoExecPaths")
        for (const auto& prog : ran)
          if (covered(no_exec, prog) && !covered(exec, prog)) bad.push_back("NoExecPaths= forbids running " + prog);
    } else if (key.rfind("Exec", 0) == 0 && key != "ExecPaths") {
      // Lines with "+" run outside the sandbox: only file creation for User=
      // (ExecStartPre=), or the unit's own lines of that key with "+" added.
      auto own = in.unit_exec_lines.find(key);
      auto [b, e] = lines.equal_range(key);
      for (auto it = b; it != e; ++it) {
        const std::string& v = it->second;
        if (v.empty()) continue;
        auto w = words(v);
        bool creates = key == "ExecStartPre" && !w.empty() && w[0] == "+/usr/bin/install" && w.size() == 9 &&
                       w[4] == static_user;
        // ...or a directory the daemon made directly in a shared folder, made
        // first so that it alone can be granted.
        bool makes_dir = false;
        if (key == "ExecStartPre" && !w.empty() && w[0] == "+/usr/bin/install" && w.size() >= 3 && w[1] == "-d") {
          const std::string& dir = w.back();
          bool made = files.count(dir) && (files.at(dir) & profile::kCreate);
          bool has_children = false;
          for (const auto& [path, acc] : files) has_children |= path.rfind(dir + "/", 0) == 0;
          std::string parent = dir.substr(0, dir.rfind('/'));
          if (parent.empty()) parent = "/";
          const std::set<std::string> shared = {"/", "/etc", "/var", "/opt", "/srv", "/usr", "/usr/local", "/var/lib",
                                                "/var/cache", "/var/log", "/var/spool", "/run", "/home", "/var/opt",
                                                "/var/local", "/var/tmp", "/tmp", "/root", "/mnt", "/media"};
          makes_dir = made && has_children && shared.count(parent);
        }
        bool relisted = own != in.unit_exec_lines.end() &&
                        std::any_of(own->second.begin(), own->second.end(), [&](const std::string& l) {
                          return v == l || v == "+" + l || (start_kept && v == "!" + l);
                        });
        if (!creates && !makes_dir && !relisted)
          bad.push_back(key + "= line that is neither the unit's own nor a file for User=: " + v);
      }
    } else if (key == "NoNewPrivileges") {
      // checked above
    } else if (key == "SystemCallFilter") {
      std::set<std::string> toks(vals.begin(), vals.end());
      auto allowed = SyscallGroups::builtin(unit::known_release(252)).expand(toks);
      for (const auto& s : syscalls) if (!allowed.count(s)) bad.push_back("SystemCallFilter= lacks " + s);
    } else if (key == "SystemCallErrorNumber") {
      if (v != "EPERM") bad.push_back("SystemCallErrorNumber= is not EPERM");
    } else if (key == "SystemCallArchitectures") {
      std::set<std::string> allowed;
      for (const auto& a : vals) allowed.insert(a == "native" ? arch_name(p.architecture) : a);
      for (const auto& m : machines) if (!allowed.count(m)) bad.push_back("SystemCallArchitectures= lacks " + m);
    } else if (key == "RestrictAddressFamilies") {
      std::set<std::string> allowed(vals.begin(), vals.end());
      for (const auto& f : families) if (!allowed.count(f)) bad.push_back("RestrictAddressFamilies= lacks " + f);
    } else if (key == "PrivateNetwork") {
      if (families.count("AF_INET") || families.count("AF_INET6")) bad.push_back("PrivateNetwork= but IP sockets used");
      for (const auto& a : addrs) if (a.family == "AF_UNIX" && !a.address.empty() && a.address[0] == '@') bad.push_back("PrivateNetwork= but abstract socket");
    } else if (key == "IPAddressDeny") {
      bool activated = false;
      for (const auto& e : p.executables) activated |= !e.socket_activation_fds.empty();
      if (activated && in.passed_sockets.empty()) bad.push_back("IPAddressDeny= on passed sockets of unknown kind");
      for (const auto& l : in.passed_sockets) {
        bool local = !l.empty() && (l[0] == '/' || l[0] == '@');
        if (activated && !local) bad.push_back("IPAddressDeny= on a passed IP socket " + l);
      }
      auto allow = list_of(lines, "IPAddressAllow");
      std::set<std::string> ok(allow.begin(), allow.end());
      for (const auto& a : addrs) {
        if (a.family != "AF_INET" && a.family != "AF_INET6") continue;
        bool fine = loopback_addr(a.address) ? ok.count("localhost") > 0 : ok.count(a.address) > 0;
        if (a.op == "bind" && (a.address == "0.0.0.0" || a.address == "::")) fine = false;
        if (!fine) bad.push_back("IPAddressDeny=any blocks " + a.op + " " + a.address);
      }
    } else if (key == "IPAddressAllow" || key == "SocketBindAllow" || key == "DeviceAllow" ||
               key == "ReadWritePaths" || key == "StateDirectory" || key == "CacheDirectory" ||
               key == "LogsDirectory" || key == "RuntimeDirectory" || key == "BindReadOnlyPaths" ||
               key == "BindPaths" || key == "TemporaryFileSystem") {
      // permissive companions, checked with the directive they serve
      if ((key == "BindPaths" || key == "BindReadOnlyPaths" || key == "TemporaryFileSystem") &&
          !lines.count("RootDirectory"))
        bad.push_back(key + "= without a root of its own");
    } else if (key == "RootDirectory") {
      // Everything the daemon used must be in the new root: under a bound
      // path (written: a writable one), the OS trees, or the API and private
      // mounts systemd makes there.
      auto strip = [](std::string w) { return w[0] == '-' ? w.substr(1) : w; };
      std::vector<std::string> any, writable;
      for (const auto& w : list_of(lines, "BindPaths")) any.push_back(strip(w)), writable.push_back(strip(w));
      for (const auto& w : list_of(lines, "BindReadOnlyPaths")) any.push_back(strip(w));
      bool private_tmp_here = private_tmp;
      auto reachable = [&](const std::string& path, bool writes) {
        for (const char* api : {"/proc", "/sys", "/dev"})
          if (under(path, api)) return true;
        if (private_tmp_here && (under(path, "/tmp") || under(path, "/var/tmp"))) return true;
        for (const auto& b : writes ? writable : any)
          if (under(path, b)) return true;
        return false;
      };
      for (const auto& [path, acc] : files) {
        bool writes = acc & (profile::kWrite | profile::kCreate | profile::kDelete | profile::kRename |
                             profile::kChmod | profile::kChown | profile::kMknod);
        // A folder's own entry (stat of /var) needs no binding of its own.
        if (acc == profile::kStat) continue;
        if (!reachable(path, writes)) bad.push_back("RootDirectory= leaves out " + path);
      }
      for (const auto& prog : ran)
        if (!reachable(prog, false)) bad.push_back("RootDirectory= leaves out the program " + prog);
      std::string name = v.substr(v.rfind('/') + 1);
      auto runtime = list_of(lines, "RuntimeDirectory");
      if (v.rfind("/run/", 0) != 0 || std::find(runtime.begin(), runtime.end(), name) == runtime.end())
        bad.push_back("RootDirectory= is not a RuntimeDirectory= systemd makes: " + v);
    } else if (key == "SocketBindDeny") {
      auto allow = list_of(lines, "SocketBindAllow");
      std::set<std::string> ok(allow.begin(), allow.end());
      for (const auto& a : addrs) {
        if (a.op != "bind" || (a.family != "AF_INET" && a.family != "AF_INET6")) continue;
        std::string want = std::string(a.family == "AF_INET" ? "ipv4:" : "ipv6:") + std::to_string(a.port);
        if (!ok.count(want)) bad.push_back("SocketBindDeny=any blocks bind to port " + std::to_string(a.port));
      }
    } else if (key == "PrivateDevices") {
      for (const auto& d : devices) if (!pseudo_dev(d)) bad.push_back("PrivateDevices= hides " + d);
    } else if (key == "DevicePolicy") {
      std::set<std::string> listed;
      auto [b, e] = lines.equal_range("DeviceAllow");
      for (auto it = b; it != e; ++it) listed.insert(words(it->second).front());
      for (const auto& d : devices) {
        if (v == "closed" && pseudo_dev(d)) continue;
        if (under(d, "/dev/pts") || under(d, "/dev/shm") || under(d, "/dev/mqueue") || under(d, "/dev/fd") || d == "/dev/log") continue;
        if (!listed.count(d)) bad.push_back("DevicePolicy=" + v + " blocks " + d);
      }
    } else if (key == "PrivateTmp") {
      for (const auto& [path, acc] : files) {
        if ((under(path, "/tmp") && path != "/tmp") || (under(path, "/var/tmp") && path != "/var/tmp")) {
          bool created = false;
          for (const auto& [q, qa] : files) if ((qa & profile::kCreate) && under(path, q) && q != "/tmp" && q != "/var/tmp") created = true;
          if (!created) bad.push_back("PrivateTmp= hides pre-existing " + path);
        }
      }
    } else if (key == "PrivateMounts") {
      if (flag["mounts"]) bad.push_back("PrivateMounts= but the daemon mounts");
    } else if (key == "PrivateUsers") {
      // The identity mapping keeps the namespace root's power over files.
      static const std::set<std::string> kFileCaps = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
                                                      "CAP_FOWNER", "CAP_FSETID"};
      bool identity = has(lines, "PrivateUsers", "identity");
      for (const auto& cap : caps)
        if (!identity || !kFileCaps.count(cap)) {
          bad.push_back("PrivateUsers= but capabilities used");
          break;
        }
      if (flag["uid_change"]) bad.push_back("PrivateUsers= but identity changes");
    } else if (key == "ProtectSystem") {
      const auto rw = writable_paths();
      for (const auto& [path, acc] : files) {
        if (!(acc & kWrites) || under(path, "/dev") || under(path, "/proc") || under(path, "/sys")) continue;
        if (private_tmp && (under(path, "/tmp") || under(path, "/var/tmp"))) continue;
        bool ok = false;
        for (const auto& r : rw) ok |= under(path, r);
        if (v == "full") ok |= !(under(path, "/usr") || under(path, "/boot") || under(path, "/efi") || under(path, "/etc"));
        if (v == "yes") ok |= !(under(path, "/usr") || under(path, "/boot") || under(path, "/efi"));
        if (!ok) bad.push_back("ProtectSystem=" + v + " blocks writing " + path);
      }
    } else if (key == "ProtectHome") {
      auto binds = list_of(lines, "BindReadOnlyPaths");
      for (const auto& [path, acc] : files) {
        bool home = (under(path, "/home") && path != "/home") || (under(path, "/root") && path != "/root") ||
                    (under(path, "/run/user") && path != "/run/user");
        if (!home) continue;
        if (v == "yes") bad.push_back("ProtectHome=yes hides " + path);
        if (v == "read-only" && (acc & kWrites)) bad.push_back("ProtectHome=read-only blocks writing " + path);
        if (v == "tmpfs") {
          bool bound = false;
          for (const auto& b : binds) bound |= under(path, strip_prefix(b));
          if (!bound || (acc & kWrites)) bad.push_back("ProtectHome=tmpfs hides " + path);
        }
      }
    } else if (key == "ProtectKernelTunables") {
      for (const auto& [path, acc] : files) {
        if ((acc & kWrites) && (under(path, "/proc/sys") || (under(path, "/sys") && !under(path, "/sys/fs/cgroup")))) bad.push_back("ProtectKernelTunables= blocks " + path);
      }
    } else if (key == "ProtectKernelModules") {
      if (flag["module"]) bad.push_back("ProtectKernelModules= but modules loaded");
    } else if (key == "ProtectKernelLogs") {
      if (flag["kernel_log"] || files.count("/dev/kmsg")) bad.push_back("ProtectKernelLogs= but kernel log used");
    } else if (key == "ProtectControlGroups") {
      for (const auto& [path, acc] : files) if ((acc & kWrites) && under(path, "/sys/fs/cgroup")) bad.push_back("ProtectControlGroups= blocks " + path);
    } else if (key == "ProtectClock") {
      if (flag["clock"]) bad.push_back("ProtectClock= but the clock is set");
      bool listed_policy = lines.count("DevicePolicy") || has(lines, "PrivateDevices", "yes");
      for (const auto& d : devices) {
        if (!pseudo_dev(d) && !under(d, "/dev/rtc") && !listed_policy) bad.push_back("ProtectClock= device allow-list cuts off " + d);
      }
    } else if (key == "ProtectHostname") {
      if (flag["hostname"] && !has(lines, "ProtectHostname", "private"))
        bad.push_back("ProtectHostname= but the host name is set");
    } else if (key == "PrivatePIDs") {
      for (const auto& [path, acc] : files) {
        if (!under(path, "/proc") || path == "/proc") continue;
        std::string first = path.substr(6, path.find('/', 6) == std::string::npos ? std::string::npos : path.find('/', 6) - 6);
        if (!first.empty() && first.find_first_not_of("0123456789") == std::string::npos && first != "self")
          bad.push_back("PrivatePIDs= hides " + path);
      }
    } else if (key == "PrivateBPF") {
      if (syscalls.count("bpf")) bad.push_back("PrivateBPF= but bpf() is called");
      for (const auto& [path, acc] : files) if (under(path, "/sys/fs/bpf")) bad.push_back("PrivateBPF= hides " + path);
    } else if (key == "ProtectProc") {
      for (const auto& [path, acc] : files) {
        if (!under(path, "/proc") || path == "/proc") continue;
        std::string first = path.substr(6, path.find('/', 6) == std::string::npos ? std::string::npos : path.find('/', 6) - 6);
        if (!first.empty() && first.find_first_not_of("0123456789") == std::string::npos) bad.push_back("ProtectProc= hides " + path);
      }
    } else if (key == "ProcSubset") {
      for (const auto& [path, acc] : files) {
        if (!under(path, "/proc") || path == "/proc") continue;
        std::string first = path.substr(6, path.find('/', 6) == std::string::npos ? std::string::npos : path.find('/', 6) - 6);
        bool pid = !first.empty() && first.find_first_not_of("0123456789") == std::string::npos;
        if (!pid && first != "self" && first != "thread-self") bad.push_back("ProcSubset=pid hides " + path);
      }
    } else if (key == "MemoryDenyWriteExecute") {
      if (wx) bad.push_back("MemoryDenyWriteExecute= but a W+X mapping was made");
      for (const auto& [path, acc] : files) if (path.find("libluajit") != std::string::npos || path.find("libjvm") != std::string::npos) bad.push_back("MemoryDenyWriteExecute= with JIT " + path);
    } else if (key == "LockPersonality") {
      if (flag["personality"]) bad.push_back("LockPersonality= but personality() changed");
    } else if (key == "RestrictRealtime") {
      if (flag["realtime"]) bad.push_back("RestrictRealtime= but realtime scheduling used");
    } else if (key == "RestrictNamespaces") {
      std::set<std::string> allowed(vals.begin(), vals.end());
      for (const auto& n : namespaces) if (!allowed.count(n)) bad.push_back("RestrictNamespaces= blocks " + n);
    } else if (key == "RestrictSUIDSGID") {
      if (flag["suid_file"]) bad.push_back("RestrictSUIDSGID= but setuid files created");
    } else if (key == "RemoveIPC") {
      if (flag["sysv_ipc"]) bad.push_back("RemoveIPC= but SysV IPC used");
    } else if (key == "UMask") {
      // A socket bound without chmod (by a daemon that does not set its own
      // umask) must keep every write bit, and the group its read and search
      // bits, that the unit's own umask gave.
      unsigned want = static_cast<unsigned>(std::stoul(vals.back(), nullptr, 8));
      unsigned lost = want & ~in.unit_umask;
      bool own_umask = syscalls.count("umask") > 0;
      for (const auto& a : addrs) {
        if (a.family == "AF_UNIX" && a.op == "bind" && !a.address.empty() && a.address[0] == '/' &&
            !(files[a.address] & profile::kChmod) && !own_umask && (lost & 0072)) {
          bad.push_back("UMask= restricts socket " + a.address + " that is never chmod'ed");
        }
      }
    } else if (key == "ReadOnlyPaths") {
      // A write under a read-only entry needs a writable entry deeper down
      // (the deeper mount wins); host paths do not apply inside a root.
      const auto rw = writable_paths();
      for (const auto& entry : vals) {
        if (lines.count("RootDirectory") && entry.find('+') == std::string::npos) continue;
        const std::string ro = strip_prefix(entry);
        for (const auto& [path, acc] : files) {
          if (!(acc & kWrites) || !under(path, ro)) continue;
          if (private_tmp && (under(path, "/tmp") || under(path, "/var/tmp"))) continue;
          bool ok = false;
          for (const auto& r : rw) ok |= under(path, r) && under(r, ro) && r != ro;
          if (!ok) bad.push_back("ReadOnlyPaths=" + ro + " blocks writing " + path);
        }
      }
    } else if (key == "InaccessiblePaths") {
      for (const auto& h : vals) {
        for (const auto& [path, acc] : files) {
          if (under(path, strip_prefix(h))) bad.push_back("InaccessiblePaths= hides " + path);
        }
      }
    } else if (key == "KeyringMode") {
      if (v != "private") bad.push_back("KeyringMode=" + v);
    } else {
      bad.push_back("checker has no rule for " + key + "=");
    }
  }
  return bad;
}

}  // namespace sdh::synth::testing
