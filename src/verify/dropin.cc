// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/dropin.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <fmt/core.h>

#include "util/strings.h"

namespace sdh::verify {

using sdh::trim;

Result<std::vector<Directive>> parse_dropin(const std::string& text) {
  std::vector<Directive> out;
  std::istringstream in(text);
  std::string raw;
  std::string section;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    int start_line = line_no;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    while (!line.empty() && line.back() == '\\') {
      line.pop_back();
      line = trim(line);
      std::string next;
      if (!std::getline(in, next)) break;
      ++line_no;
      std::string t = trim(next);
      if (!t.empty() && (t[0] == '#' || t[0] == ';')) continue;
      line += " " + t;
    }
    if (line.front() == '[') {
      if (line.back() != ']') return fail(fmt::format("line {}: malformed section header: {}", start_line, line));
      section = line.substr(1, line.size() - 2);
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos)
      return fail(fmt::format("line {}: not an assignment: {}", start_line, line));
    if (section.empty())
      return fail(fmt::format("line {}: assignment outside a section: {}", start_line, line));
    out.push_back({section, trim(line.substr(0, eq)), trim(line.substr(eq + 1)), start_line});
  }
  return out;
}

std::string render_dropin(const std::vector<Directive>& directives, const std::string& header) {
  std::vector<std::string> sections;
  for (const auto& d : directives)
    if (std::find(sections.begin(), sections.end(), d.section) == sections.end()) sections.push_back(d.section);
  std::string text = header;
  for (const auto& s : sections) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    if (&s != &sections.front() || !header.empty()) text += '\n';
    text += "[" + s + "]\n";
    for (const auto& d : directives)
      if (d.section == s) text += d.assignment() + "\n";
  }
  if (sections.empty()) text += "[Service]\n";  // an empty drop-in still parses
  return text;
}

std::vector<std::string> service_assignments(const std::vector<Directive>& directives) {
  std::vector<std::string> out;
  for (const auto& d : directives)
    if (d.section == "Service") out.push_back(d.assignment());
  return out;
}

bool parse_boolean(const std::string& value, bool* out) {
  std::string v;
  for (char c : value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "yes" || v == "true" || v == "1" || v == "on" || v == "y" || v == "t") { *out = true; return true; }
  if (v == "no" || v == "false" || v == "0" || v == "off" || v == "n" || v == "f") { *out = false; return true; }
  return false;
}

}  // namespace sdh::verify
