// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/specifiers.h"

#include "unit/unit_name.h"

namespace sdh::unit {
namespace {

std::string dir_of(const std::string& p) {
  auto pos = p.find_last_of('/');
  if (pos == std::string::npos) return ".";
  return pos == 0 ? "/" : p.substr(0, pos);
}

std::string first_line(const FileSystem* fs, const std::string& path, const std::string& fallback) {
  if (!fs) return fallback;
  auto t = fs->read_file(path);
  if (!t) return fallback;
  std::string v = t->substr(0, t->find('\n'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
  return v.empty() ? fallback : v;
}

}  // namespace

Result<std::string> expand_specifiers(const std::string& text, const SpecifierContext& ctx) {
  if (text.find('%') == std::string::npos) return text;
  auto name = parse_unit_name(ctx.unit_name);
  std::string prefix = name ? name->prefix : ctx.unit_name;
  std::string instance = name ? name->instance : "";
  std::string stem = ctx.unit_name.substr(0, ctx.unit_name.rfind('.'));
  bool user = ctx.user_manager;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) {  // a lone trailing '%' stays as written
      out += '%';
      break;
    }
    char c = text[++i];
    switch (c) {
      case '%': out += '%'; break;
      case 'n': out += ctx.unit_name; break;
      case 'N': out += stem; break;
      case 'p': out += prefix; break;
      case 'P': out += unit_name_unescape(prefix); break;
      case 'i': out += instance; break;
      case 'I': out += unit_name_unescape(instance); break;
      case 'j': {
        auto d = prefix.rfind('-');
        out += d == std::string::npos ? prefix : prefix.substr(d + 1);
        break;
      }
      case 'J': {
        auto d = prefix.rfind('-');
        out += unit_name_unescape(d == std::string::npos ? prefix : prefix.substr(d + 1));
        break;
      }
      case 'f': out += unit_name_to_path(instance.empty() ? prefix : instance); break;
      case 'y': out += ctx.fragment_path; break;
      case 'Y': out += dir_of(ctx.fragment_path); break;
      case 'C': out += user ? "~/.cache" : "/var/cache"; break;
      case 'E': out += user ? "~/.config" : "/etc"; break;
      case 'L': out += user ? "~/.local/state/log" : "/var/log"; break;
      case 'S': out += user ? "~/.local/state" : "/var/lib"; break;
      case 't': out += user ? "/run/user/0" : "/run"; break;
      case 'd': out += "/run/credentials/" + ctx.unit_name; break;
      case 'T': out += "/tmp"; break;
      case 'V': out += "/var/tmp"; break;
      case 'h': out += "/root"; break;
      case 's': out += "/bin/sh"; break;
      case 'u': case 'g': out += "root"; break;
      case 'U': case 'G': out += "0"; break;
      case 'H': case 'q': out += first_line(ctx.fs, "/etc/hostname", ctx.hostname); break;
      case 'l': {
        std::string h = first_line(ctx.fs, "/etc/hostname", ctx.hostname);
        out += h.substr(0, h.find('.'));
        break;
      }
      case 'm': out += first_line(ctx.fs, "/etc/machine-id", ctx.machine_id); break;
      case 'b': out += ctx.boot_id; break;
      case 'v': out += ctx.kernel_release; break;
      case 'a': out += ctx.architecture; break;
      case 'A': case 'B': case 'M': case 'o': case 'w': case 'W':
        break;  // os-release fields: empty when unknown, as in systemd
      default:
        return fail(std::string("unknown specifier %") + c);
    }
  }
  return out;
}

}  // namespace sdh::unit
