// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/unit_name.h"

#include <array>
#include <cctype>

namespace sdh::unit {
namespace {

constexpr size_t kUnitNameMax = 256;

constexpr std::array<const char*, 11> kUnitTypes = {
    "service", "socket", "target", "device", "mount", "automount",
    "swap",    "timer",  "path",   "slice",  "scope"};

bool valid_chars(const std::string& s, bool allow_at) {
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\') continue;
    if (allow_at && c == '@') continue;
    return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_known_unit_type(const std::string& type) {
  for (const char* t : kUnitTypes)
    if (type == t) return true;
  return false;
}

std::string UnitName::full() const {
  if (!templated) return prefix + "." + type;
  return prefix + "@" + instance + "." + type;
}

std::string UnitName::template_name() const { return prefix + "@." + type; }

std::optional<UnitName> parse_unit_name(const std::string& name) {
  if (name.empty() || name.size() >= kUnitNameMax) return std::nullopt;
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  UnitName out;
  out.type = name.substr(dot + 1);
  if (!is_known_unit_type(out.type)) return std::nullopt;
  std::string stem = name.substr(0, dot);
  auto at = stem.find('@');
  if (at == std::string::npos) {
    if (!valid_chars(stem, false)) return std::nullopt;
    out.prefix = stem;
    return out;
  }
  if (at == 0) return std::nullopt;
  out.templated = true;
  out.prefix = stem.substr(0, at);
  out.instance = stem.substr(at + 1);
  if (!valid_chars(out.prefix, false) || !valid_chars(out.instance, true)) return std::nullopt;
  return out;
}

std::string unit_name_unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '-') {
      out += '/';
    } else if (c == '\\' && i + 3 < s.size() + 0 && s[i + 1] == 'x' && hex_value(s[i + 2]) >= 0 &&
               hex_value(s[i + 3]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 2]) * 16 + hex_value(s[i + 3]));
      i += 3;
    } else {
      out += c;
    }
  }
  return out;
}

std::string unit_name_to_path(const std::string& s) {
  std::string u = unit_name_unescape(s);
  if (u.empty() || u[0] != '/') u = "/" + u;
  return u;
}

}  // namespace sdh::unit
