// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/template_file.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace sdh::unit {
namespace {

// Debian's installation directories (GNU coding standards' names).
std::string directory_of(std::string name, const std::string& package) {
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* prefix : {"cmake_install_full_", "cmake_install_"})
    if (name.rfind(prefix, 0) == 0) name = name.substr(std::string(prefix).size());
  static const std::map<std::string, std::string> kDirs = {
      {"prefix", "/usr"},           {"exec_prefix", "/usr"},         {"bindir", "/usr/bin"},
      {"sbindir", "/usr/sbin"},     {"libexecdir", "/usr/libexec"},  {"libdir", "/usr/lib"},
      {"datadir", "/usr/share"},    {"datarootdir", "/usr/share"},   {"sysconfdir", "/etc"},
      {"localstatedir", "/var"},    {"sharedstatedir", "/var/lib"},  {"runstatedir", "/run"},
      {"rundir", "/run"},           {"includedir", "/usr/include"},  {"mandir", "/usr/share/man"},
      {"docdir", "/usr/share/doc"}, {"statedir", "/var/lib"},        {"logdir", "/var/log"}};
  if (auto it = kDirs.find(name); it != kDirs.end()) return it->second;
  if (package.empty()) return "";
  if (name == "pkglibexecdir") return "/usr/libexec/" + package;
  if (name == "pkglibdir") return "/usr/lib/" + package;
  if (name == "pkgdatadir") return "/usr/share/" + package;
  if (name == "pkgsysconfdir") return "/etc/" + package;
  return "";
}

bool placeholder_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

FilledTemplate fill_placeholders(const std::string& text, const std::string& package) {
  FilledTemplate out;
  auto note = [](std::vector<std::string>& list, const std::string& s) {
    if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t at = text.find('@', i);
    if (at == std::string::npos) break;
    size_t end = at + 1;
    while (end < text.size() && placeholder_char(text[end])) ++end;
    if (end == at + 1 || end >= text.size() || text[end] != '@') {
      out.text.append(text, i, at + 1 - i);  // a lone '@' (an instance name, an e-mail address)
      i = at + 1;
      continue;
    }
    std::string name = text.substr(at + 1, end - at - 1);
    std::string token = "@" + name + "@";
    out.text.append(text, i, at - i);
    if (std::string dir = directory_of(name, package); !dir.empty()) {
      out.text += dir;
      note(out.filled, token + "=" + dir);
    } else {
      out.text += token;
      note(out.left, token);
    }
    i = end + 1;
  }
  if (i < text.size()) out.text.append(text, i, std::string::npos);
  return out;
}

}  // namespace sdh::unit
