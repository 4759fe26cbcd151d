// SPDX-License-Identifier: GPL-2.0-or-later
#include "support/dropin_property.h"

#include <algorithm>
#include <set>

#include "synth/synth.h"
#include "unit/loader.h"
#include "unit/parser.h"
#include "unit/settings.h"
#include "unit/value_syntax.h"
#include "unit/value_writer.h"
#include "unit/versions.h"

namespace sdh::testing {
namespace {

constexpr const char* kUnit = "/etc/systemd/system/hd.service";

bool is_ancestor_or_self(const std::string& p, const std::string& of) {
  return p == of || (of.size() > p.size() && of.compare(0, p.size(), p) == 0 && of[p.size()] == '/') || p == "/";
}

// Every path string the profile holds (files, socket paths, programs).
std::set<std::string> profile_paths(const profile::Profile& p) {
  std::set<std::string> out;
  for (const auto& e : p.executables) {
    out.insert(e.path);
    for (const auto& f : e.files) out.insert(f.path);
    for (const auto& a : e.addresses) out.insert(a.address);
  }
  return out;
}

// Entries of a path-list value without their "-"/"+" prefixes; for binds
// the source only, and a colon outside quotes (a target the plan never
// writes) is reported.
std::string path_items(const std::string& key, const std::string& value, std::vector<std::string>& out) {
  if (key == "BindPaths" || key == "BindReadOnlyPaths") {
    char quote = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      char c = value[i];
      if (c == '\\') ++i;
      else if (quote && c == quote) quote = 0;
      else if (!quote && (c == '"' || c == '\'')) quote = c;
      else if (!quote && c == ':') return key + "= has a colon outside quotes: " + value;
    }
  }
  auto items = unit::read_list_items(value);
  if (!items) return key + "= does not split into words: " + value;
  for (const auto& i : *items) out.push_back(unit::strip_path_prefixes(i));
  return "";
}

std::string check_path(const std::string& key, const std::string& path, const std::set<std::string>& used) {
  if (path.find(kHostileMarker) == std::string::npos) return "";
  for (const auto& u : used)
    if (is_ancestor_or_self(path, u)) return "";
  return key + "= names \"" + unit::escape_for_display(path) + "\", which the daemon never used";
}

}  // namespace

std::vector<std::string> names_from_bytes(const std::string& bytes) {
  std::vector<std::string> out(1);
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) == 0xff) {
      if (out.size() == 8) break;
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

profile::Profile hostile_profile(const std::vector<std::string>& names) {
  profile::Profile p;
  p.architecture = "x86-64";
  p.runs = 1;
  p.events = 100;
  profile::ExecutableProfile d;
  d.path = "/usr/sbin/hd";
  d.elf_machine = "x86-64";
  d.processes = 1;
  d.syscalls[profile::Phase::startup] = {"openat", "read", "write", "socket", "bind", "execve", "close"};
  d.sockets.push_back({"AF_UNIX", "SOCK_STREAM", 0, 1});
  auto file = [&](const std::string& path, uint32_t access) {
    d.files.push_back({path, access, false, 0, 0, 0, 1});
  };
  for (const auto& raw : names) {
    std::string n = std::string(kHostileMarker) + raw;
    file("/srv/" + n + "/data", profile::kWrite | profile::kCreate);
    file("/var/lib/" + n + "/state", profile::kWrite | profile::kCreate);
    file("/var/" + n, profile::kCreate);
    file("/var/" + n + "/x", profile::kWrite | profile::kCreate);
    file("/home/" + n + "/cfg", profile::kRead);
    file("/etc/" + n, profile::kRead);
    file("/opt/" + n + "/lib.so", profile::kRead);
    d.files.push_back({"/dev/" + n, profile::kRead | profile::kWrite, true, 'c', 10, 200, 1});
    d.addresses.push_back({"bind", "AF_UNIX", "/run/" + n + ".sock", 0, 1});
    d.syscalls[profile::Phase::serving].insert(raw);  // not a system call: never granted
  }
  p.executables.push_back(d);
  profile::ExecutableProfile helper;
  helper.path = "/opt/" + std::string(kHostileMarker) + (names.empty() ? "" : names[0]) + "/run";
  helper.elf_machine = "x86-64";
  helper.processes = 1;
  helper.syscalls[profile::Phase::serving] = {"read", "write"};
  p.executables.push_back(helper);
  return p;
}

std::string check_dropin_property(const profile::Profile& profile, bool fast) {
  MemoryFileSystem fs;
  fs.add_dir("/etc/systemd/system");
  fs.add_file(kUnit, "[Unit]\nDescription=hostile\n[Service]\nExecStart=/usr/sbin/hd\n");
  unit::LoadOptions lo;
  lo.version = unit::known_release(257);
  auto unit = unit::load_unit(fs, "hd.service", lo);
  if (!unit) return "the test unit does not load: " + unit.error().to_string();
  synth::ProposeOptions o;
  o.version = lo.version;
  o.fs = &fs;
  o.load_options = lo;
  if (fast)
    o.scorer = [](const std::string& text) -> Result<synth::Score> {
      std::set<std::string> keys;
      for (size_t i = 0; i < text.size();) {
        size_t end = std::min(text.find('\n', i), text.size());
        size_t eq = text.find('=', i);
        if (eq < end && text[i] != '#' && text[i] != '[') keys.insert(text.substr(i, eq - i));
        i = end + 1;
      }
      synth::Score s;
      s.weights = 1000;
      s.sum = 1000 - std::min<uint64_t>(999, 10 * keys.size());
      s.tenths = static_cast<int>(s.sum / 10);
      return s;
    };
  auto plan = synth::propose(*unit, profile, o);
  if (!plan) {
    // The one refusal allowed is a profile with nothing to go on; a plan
    // that would not read back is the bug this property is about.
    if (plan.error().message().find("would not read back") != std::string::npos) return plan.error().to_string();
    return "";
  }
  const std::string text = synth::render_dropin(*plan);
  auto with = [&](const std::string& why) { return why + "\n--- drop-in:\n" + text; };
  for (char c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) return with("a control character in the drop-in");
  // Read back with the parser: exactly the planned lines (check_reads_back),
  // then what each value means.
  if (auto ok = synth::check_reads_back(*plan); !ok) return with(ok.error().to_string());
  std::vector<unit::Diagnostic> diagnostics;
  auto parsed = unit::parse_unit_file(text, "drop-in", diagnostics);
  const std::set<std::string> used = profile_paths(profile);
  static const std::set<std::string> kPathLists = {"ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
                                                   "ExecPaths",      "NoExecPaths",   "BindPaths",
                                                   "BindReadOnlyPaths", "TemporaryFileSystem", "DeviceAllow"};
  static const std::set<std::string> kManaged = {"RuntimeDirectory", "StateDirectory", "CacheDirectory",
                                                 "LogsDirectory"};
  for (const auto& a : parsed.assignments) {
    // sdharden writes no specifier: every "%" is doubled.
    for (size_t i = 0; i < a.value.size(); ++i)
      if (a.value[i] == '%' && (i + 1 >= a.value.size() || a.value[++i] != '%'))
        return with(a.key + "= holds a specifier systemd would expand: " + unit::escape_for_display(a.value));
    std::vector<std::string> paths;
    if (kPathLists.count(a.key)) {
      if (auto why = path_items(a.key, a.value, paths); !why.empty()) return with(why);
      if (a.key == "DeviceAllow" && paths.size() > 1) paths.resize(1);  // the access letters follow
    } else if (kManaged.count(a.key)) {
      std::string base = a.key == "StateDirectory" ? "/var/lib/" : a.key == "CacheDirectory" ? "/var/cache/"
                         : a.key == "LogsDirectory" ? "/var/log/" : "/run/";
      auto items = unit::read_list_items(a.value);
      if (!items) return with(a.key + "= does not split into words");
      for (const auto& i : *items) paths.push_back(base + i);
    } else if (a.key.rfind("Exec", 0) == 0 && a.key != "ExecPaths") {
      std::vector<std::string> argv;
      if (!unit::split_words(a.value, true, argv)) return with(a.key + "= does not split into words");
      for (auto& w : argv) {
        std::string out;
        for (size_t i = 0; i < w.size(); ++i) {
          out += w[i];
          if ((w[i] == '%' || w[i] == '$') && i + 1 < w.size() && w[i + 1] == w[i]) ++i;
        }
        if (!out.empty() && (out[0] == '+' || out[0] == '-' || out[0] == '!' || out[0] == '@' || out[0] == ':'))
          out = out.substr(out.find('/') == std::string::npos ? 0 : out.find('/'));
        if (out.find(kHostileMarker) != std::string::npos) paths.push_back(out);
      }
    } else if (a.value.find(kHostileMarker) != std::string::npos) {
      return with(a.key + "= carries a hostile name: " + unit::escape_for_display(a.value));
    }
    for (const auto& p : paths) {
      std::string canonical = p;
      if (p.find(kHostileMarker) != std::string::npos && (!unit::valid_abs_path(canonical) || canonical != p))
        return with(a.key + "= reads back a path that is not canonical: " + unit::escape_for_display(p));
      if (auto why = check_path(a.key, p, used); !why.empty()) return with(why);
    }
  }
  // The loader reads it as systemd would: no warning about the drop-in.
  unit::LoadOptions again = lo;
  again.extra_dropins.emplace_back("99-sdharden.conf", text);
  auto loaded = unit::load_unit(fs, "hd.service", again);
  if (!loaded) return with("the unit with the drop-in does not load: " + loaded.error().to_string());
  for (const auto& d : loaded->diagnostics)
    if (d.location.file == "99-sdharden.conf" && d.severity != unit::Severity::note)
      return with("the loader warns about the drop-in: line " + std::to_string(d.location.line) + ": " + d.message);
  return "";
}

}  // namespace sdh::testing
