// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/parser.h"

#include "unit/directives.h"

#include <cstring>
#include <string_view>

namespace sdh::unit {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Views, not copies: a unit file's lines are only copied into the
// assignments they produce.
std::string_view strip(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_ws(s[b])) ++b;
  while (e > b && is_ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char c = p[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values beyond Unicode are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// Section names may not contain control characters, quotes or backslashes.
bool safe_section_name(std::string_view s) {
  for (unsigned char c : s)
    if (c < ' ' || c == 127 || c == '\\' || c == '"' || c == '\'') return false;
  return true;
}

bool is_known_section(std::string_view s) {
  static const char* const kSections[] = {"Unit",  "Install", "Service", "Socket",    "Mount",
                                          "Swap",  "Timer",   "Path",    "Slice",     "Scope",
                                          "Automount"};
  for (const char* k : kSections)
    if (s == k) return true;
  return false;
}

struct Lexer {
  const std::string& file;
  std::vector<Diagnostic>& diags;
  ParsedFile out;
  std::string section;
  bool section_ignored = false;

  // Everything the lexer reports is about the file's form, but for an
  // unknown section.
  void warn(int line, std::string msg, std::string_view src, Severity sev = Severity::warning,
            DiagnosticKind kind = DiagnosticKind::syntax) {
    Diagnostic d;
    d.severity = sev;
    d.kind = kind;
    d.location = {file, line, 0};
    d.message = std::move(msg);
    d.source_line = src.size() > 200 ? std::string(src.substr(0, 200)) + "..." : std::string(src);
    diags.push_back(std::move(d));
  }

  // Returns false when the file must be refused.
  bool parse_line(std::string_view raw, int line) {
    std::string_view l = strip(raw);
    if (l.empty()) return true;
    if (!valid_utf8(l)) {
      warn(line, "line is not valid UTF-8; systemd refuses the whole file", "", Severity::error);
      return false;
    }
    if (l[0] == '[') {
      if (l.back() != ']') {
        warn(line, "invalid section header; systemd refuses the whole file", l, Severity::error);
        return false;
      }
      std::string_view name = l.substr(1, l.size() - 2);
      if (!safe_section_name(name)) {
        warn(line, "bad characters in section header; systemd refuses the whole file", l,
             Severity::error);
        return false;
      }
      if (!is_known_section(name)) {
        if (!name.starts_with("X-"))
          warn(line, "unknown section [" + std::string(name) + "], ignored", l, Severity::warning,
               DiagnosticKind::unknown_directive);
        section.clear();
        section_ignored = true;
      } else {
        section = name;
        section_ignored = false;
      }
      return true;
    }
    if (section.empty()) {
      if (!section_ignored) warn(line, "assignment outside of any section, ignored", l);
      return true;
    }
    auto eq = l.find('=');
    if (eq == std::string_view::npos) {
      warn(line, "missing '=', line ignored", l);
      return true;
    }
    if (eq == 0) {
      warn(line, "missing key name before '=', line ignored", l);
      return true;
    }
    Assignment a;
    a.section = section;
    a.key = strip(l.substr(0, eq));
    a.value = strip(l.substr(eq + 1));
    a.location = {file, line, 0};
    out.assignments.push_back(std::move(a));
    return true;
  }
};

}  // namespace

bool section_known_for_type(const std::string& section, const std::string& type) {
  if (section == "Unit" || section == "Install") return true;
  if (type.empty()) return false;
  return section == own_section(type);
}

ParsedFile parse_unit_file(const std::string& text, const std::string& file,
                           std::vector<Diagnostic>& diagnostics) {
  Lexer lx{file, diagnostics, {}, {}, false};
  std::string continuation;
  bool in_continuation = false;
  int line = 0;
  size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    // Lines end at "\n", "\r", "\r\n" or a NUL byte, like systemd's read_line().
    size_t end = pos;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r' && text[end] != '\0') ++end;
    size_t next = end;
    if (next < text.size()) {
      if (text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n')
        next += 2;
      else
        next += 1;
    }
    ++line;
    if (end - pos > kLongLineMax) {
      lx.warn(line, "line too long (over 1 MiB); systemd refuses the whole file", "",
              Severity::error);
      lx.out.fatal = true;
      return std::move(lx.out);
    }
    std::string_view buf = std::string_view(text).substr(pos, end - pos);
    pos = next;

    size_t lead = 0;
    while (lead < buf.size() && is_ws(buf[lead])) ++lead;
    // Whole-line comments, also between continuation lines.
    if (lead < buf.size() && (buf[lead] == '#' || buf[lead] == ';')) continue;

    std::string_view l = buf;
    if (first) {
      first = false;
      if (l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);
    }
    if (in_continuation) {
      if (continuation.size() + l.size() > kLongLineMax) {
        lx.warn(line, "continuation line too long (over 1 MiB); systemd refuses the whole file", "",
                Severity::error);
        lx.out.fatal = true;
        return std::move(lx.out);
      }
      continuation.append(l);
    } else {
      continuation.assign(l);
    }
    // A line ending in an unescaped backslash continues on the next line.
    // Only the newly added text can end in a backslash: a continued line's
    // trailing backslash has already been replaced by a space.
    bool escaped = false;
    for (char c : l) escaped = escaped ? false : c == '\\';
    if (escaped) {
      continuation.back() = ' ';
      in_continuation = true;
      continue;
    }
    in_continuation = false;
    if (!lx.parse_line(continuation, line)) {
      lx.out.fatal = true;
      return std::move(lx.out);
    }
  }
  if (in_continuation) {
    lx.warn(line, "file ends inside a line continuation", "", Severity::note);
    if (!lx.parse_line(continuation, line)) lx.out.fatal = true;
  }
  return std::move(lx.out);
}

std::vector<Assignment> parse_unit_text(const std::string& text, const std::string& file,
                                        std::vector<Diagnostic>& diagnostics) {
  return parse_unit_file(text, file, diagnostics).assignments;
}

}  // namespace sdh::unit
