// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/assign.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

#include "unit/directives.h"
#include "unit/exec_line.h"
#include "unit/implied.h"
#include "unit/value_syntax.h"
#include "util/linux_names.h"
#include "util/strings.h"
#include "unit/parser.h"
#include "unit/semantics.h"
#include "unit/syscalls.h"
#include "unit/unit_name.h"

namespace sdh::unit {
namespace {

// --- small parsers -------------------------------------------------------

struct Ctx {
  UnitSettings& s;
  const Assignment& a;
  const AssignContext& c;

  void warn(const std::string& msg, Severity sev = Severity::warning,
            DiagnosticKind kind = DiagnosticKind::invalid_value) const {
    if (!c.diagnostics) return;
    Diagnostic d;
    d.severity = sev;
    d.kind = kind;
    d.location = a.location;
    d.message = msg;
    d.source_line = a.key + "=" + a.value;
    c.diagnostics->push_back(std::move(d));
  }
  std::optional<std::string> expand(const std::string& v, bool fatal) const {
    auto r = expand_specifiers(v, c.specifiers);
    if (!r) {
      warn(r.error().message() + " in " + a.key + "=" + (fatal ? "" : ", ignored"),
           fatal ? Severity::error : Severity::warning);
      return std::nullopt;
    }
    return *r;
  }
};

template <typename Enum>
bool parse_enum(const Ctx& x, Enum& out, bool boolean_ok, Enum yes = Enum{}, Enum no = Enum{}) {
  if (boolean_ok) {
    if (auto b = parse_boolean(x.a.value)) {
      out = *b ? yes : no;
      return true;
    }
  }
  for (const auto& s : spellings(out))
    if (x.a.value == s.text) {
      out = s.value;
      return true;
    }
  x.warn("invalid value for " + x.a.key + "=, ignored");
  return false;
}

// --- rules ---------------------------------------------------------------

void assign_capabilities(const Ctx& x) {
  bool bounding = x.a.key == "CapabilityBoundingSet";
  uint64_t& set = bounding ? x.s.capability_bounding_set : x.s.ambient_capabilities;
  std::string v = x.a.value;
  bool invert = !v.empty() && v[0] == '~';
  if (invert) v.erase(0, 1);
  std::vector<std::string> words;
  (void)split_words(v, true, words);  // systemd stops quietly at bad syntax
  uint64_t sum = 0;
  for (auto& w : words) {
    int n = capability_from_name(w);
    if (n < 0) {
      x.warn("unknown capability '" + w + "', ignored");
      continue;
    }
    sum |= uint64_t{1} << n;
  }
  uint64_t initial = bounding ? ~uint64_t{0} : 0;
  // Newer releases complement within the capabilities the kernel has, so an
  // inverted first line no longer equals "unset" and later lines merge into it.
  // Offline there is no target kernel: take the capabilities Linux names
  // (through CAP_CHECKPOINT_RESTORE, 5.9+), what every supported Debian kernel has.
  uint64_t all = has_change(x.c.version, Change::capability_invert_within_kernel)
                     ? (uint64_t{1} << sdh::capability_count()) - 1
                     : ~uint64_t{0};
  // An empty list or a still-initial set is replaced; otherwise lines merge.
  if (sum == 0 || set == initial)
    set = invert ? all & ~sum : sum;
  else if (invert)
    set &= ~sum;
  else
    set |= sum;
}

void assign_namespaces(const Ctx& x) {
  auto& s = x.s;
  const std::string& v = x.a.value;
  if (v.empty()) {
    s.restrict_namespaces = kNsAll;
    s.restrict_namespaces_configured = false;
    return;
  }
  if (auto b = parse_boolean(v)) {
    s.restrict_namespaces = *b ? 0 : kNsAll;
    s.restrict_namespaces_configured = true;
    return;
  }
  std::string list = v;
  bool invert = list[0] == '~';
  if (invert) list.erase(0, 1);
  std::vector<std::string> words;
  if (!split_words(list, true, words)) {
    x.warn("invalid namespace list, ignored");
    return;
  }
  uint32_t flags = 0;
  for (auto& w : words) {
    bool found = false;
    for (const auto& t : namespace_types())
      if (w == t.name) {
        flags |= t.bit;
        found = true;
      }
    if (!found) {
      x.warn("unknown namespace type '" + w + "', line ignored");
      return;
    }
  }
  if (!s.restrict_namespaces_configured) {
    s.restrict_namespaces = invert ? (~flags & kNsAll) : flags;
    s.restrict_namespaces_configured = true;
  } else if (invert) {
    s.restrict_namespaces &= ~flags;
  } else {
    s.restrict_namespaces |= flags;
  }
}

std::string canonical_family(const std::string& f) {
  if (f == "AF_LOCAL") return "AF_UNIX";
  if (f == "AF_ROUTE") return "AF_NETLINK";
  return f;
}

// A credential's name: a file name of its own (no '/', not "." or "..").
bool valid_credential_name(const std::string& id) {
  return !id.empty() && id.size() <= 255 && id.find('/') == std::string::npos && id != "." && id != "..";
}

// Base64 as systemd decodes it: the alphabet, '=' padding at the end, a
// multiple of four characters once white space is dropped.
bool valid_base64(const std::string& text) {
  std::string t;
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') t += c;
  if (t.empty() || t.size() % 4 != 0) return false;
  size_t pad = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad) return false;  // data after padding
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return pad <= 2;
}

void assign_address_families(const Ctx& x) {
  auto& fs = x.s.restrict_address_families;
  std::string v = x.a.value;
  if (v.empty()) {
    fs = FilterSet{};
    return;
  }
  if (v == "none") {
    fs.names.clear();
    fs.configured = true;
    fs.allow_list = true;
    fs.replaced_by_next = true;  // systemd frees the set: the next line starts over
    return;
  }
  bool invert = v[0] == '~';
  if (invert) v.erase(0, 1);
  if (!fs.configured || fs.replaced_by_next) {
    fs.configured = true;
    fs.replaced_by_next = false;
    fs.names.clear();
    fs.allow_list = !invert;
  }
  std::vector<std::string> words;
  bool ok = split_words(v, true, words).has_value();
  for (auto& w : words) {
    if (!is_address_family(w)) {
      if (has_change(x.c.version, Change::unknown_family_ends_line)) {
        x.warn("unknown address family '" + w + "': it and the rest of the line ignored");
        break;
      }
      x.warn("unknown address family '" + w + "', ignored");
      continue;
    }
    std::string f = canonical_family(w);
    if (!invert == fs.allow_list)
      fs.names.insert(f);
    else
      fs.names.erase(f);
  }
  if (!ok) x.warn("invalid syntax, rest of the line ignored");
}

bool valid_errno_spec(const std::string& e) {
  if (e == "kill") return true;
  if (!e.empty() && std::all_of(e.begin(), e.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return e.size() <= 4 && std::stoi(e) <= 4095;
  return is_errno_name(e);
}

void filter_put(FilterSet& fs, const std::string& name, bool add, const Ctx& x, bool log) {
  if (name[0] == '@') {
    const auto* members = syscall_group(x.c.version, name);
    if (!members) {
      if (log) x.warn("unknown system call group " + name + ", ignored");
      return;
    }
    // Group members are system call names by construction: no lookup needed.
    // They come mostly in order, so the place of one is the hint for the next.
    auto hint = fs.names.begin();
    for (auto& m : *members) {
      if (add)
        hint = fs.names.insert(hint, m);
      else
        fs.names.erase(m);
    }
    return;
  }
  if (!is_known_syscall(name)) {
    if (log) x.warn("unknown system call " + name + ", ignored");
    return;
  }
  if (add)
    fs.names.insert(name);
  else
    fs.names.erase(name);
}

void assign_syscall_filter(const Ctx& x) {
  auto& fs = x.s.system_call_filter;
  std::string v = x.a.value;
  if (v.empty()) {
    fs = FilterSet{};
    x.s.system_call_filter_lines.clear();
    return;
  }
  x.s.system_call_filter_lines.push_back(v);
  bool invert = v[0] == '~';
  if (invert) v.erase(0, 1);
  if (!fs.configured) {
    fs.configured = true;
    fs.names.clear();
    fs.allow_list = !invert;
    // An allow-list always includes the basics a process needs.
    if (fs.allow_list) filter_put(fs, "@default", true, x, false);
  }
  std::vector<std::string> words;
  bool ok = split_words(v, false, words).has_value();
  if (!ok) {
    x.warn("invalid syntax, line ignored");
    return;
  }
  for (auto& w : words) {
    std::string name = w;
    bool has_errno = false;
    auto colon = w.find(':');
    if (colon != std::string::npos) {
      if (!valid_errno_spec(w.substr(colon + 1))) {
        x.warn("invalid errno in '" + w + "', ignored");
        continue;
      }
      name = w.substr(0, colon);
      has_errno = true;
    }
    if (name.empty()) {
      x.warn("empty system call name in '" + w + "', ignored");
      continue;
    }
    if (!invert && has_errno) {
      x.warn("allowed system calls cannot take an error number, '" + w + "' ignored");
      continue;
    }
    // Allow-list: plain names allow, "~" names (with or without errno) are
    // taken out. Deny-list: "~" names deny, plain names are taken out.
    bool add = fs.allow_list ? !invert : invert;
    filter_put(fs, name, add, x, true);
  }
}

void assign_syscall_archs(const Ctx& x) {
  auto& set = x.s.system_call_architectures;
  if (x.a.value.empty()) {
    set.clear();
    return;
  }
  static const char* const kArchs[] = {
      "native", "x86", "x86-64", "x32", "arm", "arm64", "mips", "mips64", "mips64-n32", "mipsel",
      "mipsel64", "mipsel64-n32", "ppc", "ppc64", "ppc64-le", "riscv64", "s390", "s390x",
      "parisc", "parisc64"};
  std::vector<std::string> words;
  bool ok = split_words(x.a.value, true, words).has_value();
  for (auto& w : words) {
    bool known = std::any_of(std::begin(kArchs), std::end(kArchs), [&](const char* a) { return w == a; });
    if (!known) {
      x.warn("unknown system call architecture '" + w + "', ignored");
      continue;
    }
    set.insert(w);
  }
  if (!ok) x.warn("invalid syntax, rest of the line ignored");
}

bool parse_ip_prefix(const std::string& w, std::vector<IpPrefix>& out) {
  auto add = [&](int fam, const char* addr, unsigned len) {
    out.push_back(IpPrefix{fam, addr, len});
  };
  if (w == "any") {
    add(AF_INET, "0.0.0.0", 0);
    add(AF_INET6, "::", 0);
    return true;
  }
  if (w == "localhost") {
    add(AF_INET, "127.0.0.0", 8);
    add(AF_INET6, "::1", 128);
    return true;
  }
  if (w == "link-local") {
    add(AF_INET, "169.254.0.0", 16);
    add(AF_INET6, "fe80::", 64);
    return true;
  }
  if (w == "multicast") {
    add(AF_INET, "224.0.0.0", 4);
    add(AF_INET6, "ff00::", 8);
    return true;
  }
  std::string addr = w;
  std::optional<unsigned> len;
  auto slash = w.find('/');
  if (slash != std::string::npos) {
    addr = w.substr(0, slash);
    std::string l = w.substr(slash + 1);
    if (l.empty() || l.size() > 3 || !std::all_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    len = static_cast<unsigned>(std::stoi(l));
  }
  unsigned char buf[16] = {};
  int fam;
  unsigned max;
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    fam = AF_INET;
    max = 32;
  } else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    fam = AF_INET6;
    max = 128;
  } else {
    return false;
  }
  unsigned plen = len.value_or(max);
  if (plen > max) return false;
  // Mask the host bits, as systemd stores prefixes.
  for (unsigned bit = plen; bit < max; ++bit) buf[bit / 8] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(fam, buf, text, sizeof text);
  out.push_back(IpPrefix{fam, text, plen});
  return true;
}

void assign_ip_prefixes(const Ctx& x) {
  auto& list = x.a.key == "IPAddressAllow" ? x.s.ip_address_allow : x.s.ip_address_deny;
  if (x.a.value.empty()) {
    list.clear();
    return;
  }
  std::vector<std::string> words;
  bool ok = split_words(x.a.value, true, words).has_value();
  for (auto& w : words)
    if (!parse_ip_prefix(w, list)) x.warn("invalid IP address prefix '" + w + "', ignored");
  if (!ok) x.warn("invalid syntax, rest of the line ignored");
}

void assign_device_allow(const Ctx& x) {
  auto& list = x.s.device_allow;
  if (x.a.value.empty()) {
    list.clear();
    return;
  }
  std::vector<std::string> words;
  (void)split_words(x.a.value, true, words);
  if (words.empty()) {
    x.warn("cannot read a device from DeviceAllow=, ignored");
    return;
  }
  // The rights are the text after the first word.
  size_t i = 0;
  const std::string& v = x.a.value;
  while (i < v.size() && is_ws(v[i])) ++i;
  std::string first_raw;
  {
    std::vector<std::string> one;
    // Find the end of the first word by re-splitting progressively.
    size_t j = i;
    char quote = 0;
    for (; j < v.size(); ++j) {
      if (quote) {
        if (v[j] == quote) quote = 0;
        else if (v[j] == '\\') ++j;
        continue;
      }
      if (is_ws(v[j])) break;
      if (v[j] == '\\') ++j;
      else if (v[j] == '\'' || v[j] == '"') quote = v[j];
    }
    i = std::min(j, v.size());
  }
  while (i < v.size() && is_ws(v[i])) ++i;
  std::string rights = v.substr(i);
  auto path = x.expand(words[0], false);
  if (!path) return;
  std::string p = *path;
  if (p.rfind("block-", 0) != 0 && p.rfind("char-", 0) != 0) {
    if (!valid_abs_path(p) || (p.rfind("/dev/", 0) != 0 && p.rfind("/run/systemd/inaccessible/", 0) != 0)) {
      x.warn("invalid device node path '" + p + "', ignored");
      return;
    }
  }
  if (!std::all_of(rights.begin(), rights.end(), [](char c) { return c == 'r' || c == 'w' || c == 'm'; })) {
    x.warn("invalid device rights '" + rights + "', ignored");
    return;
  }
  if (rights.empty()) rights = "rwm";
  list.push_back(DeviceAllowEntry{p, rights});
}

bool assign_user_group(const Ctx& x) {
  auto& field = x.a.key == "User" ? x.s.user : x.s.group;
  if (x.a.value.empty()) {
    field.reset();
    return true;
  }
  auto v = x.expand(x.a.value, true);
  if (!v) return false;
  if (!valid_user_name(*v)) {
    x.warn("invalid user or group name '" + *v + "'; systemd refuses the unit", Severity::error);
    return false;
  }
  field = *v;
  return true;
}

bool assign_supplementary_groups(const Ctx& x) {
  auto& list = x.s.supplementary_groups;
  if (x.a.value.empty()) {
    list.clear();
    return true;
  }
  std::vector<std::string> words;
  if (!split_words(x.a.value, false, words)) {
    x.warn("invalid syntax; systemd refuses the unit", Severity::error);
    return false;
  }
  for (auto& w : words) {
    auto v = x.expand(w, true);
    if (!v) return false;
    if (!valid_user_name(*v)) {
      x.warn("invalid group name '" + *v + "'; systemd refuses the unit", Severity::error);
      return false;
    }
    list.push_back(*v);
  }
  return true;
}

bool assign_path(const Ctx& x) {
  auto& field = x.a.key == "RootDirectory" ? x.s.root_directory : x.s.root_image;
  auto v = x.expand(x.a.value, true);
  if (!v) return false;
  if (v->empty()) {
    field.clear();
    return true;
  }
  std::string p = *v;
  if (!valid_abs_path(p)) {
    x.warn(x.a.key + "= needs an absolute, normalized path; systemd refuses the unit", Severity::error);
    return false;
  }
  field = p;
  return true;
}

void assign_umask(const Ctx& x) {
  std::string v = x.a.value;
  size_t i = 0;
  while (i < v.size() && is_ws(v[i])) ++i;
  v = v.substr(i);
  if (v.empty() || v.size() > 8 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '7'; })) {
    x.warn("invalid UMask= value, ignored");
    return;
  }
  unsigned m = static_cast<unsigned>(std::stoul(v, nullptr, 8));
  if (m > 07777) {
    x.warn("UMask= out of range, ignored");
    return;
  }
  x.s.umask = m;
}

void assign_delegate(const Ctx& x) {
  const std::string& t = x.s.type;
  if (t != "service" && t != "scope") {
    x.warn("Delegate= is not supported for this unit type, ignored");
    return;
  }
  if (x.a.value.empty()) {
    x.s.delegate = true;
    return;
  }
  if (auto b = parse_boolean(x.a.value)) {
    x.s.delegate = *b;
    return;
  }
  // A list of controllers also turns delegation on.
  x.s.delegate = true;
}

void assign_exec_command(const Ctx& x) {
  bool main = x.a.key == "ExecStart";
  if (x.a.value.empty()) {
    if (main) {
      x.s.exec_start.clear();
      x.s.exec_start_raw.clear();
    }
    x.s.unsandboxed_commands.erase(x.a.key);
    x.s.exec_lines.erase(x.a.key);
    return;
  }
  x.s.exec_lines[x.a.key].push_back(x.a.value);
  if (auto program = unsandboxed_program(x.a.value)) x.s.unsandboxed_commands[x.a.key].push_back(*program);
  if (main) {
    std::vector<std::string> words;
    (void)split_words(x.a.value.substr(exec_prefix_length(x.a.value)), true, words);
    x.s.exec_start_raw.push_back(x.a.value);
    x.s.exec_start.push_back(std::move(words));
  }
}

}  // namespace

UnitSettings default_settings(const std::string& unit_name, const std::string& type,
                              bool user_manager) {
  UnitSettings s;
  s.name = unit_name;
  s.type = type;
  s.user_manager = user_manager;
  s.has_exec_context = type_has_exec_context(type);
  s.has_cgroup_context = type_has_cgroup_context(type);
  // System services get a private session keyring; everything else inherits.
  s.keyring_mode = (type == "service" && !user_manager) ? KeyringMode::private_ : KeyringMode::inherit;
  if (!s.has_exec_context) s.umask = 0002;
  return s;
}

bool assign(UnitSettings& s, const Assignment& a, const AssignContext& c) {
  const DirectiveInfo* d = find_directive(a.section, a.key, s.type);
  Ctx x{s, a, c};
  if (!section_known_for_type(a.section, s.type)) return true;  // ignored section
  if (a.key.rfind("X-", 0) == 0) return true;
  switch (directive_status(c.version, a.section, a.key)) {
    case DirectiveStatus::known: break;
    case DirectiveStatus::removed:
      x.warn("support for " + a.key + "= was removed from systemd; ignored", Severity::warning,
             DiagnosticKind::unknown_directive);
      return true;
    case DirectiveStatus::unknown: {
      std::string msg = "unknown directive " + a.key + "= in [" + a.section + "], ignored";
      if (auto since = first_release_knowing(a.section, a.key); since && *since > c.version)
        msg += " (systemd " + to_string(*since) + " and later know it; this is systemd " + to_string(c.version) + ")";
      x.warn(msg, Severity::warning, DiagnosticKind::unknown_directive);
      return true;
    }
  }
  if (!d) return true;  // known to systemd, no effect on what sdharden analyses
  s.origin[a.section + "." + a.key] = a.location;
  switch (d->rule) {
    case ParseRule::boolean:
    case ParseRule::boolean_fatal: {
      auto b = parse_boolean(a.value);
      if (!b && a.value.empty() && d->empty_resets_since && c.version.at_least(d->empty_resets_since)) {
        s.*(d->flag) = false;  // back to the default ("never assigned" for a tristate)
        if (d->assigned) s.*(d->assigned) = false;
        s.modes.erase(a.key);
        return true;
      }
      if (!b) {
        if (find_spelling(*d, a.value, c.version.number())) {
          s.*(d->flag) = true;
          s.modes[a.key] = a.value;
          if (d->assigned) s.*(d->assigned) = true;
          return true;
        }
        if (d->rule == ParseRule::boolean_fatal) {
          x.warn("invalid boolean for " + a.key + "=; systemd refuses the unit", Severity::error);
          return false;
        }
        std::string msg = "invalid boolean for " + a.key + "=, ignored";
        if (const Spelling* later = find_spelling(*d, a.value, std::numeric_limits<int>::max()))
          msg += " (systemd " + std::to_string(later->since) + " and later accept " + a.key + "=" + a.value +
                 "; this is systemd " + to_string(c.version) + ")";
        x.warn(msg);
        return true;
      }
      s.*(d->flag) = *b;
      s.modes.erase(a.key);
      if (d->assigned) s.*(d->assigned) = true;
      return true;
    }
    case ParseRule::protect_system:
      parse_enum(x, s.protect_system, true, ProtectSystem::yes, ProtectSystem::no);
      return true;
    case ParseRule::protect_home:
      parse_enum(x, s.protect_home, true, ProtectHome::yes, ProtectHome::no);
      return true;
    case ParseRule::protect_proc:
      parse_enum(x, s.protect_proc, false);
      return true;
    case ParseRule::proc_subset:
      parse_enum(x, s.proc_subset, false);
      return true;
    case ParseRule::keyring_mode:
      parse_enum(x, s.keyring_mode, false);
      return true;
    case ParseRule::notify_access:
      parse_enum(x, s.notify_access, false);
      return true;
    case ParseRule::device_policy:
      parse_enum(x, s.device_policy, false);
      return true;
    case ParseRule::service_type: {
      if (find_service_type(a.value, c.version.number())) {
        s.service_type = a.value;
      } else if (const Spelling* later = find_service_type(a.value, std::numeric_limits<int>::max())) {
        x.warn("invalid Type= value, ignored (systemd " + std::to_string(later->since) + " and later accept Type=" +
               a.value + "; this is systemd " + to_string(c.version) + ")");
      } else {
        x.warn("invalid Type= value, ignored");
      }
      return true;
    }
    case ParseRule::user_group: return assign_user_group(x);
    case ParseRule::supplementary_groups: return assign_supplementary_groups(x);
    case ParseRule::umask: assign_umask(x); return true;
    case ParseRule::path: return assign_path(x);
    case ParseRule::capability_set: assign_capabilities(x); return true;
    case ParseRule::restrict_namespaces: assign_namespaces(x); return true;
    case ParseRule::address_families: assign_address_families(x); return true;
    case ParseRule::syscall_filter: assign_syscall_filter(x); return true;
    case ParseRule::syscall_archs: assign_syscall_archs(x); return true;
    case ParseRule::syscall_errno:
      if (a.value.empty())
        s.system_call_error_number.reset();
      else
        s.system_call_error_number = a.value;
      return true;
    case ParseRule::device_allow: assign_device_allow(x); return true;
    case ParseRule::delegate: assign_delegate(x); return true;
    case ParseRule::ip_prefixes: assign_ip_prefixes(x); return true;
    case ParseRule::ip_filter_path: {
      auto* list = &(s.*(d->list));
      if (a.value.empty()) {
        list->clear();
        return true;
      }
      auto v = x.expand(a.value, false);
      if (!v) return true;
      std::string p = *v;
      if (!valid_abs_path(p)) {
        x.warn("invalid path in " + a.key + "=, ignored");
        return true;
      }
      list->push_back(p);
      return true;
    }
    case ParseRule::path_list: {
      auto* list = &(s.*(d->list));
      if (a.value.empty()) {
        list->clear();
        return true;
      }
      std::vector<std::string> words;
      (void)split_words(a.value, true, words);
      for (auto& w : words)
        if (auto v = x.expand(w, false)) list->push_back(*v);
      return true;
    }
    case ParseRule::exec_command: assign_exec_command(x); return true;
    case ParseRule::load_credential:
    case ParseRule::load_credential_encrypted:
    case ParseRule::set_credential:
    case ParseRule::set_credential_encrypted: {
      bool set = d->rule == ParseRule::set_credential || d->rule == ParseRule::set_credential_encrypted;
      bool encrypted = d->rule == ParseRule::load_credential_encrypted || d->rule == ParseRule::set_credential_encrypted;
      auto& list = set ? s.set_credentials : s.load_credentials;
      if (a.value.empty()) {
        list.clear();
        return true;
      }
      auto colon = a.value.find(':');
      std::string id = a.value.substr(0, colon);
      bool ok = valid_credential_name(id);
      if (set) ok = ok && colon != std::string::npos;
      if (d->rule == ParseRule::set_credential_encrypted) ok = ok && valid_base64(a.value.substr(colon + 1));
      if (!ok) {
        x.warn("invalid credential in " + a.key + "=, ignored");
        return true;
      }
      list[id] = encrypted;  // the same ID given again replaces it, in either spelling
      return true;
    }
    case ParseRule::pid_file: {
      // A relative name is below /run; an invalid one is ignored (the unit still loads).
      auto v = x.expand(a.value, false);
      if (!v) return true;
      std::string p = v->empty() || (*v)[0] == '/' ? *v : "/run/" + *v;
      if (!p.empty() && !valid_abs_path(p)) {
        x.warn("invalid PIDFile= path, ignored");
        return true;
      }
      s.pid_file = p;
      return true;
    }
  }
  return true;
}

}  // namespace sdh::unit
