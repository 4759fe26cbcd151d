// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/grant.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/core.h>

#include "synth/evidence.h"
#include "unit/directives.h"
#include "unit/semantics.h"
#include "unit/syscalls.h"
#include "unit/value_syntax.h"
#include "unit/value_writer.h"
#include "util/fs.h"
#include "util/strings.h"

namespace sdh::synth {

namespace {

bool one_of(const std::string& s, std::initializer_list<const char*> set) {
  return std::any_of(set.begin(), set.end(), [&](const char* x) { return s == x; });
}

const Directive* find_directive(const HardeningPlan& plan, const std::string& key) {
  for (const auto& d : plan.directives)
    if (d.key == key) return &d;
  return nullptr;
}

// Calls that create, remove or rename the name they are given: what they
// need is write access to its folder, not to the name.
bool changes_folder(const Denial& d) {
  if (one_of(d.syscall, {"mkdir", "mkdirat", "unlink", "unlinkat", "rmdir", "rename", "renameat", "renameat2",
                         "symlink", "symlinkat", "link", "linkat", "mknod", "mknodat", "bind"}))
    return true;
  return one_of(d.syscall, {"open", "openat", "openat2", "creat"}) &&
         (d.text.find("O_CREAT") != std::string::npos || d.syscall == "creat");
}

// The one path a write needs: the name itself, or its folder for a call
// that creates or removes the name; "" when that would be a shared folder.
std::string write_target(const Denial& d) {
  if (d.path.empty() || d.path[0] != '/' || !one_of(d.error, {"EROFS", "EACCES", "EPERM"})) return "";
  std::string target = changes_folder(d) ? dirname_of(d.path) : d.path;
  return shared_folder(target) ? "" : target;
}

// "/run/NAME/..." (or the mkdir of /run/NAME itself) -> NAME, when NAME is
// not systemd's or the login manager's.
std::string runtime_name(const Denial& d) {
  if (!path_under(d.path, "/run") || d.path.size() <= 5) return "";
  std::string rest = d.path.substr(5);
  auto slash = rest.find('/');
  if (slash == std::string::npos && !one_of(d.syscall, {"mkdir", "mkdirat"})) return "";
  std::string name = rest.substr(0, slash);
  if (unit::reserved_managed_name("/run/", name)) return "";
  return name;
}

std::string namespace_of(const Denial& d) {
  if (!one_of(d.syscall, {"unshare", "clone", "clone3", "setns"})) return "";
  // A trace spells the type by its clone flag: CLONE_NEW + the type
  // (CLONE_NEWNS for "mnt", the first namespace Linux had).
  std::string out;
  for (const auto& t : unit::namespace_types()) {
    std::string flag = "CLONE_NEWNS";
    if (t.name != "mnt") {
      flag = "CLONE_NEW";
      for (char ch : t.name) flag += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (d.text.find(flag) != std::string::npos) out += (out.empty() ? "" : " ") + std::string(t.name);
  }
  return out;
}

std::string address_of(const Denial& d) {
  if (!one_of(d.syscall, {"connect", "sendto", "sendmsg"}) || d.error != "EPERM") return "";
  static const std::regex v4(R"re(inet_addr\("([0-9.]+)"\))re");
  static const std::regex v6(R"re(inet_pton\(AF_INET6, "([0-9a-fA-F:.]+)")re");
  std::smatch m;
  if (std::regex_search(d.text, m, v4) || std::regex_search(d.text, m, v6)) return m[1].str();
  return "";
}

// "Key=value" with the value as the one writer wrote it (unit/value_writer.h),
// "" when it could not be written: a denied path or name comes from the
// hardened run, which the daemon controls, and what cannot be written is
// not granted.
std::string assignment(const std::string& key, const Result<std::string>& value) {
  return value ? key + "=" + *value : std::string();
}

// One grant rule: for a culprit directive, the relax() argument that lets
// one denied operation through ("" when the rule does not fit it). Rules
// are tried in order; the first one not tried yet wins.
struct GrantRule {
  const char* id;
  std::vector<std::string> culprits;
  GrantKind kind;
  std::string (*grant)(const Denial& d, const HardeningPlan& plan);
};

const std::vector<GrantRule>& grant_rules() {
  static const std::vector<GrantRule> kRules = {
      // A write refused by a read-only view: that one path (or the folder a
      // name is created in) becomes writable; the rest of the tree stays read-only.
      {"writable-path",
       {"ProtectSystem", "ProtectHome", "ReadOnlyPaths", "ProtectKernelTunables", "ProtectControlGroups"},
       GrantKind::path,
       [](const Denial& d, const HardeningPlan&) {
         std::string t = write_target(d);
         return t.empty() ? std::string() : assignment("ReadWritePaths", unit::write_path_item(t, "-"));
       }},
      // A folder under /run the daemon creates at start (and that a fresh
      // /run lacks, so a ReadWritePaths= of it cannot be mounted): systemd
      // creates it for the service instead.
      {"runtime-directory",
       {"ProtectSystem"},
       GrantKind::managed_directory,
       [](const Denial& d, const HardeningPlan&) {
         if (!one_of(d.error, {"EROFS", "EACCES", "EPERM"})) return std::string();
         std::string n = runtime_name(d);
         return n.empty() ? std::string() : assignment("RuntimeDirectory", unit::write_directory_name(n));
       }},
      {"syscall",
       {"SystemCallFilter"},
       GrantKind::syscall,
       [](const Denial& d, const HardeningPlan&) {
         if (d.syscall.empty() || !one_of(d.error, {"SIGSYS", "EPERM", "EACCES", "ENOSYS"})) return std::string();
         if (!unit::is_known_syscall(d.syscall)) return std::string();
         return assignment("SystemCallFilter", unit::write_word(d.syscall, "system call"));
       }},
      {"address-family",
       {"RestrictAddressFamilies"},
       GrantKind::family,
       [](const Denial& d, const HardeningPlan&) {
         if (d.family.empty() || !unit::is_address_family(d.family)) return std::string();
         return assignment("RestrictAddressFamilies", unit::write_word(d.family, "address family"));
       }},
      {"capability",
       {"CapabilityBoundingSet"},
       GrantKind::capability,
       [](const Denial& d, const HardeningPlan&) {
         std::string cap = capability_for(d);
         return cap.empty() ? std::string() : assignment("CapabilityBoundingSet", unit::write_word(cap, "capability"));
       }},
      {"device",
       {"DevicePolicy", "DeviceAllow"},
       GrantKind::device,
       [](const Denial& d, const HardeningPlan&) {
         if (!path_under(d.path, "/dev") || d.path == "/dev" || !one_of(d.error, {"EPERM", "EACCES"}))
           return std::string();
         auto path = unit::write_path_item(d.path);
         return path ? "DeviceAllow=" + *path + " rw" : std::string();
       }},
      {"namespace",
       {"RestrictNamespaces"},
       GrantKind::namespace_type,
       [](const Denial& d, const HardeningPlan&) {
         std::string ns = namespace_of(d);
         return ns.empty() ? std::string() : "RestrictNamespaces=" + ns;
       }},
      // A program the service runs that the profile never saw run.
      {"exec-path",
       {"NoExecPaths", "ExecPaths"},
       GrantKind::path,
       [](const Denial& d, const HardeningPlan&) {
         if (!one_of(d.syscall, {"execve", "execveat"}) || d.path.empty() || !one_of(d.error, {"EACCES", "EPERM"}))
           return std::string();
         return assignment("ExecPaths", unit::write_path_item(d.path));
       }},
      {"address",
       {"IPAddressDeny"},
       GrantKind::path,
       [](const Denial& d, const HardeningPlan&) {
         std::string a = address_of(d);
         return a.empty() ? std::string() : assignment("IPAddressAllow", unit::write_word(a, "address"));
       }},
  };
  return kRules;
}

std::string describe(const Denial& d) {
  std::string op = d.text.empty() ? (d.syscall.empty() ? "an operation" : d.syscall + "()") : d.text;
  return d.error.empty() ? op : op + " -> " + d.error;
}

}  // namespace

std::string to_string(GrantKind kind) {
  switch (kind) {
    case GrantKind::path: return "path";
    case GrantKind::managed_directory: return "managed directory";
    case GrantKind::syscall: return "syscall";
    case GrantKind::family: return "address family";
    case GrantKind::capability: return "capability";
    case GrantKind::device: return "device";
    case GrantKind::namespace_type: return "namespace";
    case GrantKind::entry: return "entry";
    case GrantKind::step_down: return "step down";
    case GrantKind::remove: return "removed";
  }
  return "?";
}

std::string looser_value(const std::string& key, const std::string& value) {
  if (key == "ProtectSystem") {
    if (value == "strict") return "full";
    if (value == "full") return "yes";
  }
  if (key == "ProtectHome" && (value == "yes" || value == "tmpfs")) return "read-only";
  if (key == "ProtectProc" && value == "invisible") return "ptraceable";
  if (key == "DevicePolicy" && value == "strict") return "closed";
  return "";
}

std::string capability_for(const Denial& d) {
  // Which capability the kernel checks for these calls when ownership does
  // not already allow them (capabilities(7)).
  struct Row {
    std::initializer_list<const char*> calls;
    const char* cap;
  };
  static const Row kRows[] = {
      {{"setuid", "setreuid", "setresuid", "setfsuid"}, "CAP_SETUID"},
      {{"setgid", "setregid", "setresgid", "setfsgid", "setgroups"}, "CAP_SETGID"},
      {{"chown", "fchown", "lchown", "fchownat"}, "CAP_CHOWN"},
      {{"chmod", "fchmod", "fchmodat", "utime", "utimes", "utimensat", "futimesat"}, "CAP_FOWNER"},
      {{"kill", "tkill", "tgkill", "pidfd_send_signal"}, "CAP_KILL"},
      {{"chroot"}, "CAP_SYS_CHROOT"},
      {{"mknod", "mknodat"}, "CAP_MKNOD"},
      {{"settimeofday", "clock_settime", "adjtimex", "clock_adjtime"}, "CAP_SYS_TIME"},
      {{"setpriority", "sched_setscheduler", "sched_setparam", "sched_setattr", "ioprio_set"}, "CAP_SYS_NICE"},
      {{"setrlimit", "prlimit64"}, "CAP_SYS_RESOURCE"},
      {{"capset", "prctl"}, "CAP_SETPCAP"},  // prctl: PR_CAPBSET_DROP, PR_SET_SECUREBITS
      {{"mlock", "mlock2", "mlockall"}, "CAP_IPC_LOCK"},
      {{"setsockopt"}, "CAP_NET_ADMIN"},
      {{"sethostname", "setdomainname", "mount", "umount2", "pivot_root", "swapon", "swapoff"}, "CAP_SYS_ADMIN"},
      {{"ptrace", "process_vm_readv", "process_vm_writev"}, "CAP_SYS_PTRACE"},
      {{"reboot"}, "CAP_SYS_BOOT"},
      {{"syslog"}, "CAP_SYSLOG"},
      {{"init_module", "finit_module", "delete_module"}, "CAP_SYS_MODULE"},
      {{"ioperm", "iopl"}, "CAP_SYS_RAWIO"},
      {{"acct"}, "CAP_SYS_PACCT"},
  };
  if (!one_of(d.error, {"EPERM", "EACCES"})) return "";
  if (d.syscall == "bind" && d.text.find("htons(") != std::string::npos) {
    static const std::regex port(R"re(htons\((\d+)\))re");
    std::smatch m;
    if (std::regex_search(d.text, m, port) && to_number<unsigned>(m[1].str()).value_or(65536) < 1024) return "CAP_NET_BIND_SERVICE";
    return "";
  }
  if (d.syscall == "socket" && (d.family == "AF_PACKET" || d.text.find("SOCK_RAW") != std::string::npos))
    return "CAP_NET_RAW";
  for (const auto& r : kRows)
    if (one_of(d.syscall, r.calls)) return r.cap;
  // A file the modes refuse: root reads it through DAC_READ_SEARCH, writes through DAC_OVERRIDE.
  if (d.error == "EACCES" && !d.path.empty() && one_of(d.syscall, {"open", "openat", "openat2", "access", "faccessat",
                                                                   "faccessat2", "stat", "newfstatat", "statx"})) {
    bool writes = d.text.find("O_WRONLY") != std::string::npos || d.text.find("O_RDWR") != std::string::npos ||
                  d.text.find("W_OK") != std::string::npos;
    return writes ? "CAP_DAC_OVERRIDE" : "CAP_DAC_READ_SEARCH";
  }
  return "";
}

std::vector<Grant> narrowest_grants(const HardeningPlan& plan, const std::vector<std::string>& culprit_keys,
                                    const std::vector<Denial>& denials, const std::set<std::string>& tried) {
  std::vector<Grant> out;
  for (const auto& key : culprit_keys) {
    const Directive* d = find_directive(plan, key);
    if (!d) continue;
    std::string under = key + "=" + (d->values.empty() ? "" : d->values.back());
    std::vector<Grant> mine;
    for (const auto& rule : grant_rules()) {
      if (std::find(rule.culprits.begin(), rule.culprits.end(), key) == rule.culprits.end()) continue;
      for (const auto& denial : denials) {
        std::string g = rule.grant(denial, plan);
        if (g.empty() || tried.count(g)) continue;
        bool dup = std::any_of(mine.begin(), mine.end(), [&](const Grant& x) { return x.relax == g; });
        if (!dup) mine.push_back({g, rule.kind, describe(denial) + " under " + under});
      }
      if (!mine.empty()) break;  // the narrowest rule that fits; wider ones only if it did not help
    }
    if (mine.empty()) {
      std::string why = denials.empty() ? "no denied operation was named" : describe(denials.front()) + " under " + under;
      bool steps = !looser_value(key, d->values.empty() ? "" : d->values.back()).empty();
      mine.push_back({key, steps ? GrantKind::step_down : GrantKind::remove,
                      why + (steps ? "; no narrower grant fits" : "; no narrower grant or weaker value fits")});
    }
    out.insert(out.end(), mine.begin(), mine.end());
  }
  return out;
}

std::vector<Grant> entry_grants(const HardeningPlan& plan,
                                const std::vector<std::pair<std::string, std::string>>& culprit_entries,
                                const std::string& evidence) {
  std::vector<Grant> out;
  for (const auto& culprit : culprit_entries) {
    const std::string& key = culprit.first;  // (a binding cannot be captured before clang 16)
    const std::string& entry = culprit.second;
    if (!unit::entries_restrict(key)) continue;
    const Directive* d = find_directive(plan, key);
    if (!d) continue;
    size_t listed = 0, blamed = 0;
    for (const auto& v : d->values) {
      std::vector<std::string> words;
      if (!unit::split_words(v, false, words)) continue;
      listed += words.size();
      blamed += std::count(words.begin(), words.end(), entry);
    }
    size_t blamed_of_key = std::count_if(culprit_entries.begin(), culprit_entries.end(),
                                         [&](const auto& c) { return c.first == key; });
    if (blamed == 0 || listed <= blamed_of_key) continue;
    out.push_back({key + "=" + entry, GrantKind::entry,
                   fmt::format("{} under {}={}, the other {} entries kept", evidence, key, entry, listed - blamed_of_key)});
  }
  return out;
}

}  // namespace sdh::synth
