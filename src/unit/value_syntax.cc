// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/value_syntax.h"

#include <algorithm>
#include <cctype>

namespace sdh::unit {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::optional<std::vector<std::string>> split_words(const std::string& v, bool unquote,
                                                    std::vector<std::string>& words) {
  size_t i = 0;
  for (;;) {
    while (i < v.size() && is_ws(v[i])) ++i;
    if (i >= v.size()) return words;
    std::string w;
    char quote = 0;
    for (; i < v.size(); ++i) {
      char c = v[i];
      if (quote) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\') {
          if (++i >= v.size()) return std::nullopt;
          w += v[i];
        } else {
          w += c;
        }
        continue;
      }
      if (is_ws(c)) break;
      if (c == '\\') {
        if (++i >= v.size()) return std::nullopt;
        w += v[i];
      } else if (unquote && (c == '\'' || c == '"')) {
        quote = c;
      } else {
        w += c;
      }
    }
    if (quote) return std::nullopt;
    words.push_back(std::move(w));
  }
}

bool valid_host_name(std::string_view h) {
  if (h.empty() || h.size() > 64 || h.front() == '.' || h.back() == '.' || h.front() == '-') return false;
  for (char c : h)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return h.find("..") == std::string_view::npos;
}

bool valid_user_name(const std::string& u) {
  if (u.empty() || u == "." || u == "..") return false;
  if (std::all_of(u.begin(), u.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (u.size() > 10) return false;
    unsigned long long n = std::stoull(u);
    return n < 4294967295ULL && n != 65535ULL;
  }
  if (u[0] == '-') return false;
  for (unsigned char c : u)
    if (c < ' ' || c == 127 || c == ':' || c == '/') return false;
  return true;
}

bool valid_abs_path(std::string& p) {
  if (p.empty() || p[0] != '/') return false;
  std::string out;
  size_t i = 0;
  while (i < p.size()) {
    while (i < p.size() && p[i] == '/') ++i;
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string part = p.substr(i, j - i);
    i = j;
    if (part.empty() || part == ".") continue;
    if (part == "..") return false;
    out += "/" + part;
  }
  p = out.empty() ? "/" : out;
  return p.size() < 4096;
}

}  // namespace sdh::unit
