// SPDX-License-Identifier: GPL-2.0-or-later
#include "lint/checks.h"
#include "util/linux_names.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>

#include "lint/elf.h"
#include "lint/facts.h"
#include "unit/directives.h"
#include "util/strings.h"

namespace sdh::lint::checks {
namespace {

using unit::DevicePolicy;
using unit::ProtectSystem;

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

// Words of an Exec line, further broken at shell punctuation so that
// `sh -c "... | sendmail root"` still shows "sendmail".
std::vector<std::string> command_words(const ExecLine& line) {
  std::vector<std::string> out;
  for (const auto& word : line.argv) {
    std::string cur;
    for (char c : word) {
      if (std::string_view(" \t|;&()`'\"<>$").find(c) != std::string_view::npos) {
        if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
  }
  return out;
}

struct ProgramMatch {
  const ExecLine* line;
  std::string word;
};

// First Exec line word (per line) whose basename satisfies `match`.
template <typename Pred>
std::vector<ProgramMatch> find_programs(const std::vector<ExecLine>& lines, Pred match) {
  std::vector<ProgramMatch> out;
  for (const auto& line : lines) {
    for (const auto& w : command_words(line)) {
      if (match(basename_of(w))) {
        out.push_back({&line, w});
        break;
      }
    }
  }
  return out;
}

// Settings in effect that make systemd set no_new_privs for a process
// without CAP_SYS_ADMIN (seccomp needs it then): the registry's implies_nnp
// rows, in its order. DynamicUser= implies RestrictSUIDSGID=.
std::vector<std::string> nnp_implying_settings(const unit::UnitSettings& s) {
  std::vector<std::string> out;
  for (const auto& row : unit::directive_table()) {
    if (!row.implies_nnp) continue;
    const std::string& k = row.name;
    bool on = row.flag ? s.*row.flag
              : k == "SystemCallFilter"        ? s.system_call_filter.configured
              : k == "SystemCallArchitectures" ? !s.system_call_architectures.empty()
              : k == "RestrictAddressFamilies" ? s.restrict_address_families.configured
              : k == "RestrictNamespaces" ? s.restrict_namespaces_configured && s.restrict_namespaces != unit::kNsAll
                                          : false;
    if (k == "RestrictSUIDSGID" && s.dynamic_user) {
      out.emplace_back("DynamicUser=yes");
      continue;
    }
    if (on) out.push_back(k + (row.flag ? "=yes" : "="));
  }
  return out;
}

bool explicit_nnp(const unit::LoadedUnit& u) {
  auto a = assignments_of(u, "NoNewPrivileges");
  if (a.empty()) return false;
  const std::string& v = a.back()->value;
  return v == "yes" || v == "true" || v == "1" || v == "on";
}

// Programs that only work because exec grants them privileges (setuid or
// setgid bits, file capabilities); no_new_privs silently withholds them.
const std::set<std::string, std::less<>>& privilege_gaining_programs() {
  static const std::set<std::string, std::less<>> k = {
      "sendmail", "exim", "exim4", "postdrop", "postqueue", "mail", "mailx", "bsd-mailx",
      "su", "sudo", "sudoedit", "doas", "runuser", "pkexec", "newgrp", "sg",
      "passwd", "chsh", "chfn", "gpasswd", "chage", "expiry",
      "mount", "umount", "fusermount", "fusermount3", "ntfs-3g",
      "ping", "ping4", "ping6", "arping", "traceroute6.iputils", "crontab", "at",
      "ssh-keysign", "unix_chkpwd", "dotlockfile", "wall", "write", "Xorg.wrap", "pppd"};
  return k;
}

bool is_jit_program(std::string_view name) {
  static const std::set<std::string, std::less<>> exact = {
      "java", "javaw", "node", "nodejs", "luajit", "openresty", "pypy", "pypy3", "dotnet", "mono",
      "deno", "bun", "gjs", "julia", "erl", "beam.smp", "chromium", "chrome", "google-chrome",
      "firefox", "electron", "wasmtime", "wasmer", "php", "qemu-system-x86_64"};
  if (exact.count(name)) return true;
  for (std::string_view prefix : {"php-fpm", "php8", "php7", "qemu-system-", "java-", "node-"}) {
    if (name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

bool family_allowed(const unit::FilterSet& f, const std::string& family) {
  if (!f.configured) return true;
  return f.allow_list ? f.names.count(family) > 0 : f.names.count(family) == 0;
}

std::string first_word(const std::string& v) {
  auto t = tokens(v);
  return t.empty() ? std::string() : t.front();
}

using unit::strip_path_prefixes;

std::vector<std::string> list_values(const unit::LoadedUnit& u, const std::string& key) {
  std::vector<std::string> out;
  for (const auto* a : effective_list(u, key)) {
    for (auto& t : tokens(a->value)) out.push_back(std::move(t));
  }
  return out;
}

// Mode of a filter list decided by its first effective line, and the lines
// written in the other mode (they subtract instead of adding).
struct ModeSplit {
  bool allow_first = false;
  std::vector<const unit::Assignment*> opposite;
};
std::optional<ModeSplit> mode_split(const unit::LoadedUnit& u, const std::string& key) {
  auto lines = effective_list(u, key);
  if (lines.empty()) return std::nullopt;
  ModeSplit split;
  split.allow_first = lines.front()->value.front() != '~';
  for (std::size_t i = 1; i < lines.size(); ++i) {
    bool deny = lines[i]->value.front() == '~';
    if (deny == split.allow_first) split.opposite.push_back(lines[i]);
  }
  return split;
}


void protect_clock_device_allowlist(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (!s.protect_clock) return;
  auto written_allow = effective_list(c.unit, "DeviceAllow");
  auto policy_lines = assignments_of(c.unit, "DevicePolicy");
  bool explicit_policy = !policy_lines.empty() && policy_lines.back()->value != "auto" &&
                         !policy_lines.back()->value.empty();
  if (written_allow.empty() && !explicit_policy) return;  // auto, no list: nothing is added
  std::string cause = explicit_policy ? "DevicePolicy=" + policy_lines.back()->value
                                      : "DeviceAllow= (with DevicePolicy=auto)";
  out.push_back({where(c.unit, "ProtectClock"),
                 "ProtectClock=yes adds DeviceAllow=char-rtc r because " + cause +
                     " puts a device allow-list in force: only the listed devices, the "
                     "standard pseudo-devices and the RTC stay reachable",
                 {}});
}

void device_allow_implicit_closed(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (s.private_devices) return;  // covered by private-devices-device-allow
  auto written_allow = effective_list(c.unit, "DeviceAllow");
  auto policy_lines = assignments_of(c.unit, "DevicePolicy");
  bool policy_written = !policy_lines.empty() && !policy_lines.back()->value.empty();
  if (written_allow.empty() || policy_written) return;
  out.push_back({written_allow.front()->location,
                 "DeviceAllow= with the default DevicePolicy=auto behaves like DevicePolicy=closed: "
                 "every device not listed (besides /dev/null, zero, full, random, urandom, tty, ptmx) "
                 "becomes unreachable",
                 {}});
}

void no_new_privileges_setuid_helper(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  bool nnp_explicit = explicit_nnp(c.unit) || s.no_new_privileges;
  auto implying = nnp_implying_settings(s);
  // A root service keeps CAP_SYS_ADMIN, so the options above do not set
  // no_new_privs; and root gains nothing from setuid-root helpers anyway.
  if (runs_as_root(s)) return;
  if (!nnp_explicit && implying.empty()) return;
  auto lines = exec_lines(c.unit);
  const auto& helpers = privilege_gaining_programs();
  for (const auto& m : find_programs(lines, [&](const std::string& b) { return helpers.count(b) > 0; })) {
    std::string why = nnp_explicit ? "NoNewPrivileges=yes" : "no_new_privs (implied by " + join(implying) + ")";
    out.push_back({m.line->assignment->location,
                   m.line->assignment->key + "= runs '" + basename_of(m.word) +
                       "', which relies on setuid/setgid bits or file capabilities; " + why +
                       " makes the kernel ignore them, so it runs without the privilege it expects",
                   {}});
  }
}

void no_new_privileges_overridden(const LintContext& c, std::vector<Hit>& out) {
  auto a = assignments_of(c.unit, "NoNewPrivileges");
  if (a.empty()) return;
  const std::string& v = a.back()->value;
  if (!(v == "no" || v == "false" || v == "0" || v == "off")) return;
  if (runs_as_root(c.unit.settings)) return;
  auto implying = nnp_implying_settings(c.unit.settings);
  if (implying.empty()) return;
  out.push_back({a.back()->location,
                 "NoNewPrivileges=no has no effect: " + join(implying) +
                     " make systemd set no_new_privs for this unprivileged service anyway",
                 {}});
}

void syscall_filter_without_errno(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (!s.system_call_filter.configured || s.system_call_error_number) return;
  if (is_set(c.unit, "SystemCallErrorNumber") &&
      !assignments_of(c.unit, "SystemCallErrorNumber").back()->value.empty())
    return;
  out.push_back({where(c.unit, "SystemCallFilter"),
                 "SystemCallFilter= without SystemCallErrorNumber=: a filtered system call kills the "
                 "process with SIGSYS, which leaves little trace of what was denied",
                 {}});
}

void memory_deny_write_execute_jit(const LintContext& c, std::vector<Hit>& out) {
  if (!c.unit.settings.memory_deny_write_execute) return;
  auto lines = exec_lines(c.unit);
  for (const auto& m : find_programs(lines, [](const std::string& b) { return is_jit_program(b); })) {
    out.push_back({where(c.unit, "MemoryDenyWriteExecute"),
                   "MemoryDenyWriteExecute=yes with " + m.line->assignment->key + "= running '" +
                       basename_of(m.word) + "' (" + m.line->assignment->location.file + ":" +
                       std::to_string(m.line->assignment->location.line) +
                       "), a runtime that compiles code just in time: its executable mappings are refused",
                   {}});
  }
}

void private_users_supplementary_groups(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (!s.private_users || s.supplementary_groups.empty()) return;
  out.push_back({where(c.unit, "SupplementaryGroups"),
                 "PrivateUsers=yes maps only root and the service's own user and group into the "
                 "user namespace; the supplementary groups " + join(s.supplementary_groups) +
                     " appear as 'nogroup' inside it",
                 {}});
}

void syscall_architectures_foreign_binary(const LintContext& c, std::vector<Hit>& out) {
  const auto& archs = c.unit.settings.system_call_architectures;
  if (archs.empty()) return;
  std::set<std::string> allowed;
  for (const auto& a : archs) allowed.insert(a == "native" ? c.native_arch : a);
  std::set<std::string> seen;
  for (const auto& line : exec_lines(c.unit)) {
    const std::string& program = line.argv.front();
    if (program.find_first_of("$%") != std::string::npos || !seen.insert(program).second) continue;
    auto arch = executable_architecture(c.fs, program);
    if (!arch || allowed.count(*arch)) continue;
    std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
    out.push_back({line.assignment->location,
                   line.assignment->key + "= runs " + program + ", an " + *arch +
                       " binary, but SystemCallArchitectures= allows only " + join(allowed_list) +
                       ": its first system call is refused",
                   "Add SystemCallArchitectures=" + *arch + " (or run the " +
                       join(allowed_list) + " build of the program)"});
  }
}

// NSS modules that need a socket family beyond plain files.
const std::map<std::string, std::vector<std::string>, std::less<>>& nss_module_families() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> k = {
      {"systemd", {"AF_UNIX"}},   {"sss", {"AF_UNIX"}},       {"winbind", {"AF_UNIX"}},
      {"ldap", {"AF_UNIX"}},      {"resolve", {"AF_UNIX"}},   {"mymachines", {"AF_UNIX"}},
      {"mdns", {"AF_UNIX"}},      {"mdns4", {"AF_UNIX"}},     {"mdns6", {"AF_UNIX"}},
      {"mdns_minimal", {"AF_UNIX"}}, {"mdns4_minimal", {"AF_UNIX"}}, {"mdns6_minimal", {"AF_UNIX"}},
      {"myhostname", {"AF_NETLINK"}}, {"nis", {"AF_INET", "AF_INET6"}},
      {"nisplus", {"AF_INET", "AF_INET6"}}, {"hesiod", {"AF_INET", "AF_INET6"}}};
  return k;
}

const std::map<std::string, std::vector<std::string>, std::less<>>& pam_module_families() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> k = {
      {"pam_systemd.so", {"AF_UNIX"}}, {"pam_systemd_home.so", {"AF_UNIX"}},
      {"pam_sss.so", {"AF_UNIX"}},     {"pam_winbind.so", {"AF_UNIX"}},
      {"pam_ldap.so", {"AF_UNIX", "AF_INET", "AF_INET6"}}, {"pam_krb5.so", {"AF_INET", "AF_INET6"}}};
  return k;
}

// family -> modules that need it
using Needs = std::map<std::string, std::set<std::string>>;

void nss_needs(const FileSystem& fs, Needs& needs) {
  auto text = fs.read_file("/etc/nsswitch.conf");
  if (!text) return;
  std::size_t pos = 0;
  while (pos < text->size()) {
    std::size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    std::string line = text->substr(pos, end - pos);
    pos = end + 1;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string db = line.substr(0, colon);
    db.erase(0, db.find_first_not_of(" \t"));
    static const std::set<std::string, std::less<>> kDbs = {"passwd", "group", "shadow", "gshadow",
                                                            "initgroups", "hosts"};
    if (!kDbs.count(db)) continue;
    for (const auto& word : tokens(line.substr(colon + 1))) {
      if (word.front() == '[') continue;
      auto it = nss_module_families().find(word);
      if (it == nss_module_families().end()) continue;
      for (const auto& fam : it->second) needs[fam].insert("NSS module '" + word + "' (" + db + ")");
    }
  }
}

void pam_needs(const FileSystem& fs, const std::string& service, Needs& needs, int depth) {
  if (depth > 6 || service.empty() || service.find('/') != std::string::npos) return;
  auto text = fs.read_file("/etc/pam.d/" + service);
  if (!text) return;
  for (const auto& raw : lines_of(*text)) {
    auto words = tokens(raw);
    if (words.empty() || words[0].front() == '#') continue;
    if (words[0] == "@include" && words.size() > 1) {
      pam_needs(fs, words[1], needs, depth + 1);
      continue;
    }
    if (words.size() < 3) continue;
    std::size_t module_at = 2;
    if (words[1].front() == '[') {  // [success=1 default=ignore] spans words
      while (module_at < words.size() && words[module_at - 1].back() != ']') ++module_at;
    }
    if (module_at >= words.size()) continue;
    if (words[1] == "include" || words[1] == "substack") {
      pam_needs(fs, words[2], needs, depth + 1);
      continue;
    }
    std::string module = basename_of(words[module_at]);
    auto it = pam_module_families().find(module);
    if (it == pam_module_families().end()) continue;
    for (const auto& fam : it->second) needs[fam].insert("PAM module " + module + " (" + service + ")");
  }
}

void address_families_nss_pam(const LintContext& c, std::vector<Hit>& out) {
  const auto& f = c.unit.settings.restrict_address_families;
  if (!f.configured) return;
  Needs needs;
  nss_needs(c.fs, needs);
  auto pam = assignments_of(c.unit, "PAMName");
  if (!pam.empty()) pam_needs(c.fs, pam.back()->value, needs, 0);
  for (const auto& [family, users] : needs) {
    if (family_allowed(f, family)) continue;
    std::vector<std::string> who(users.begin(), users.end());
    out.push_back({where(c.unit, "RestrictAddressFamilies"),
                   "RestrictAddressFamilies= does not allow " + family + ", which " + join(who) +
                       " need" + (who.size() == 1 ? "s" : "") +
                       "; user, group or host lookups in the service fail or fall back silently",
                   "Add " + family + " to RestrictAddressFamilies= (or drop the module from the "
                                     "configuration if the service does not need it)"});
  }
}

void private_devices_device_allow(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (!s.private_devices) return;
  static const std::set<std::string, std::less<>> kPseudo = {
      "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx",
      "char-pts", "/dev/stdin", "/dev/stdout", "/dev/stderr"};
  std::vector<std::string> bound;
  for (const char* key : {"BindPaths", "BindReadOnlyPaths"}) {
    for (const auto& v : list_values(c.unit, key)) {
      std::string spec = strip_path_prefixes(v);
      auto colon = spec.find(':');
      bound.push_back(spec.substr(0, colon));
      if (colon != std::string::npos) bound.push_back(spec.substr(colon + 1, spec.find(':', colon + 1) - colon - 1));
    }
  }
  for (const auto* a : effective_list(c.unit, "DeviceAllow")) {
    std::string dev = first_word(a->value);
    if (kPseudo.count(dev) || path_under(dev, "/dev/pts")) continue;
    bool is_bound = std::any_of(bound.begin(), bound.end(),
                                [&](const std::string& b) { return path_under(dev, b); });
    if (is_bound) continue;
    out.push_back({a->location,
                   "DeviceAllow=" + dev + " has no effect: PrivateDevices=yes gives the service its own "
                   "/dev with only pseudo-devices, so " + dev + " does not exist there",
                   {}});
  }
}

void protect_system_read_only_redundant(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (s.protect_system == ProtectSystem::no) return;
  std::vector<std::string> protected_roots;
  if (s.protect_system == ProtectSystem::strict) {
    protected_roots = {"/"};
  } else {
    protected_roots = {"/usr", "/boot", "/efi"};
    if (s.protect_system == ProtectSystem::full) protected_roots.push_back("/etc");
  }
  std::vector<std::string> writable;
  for (const auto& v : list_values(c.unit, "ReadWritePaths")) writable.push_back(strip_path_prefixes(v));
  for (const auto& m : unit::managed_directories()) {
    for (const auto& v : list_values(c.unit, std::string(m.key)))
      writable.push_back(std::string(m.base) + v.substr(0, v.find(':')));
  }
  if (s.private_tmp) writable.insert(writable.end(), {"/tmp", "/var/tmp"});
  for (const auto* a : effective_list(c.unit, "ReadOnlyPaths")) {
    for (const auto& raw : tokens(a->value)) {
      std::string p = strip_path_prefixes(raw);
      if (p.empty() || p.front() != '/') continue;
      bool api = path_under(p, "/dev") || path_under(p, "/proc") || path_under(p, "/sys");
      bool covered = !api && std::any_of(protected_roots.begin(), protected_roots.end(),
                                         [&](const std::string& r) { return path_under(p, r); });
      bool reopened = std::any_of(writable.begin(), writable.end(), [&](const std::string& w) {
        return path_under(p, w) || path_under(w, p);
      });
      if (!covered || reopened) continue;
      out.push_back({a->location,
                     "ReadOnlyPaths=" + p + " is redundant: ProtectSystem=" + unit::to_string(s.protect_system) +
                         " already mounts it read-only",
                     {}});
    }
  }
}

void dynamic_user_root(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (!s.dynamic_user || !unit::names_root(s.user)) return;
  out.push_back({where(c.unit, "User"),
                 "DynamicUser=yes with User=" + *s.user +
                     ": root exists statically, so no dynamic user is allocated and the service runs as root",
                 {}});
}

void syscall_filter_deny_then_allow(const LintContext& c, std::vector<Hit>& out) {
  auto split = mode_split(c.unit, "SystemCallFilter");
  if (!split || split->allow_first) return;
  for (const auto* a : split->opposite) {
    out.push_back({a->location,
                   "SystemCallFilter=" + a->value + " follows a deny-list (~) line: it does not build an "
                   "allow-list, it removes these calls from the deny-list, i.e. allows them again",
                   {}});
  }
}

void syscall_filter_allow_then_deny(const LintContext& c, std::vector<Hit>& out) {
  auto split = mode_split(c.unit, "SystemCallFilter");
  if (!split || !split->allow_first) return;
  for (const auto* a : split->opposite) {
    out.push_back({a->location,
                   "SystemCallFilter=" + a->value + " follows an allow-list line: it only removes these "
                   "calls from the allow-list; calls never allowed are unaffected",
                   {}});
  }
}

void address_families_mixed_modes(const LintContext& c, std::vector<Hit>& out) {
  auto split = mode_split(c.unit, "RestrictAddressFamilies");
  if (!split) return;
  for (const auto* a : split->opposite) {
    out.push_back({a->location,
                   split->allow_first
                       ? "RestrictAddressFamilies=" + a->value +
                             " follows an allow-list line: it removes these families from the allow-list"
                       : "RestrictAddressFamilies=" + a->value +
                             " follows a deny-list (~) line: it removes these families from the deny-list, "
                             "i.e. allows them again",
                   {}});
  }
}

void socket_activated_address_families(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (!s.socket_activated || s.private_network) return;
  const auto& f = s.restrict_address_families;
  std::vector<std::string> open;
  for (const char* fam : {"AF_INET", "AF_INET6", "AF_PACKET"}) {
    if (family_allowed(f, fam)) open.emplace_back(fam);
  }
  if (open.empty()) return;
  out.push_back({f.configured ? where(c.unit, "RestrictAddressFamilies") : unit::Location{c.unit.fragment_path, 0, 0},
                 "the service is socket-activated, yet may create " + join(open) +
                     " sockets; systemd binds the listening socket, so unless the service also connects out "
                     "these families can be restricted",
                 {}});
}

void notify_without_af_unix(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  if (s.service_type != "notify" && s.service_type != "notify-reload") return;
  if (family_allowed(s.restrict_address_families, "AF_UNIX")) return;
  out.push_back({where(c.unit, "RestrictAddressFamilies"),
                 "Type=" + s.service_type +
                     " but RestrictAddressFamilies= leaves out AF_UNIX: the service cannot open the socket "
                     "its readiness message goes through, and its start times out",
                 {}});
}

void ambient_outside_bounding_set(const LintContext& c, std::vector<Hit>& out) {
  const auto& s = c.unit.settings;
  uint64_t lost = s.ambient_capabilities & ~s.capability_bounding_set;
  if (!lost) return;
  std::vector<std::string> names;
  for (int i = 0; i < 64; ++i) {
    if (lost & (uint64_t{1} << i)) names.push_back(sdh::capability_text(i));
  }
  out.push_back({where(c.unit, "AmbientCapabilities"),
                 "AmbientCapabilities= grants " + join(names) +
                     " but CapabilityBoundingSet= removes it: the service cannot hold it",
                 {}});
}

using unit::Severity;

constexpr std::array kRules = {
    // --- gotchas: settings that are valid but break or weaken the service ---
    // A note, not a warning: on 252 the RTC entry is only added to a list that
    // already exists, so it widens access slightly; the trap is not knowing
    // the list exists (see device-allow-implies-closed).
    Rule{"protect-clock-device-allowlist", RuleKind::gotcha, Severity::note,
         "ProtectClock=yes adds an RTC entry to a device allow-list",
         "When a device policy is in force (DevicePolicy=closed/strict, or any DeviceAllow= line), "
         "ProtectClock=yes adds DeviceAllow=char-rtc r. Together they leave the service with an allow-list "
         "of devices; anything it opens that is not listed fails with EPERM.",
         "List every device the service needs in DeviceAllow=, or drop the device policy if it was not meant "
         "to be an allow-list.",
         &protect_clock_device_allowlist},
    Rule{"device-allow-implies-closed", RuleKind::gotcha, Severity::note,
         "DeviceAllow= turns the default device policy into an allow-list",
         "With DevicePolicy=auto, the first DeviceAllow= line restricts the service to the listed devices "
         "plus the standard pseudo-devices. DeviceAllow= never adds access on top of an open policy.",
         "Write DevicePolicy=closed explicitly so the intent is visible, and list every device needed.",
         &device_allow_implicit_closed},
    Rule{"no-new-privileges-setuid-helper", RuleKind::gotcha, Severity::warning,
         "A setuid/setgid helper runs under no_new_privs",
         "NoNewPrivileges=yes, or any option that needs seccomp for an unprivileged service "
         "(SystemCallFilter=, RestrictAddressFamilies=, ProtectKernel*=, DynamicUser=, ...), sets no_new_privs. "
         "The kernel then ignores setuid/setgid bits and file capabilities, so helpers such as sendmail, su, "
         "sudo or ping lose the privilege they rely on and fail, often quietly.",
         "Let the service talk to a daemon instead of a setuid helper (e.g. SMTP to localhost instead of "
         "sendmail), or run the helper from a separate unit; otherwise leave out the options that imply "
         "no_new_privs.",
         &no_new_privileges_setuid_helper},
    Rule{"no-new-privileges-overridden", RuleKind::gotcha, Severity::note,
         "NoNewPrivileges=no is overridden by other options",
         "For a service without CAP_SYS_ADMIN, systemd needs no_new_privs to install seccomp filters, so "
         "options like SystemCallFilter= set it regardless of NoNewPrivileges=no.",
         "Remove NoNewPrivileges=no, or remove the seccomp-based options if the service really needs to gain "
         "privileges on exec.",
         &no_new_privileges_overridden},
    Rule{"syscall-filter-without-errno", RuleKind::gotcha, Severity::warning,
         "SystemCallFilter= without SystemCallErrorNumber=",
         "Without SystemCallErrorNumber=, a call outside the filter kills the whole process with SIGSYS. "
         "The service dies with little trace of the call that was refused, and code that would have handled "
         "an error return never gets the chance.",
         "Add SystemCallErrorNumber=EPERM so refused calls fail with an error the program can handle and "
         "log.",
         &syscall_filter_without_errno},
    Rule{"memory-deny-write-execute-jit", RuleKind::gotcha, Severity::warning,
         "MemoryDenyWriteExecute=yes with a JIT runtime",
         "MemoryDenyWriteExecute=yes refuses memory that is writable and executable, or becomes executable "
         "later. Just-in-time compilers (Java, Node.js, LuaJIT, PHP's PCRE JIT, .NET, QEMU's TCG) need exactly "
         "that and crash or fall back to slow paths.",
         "Remove MemoryDenyWriteExecute= for this service, or disable the runtime's JIT (e.g. pcre.jit=0 "
         "for PHP) if it can run without one.",
         &memory_deny_write_execute_jit},
    Rule{"private-users-supplementary-groups", RuleKind::gotcha, Severity::warning,
         "PrivateUsers=yes with SupplementaryGroups=",
         "PrivateUsers=yes runs the service in a user namespace where only root and its own user and group "
         "are mapped. Supplementary groups show up as the overflow group, so code that checks membership "
         "(e.g. readers of the journal through systemd-journal) or changes file groups misbehaves.",
         "Drop PrivateUsers=yes, or verify that the service only uses the groups for plain file access.",
         &private_users_supplementary_groups},
    Rule{"syscall-architectures-foreign-binary", RuleKind::gotcha, Severity::error,
         "SystemCallArchitectures= excludes the architecture of a binary the service runs",
         "SystemCallArchitectures=native refuses every system call made through another ABI. A "
         "foreign-architecture binary (multiarch i386 on amd64, an emulated arm64 program) is killed on its "
         "first system call.",
         "Add the binary's architecture to SystemCallArchitectures=, or use the native build.",
         &syscall_architectures_foreign_binary},
    Rule{"address-families-nss-pam", RuleKind::gotcha, Severity::warning,
         "RestrictAddressFamilies= forbids a family that configured NSS/PAM modules need",
         "NSS modules (nss-systemd, sss, winbind, ldap, myhostname...) and PAM modules run inside the service "
         "and talk to daemons or the kernel over AF_UNIX, AF_NETLINK or IP. With the family refused, user, "
         "group and host lookups fail or silently return less.",
         "Allow the families the configured modules need (usually AF_UNIX, and AF_NETLINK for myhostname).",
         &address_families_nss_pam},
    Rule{"socket-activated-address-families", RuleKind::gotcha, Severity::note,
         "A socket-activated service may still create IP sockets",
         "With socket activation systemd creates and binds the listening socket and passes it in; the "
         "service itself only needs the families it uses to connect out (often none beyond AF_UNIX).",
         "Add RestrictAddressFamilies= with only the families the service opens itself (check outbound "
         "connections first, e.g. with sdharden profile).",
         &socket_activated_address_families},
    Rule{"notify-without-af-unix", RuleKind::gotcha, Severity::error,
         "Type=notify with RestrictAddressFamilies= that leaves out AF_UNIX",
         "A notify service tells systemd it is ready by sending a datagram to $NOTIFY_SOCKET, an AF_UNIX "
         "socket it opens itself (sd_notify, systemd-notify). With AF_UNIX refused that socket() call fails, "
         "READY=1 never arrives and systemd kills the service when the start times out.",
         "Add AF_UNIX to RestrictAddressFamilies=, or use another Type= if the service does not notify.",
         &notify_without_af_unix},
    // --- contradictions: settings that cancel or repeat each other ---
    Rule{"private-devices-device-allow", RuleKind::contradiction, Severity::warning,
         "DeviceAllow= for a device that PrivateDevices=yes hides",
         "PrivateDevices=yes mounts a private /dev holding only pseudo-devices (null, zero, full, random, "
         "urandom, tty, ptmx, pts). A DeviceAllow= line for any other device grants access to a node that "
         "does not exist in the service's view.",
         "Remove the DeviceAllow= line, or bind-mount the device in with BindPaths= (or drop "
         "PrivateDevices=yes) if the service really needs it.",
         &private_devices_device_allow},
    Rule{"protect-system-read-only-redundant", RuleKind::contradiction, Severity::note,
         "ReadOnlyPaths= repeats what ProtectSystem= already does",
         "ProtectSystem=yes mounts /usr, /boot and /efi read-only, =full adds /etc, =strict covers the whole "
         "tree except /dev, /proc and /sys. A ReadOnlyPaths= entry inside those (and not inside a writable "
         "path) changes nothing.",
         "Remove the redundant ReadOnlyPaths= entry.",
         &protect_system_read_only_redundant},
    Rule{"dynamic-user-root", RuleKind::contradiction, Severity::warning,
         "DynamicUser=yes with User=root",
         "DynamicUser= only allocates a user when the named one does not exist; root always exists, so the "
         "service runs as root and the isolation DynamicUser= promises is gone (its implied sandboxing still "
         "applies).",
         "Remove User=root (systemd then picks a dynamic user named after the unit) or drop DynamicUser=.",
         &dynamic_user_root},
    Rule{"syscall-filter-deny-then-allow", RuleKind::contradiction, Severity::warning,
         "A SystemCallFilter= line without ~ after a deny-list",
         "The first SystemCallFilter= line decides between allow- and deny-list. After a ~ line, later lines "
         "without ~ do not start an allow-list: they take calls out of the deny-list, re-allowing them.",
         "Write one consistent list: all lines with ~ for a deny-list, or start with the allow-list line.",
         &syscall_filter_deny_then_allow},
    Rule{"syscall-filter-allow-then-deny", RuleKind::contradiction, Severity::note,
         "A SystemCallFilter=~ line after an allow-list",
         "After an allow-list line, a ~ line removes calls from the allow-list; it does not deny anything "
         "that was not allowed before. That is fine when intended (e.g. @system-service minus @resources) "
         "but is often mistaken for a deny-list.",
         "Keep it if subtracting from the allow-list is the intent; otherwise merge the lists.",
         &syscall_filter_allow_then_deny},
    Rule{"address-families-mixed-modes", RuleKind::contradiction, Severity::warning,
         "RestrictAddressFamilies= lines mix allow- and deny-list",
         "The first RestrictAddressFamilies= line decides the mode; later lines in the other mode subtract "
         "from the list instead of adding to it.",
         "Use one mode for every RestrictAddressFamilies= line.",
         &address_families_mixed_modes},
    Rule{"ambient-outside-bounding-set", RuleKind::contradiction, Severity::warning,
         "AmbientCapabilities= grants a capability the bounding set removes",
         "A capability missing from CapabilityBoundingSet= can never be held, so granting it as ambient "
         "either fails the start or is silently lost.",
         "Add the capability to CapabilityBoundingSet= or remove it from AmbientCapabilities=.",
         &ambient_outside_bounding_set},
};

}  // namespace

std::span<const Rule> check_rules() { return kRules; }

}  // namespace sdh::lint::checks
