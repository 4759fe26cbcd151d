// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/exec_line.h"

#include <cstring>

#include "unit/value_syntax.h"

namespace sdh::unit {

size_t exec_prefix_length(const std::string& v) {
  size_t i = 0;
  while (i < v.size() && std::strchr("-@:+!|", v[i])) ++i;
  return i;
}

std::set<std::string> exec_prefix_flags(const std::string& exec_value) {
  const std::string prefix = exec_value.substr(0, exec_prefix_length(exec_value));
  std::set<std::string> flags;
  if (prefix.find('-') != std::string::npos) flags.insert("ignore-failure");
  if (prefix.find(':') != std::string::npos) flags.insert("no-env-expand");
  if (prefix.find('+') != std::string::npos) flags.insert("privileged");
  if (prefix.find('|') != std::string::npos) flags.insert("via-shell");
  if (prefix.find("!!") != std::string::npos) flags.insert("ambient");
  else if (prefix.find('!') != std::string::npos) flags.insert("no-setuid");
  return flags;
}

std::optional<std::string> unsandboxed_program(const std::string& exec_value) {
  size_t i = exec_prefix_length(exec_value);
  if (exec_value.substr(0, i).find('+') == std::string::npos) return std::nullopt;
  std::vector<std::string> words;
  (void)split_words(exec_value.substr(i), true, words);
  if (words.empty()) return std::nullopt;
  return words[0];
}

std::optional<std::string> exec_program(const std::string& exec_value) {
  std::vector<std::string> words;
  (void)split_words(exec_value.substr(exec_prefix_length(exec_value)), true, words);
  if (words.empty()) return std::nullopt;
  return words[0];
}

std::string privileged_exec_line(const std::string& exec_value) {
  size_t n = exec_prefix_length(exec_value);
  std::string prefix = exec_value.substr(0, n);
  if (prefix.find('+') != std::string::npos) return exec_value;
  // "!" and "!!" give the identity only, inside the sandbox: "+" replaces them.
  std::erase(prefix, '!');
  return "+" + prefix + exec_value.substr(n);
}

std::string credentials_kept_exec_line(const std::string& exec_value) {
  size_t n = exec_prefix_length(exec_value);
  std::string prefix = exec_value.substr(0, n);
  if (prefix.find_first_of("+!") != std::string::npos) return exec_value;
  return "!" + exec_value;
}

std::vector<std::string> sandboxed_programs(const std::map<std::string, std::vector<std::string>>& exec_lines) {
  std::vector<std::string> out;
  for (const auto& [key, lines] : exec_lines)
    for (const auto& line : lines)
      if (!unsandboxed_program(line))
        if (auto p = exec_program(line)) out.push_back(*p);
  return out;
}

}  // namespace sdh::unit
