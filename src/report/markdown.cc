#include "report/markdown.h"

#include <algorithm>
#include <string_view>

namespace sdh::report {

std::string md_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (std::string_view("\\`*_{}[]<>()#+-.!|~").find(c) != std::string_view::npos) out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string md_code(const std::string& text) {
  // Use a fence longer than any backtick run inside.
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string body = text;
  std::replace(body.begin(), body.end(), '\n', ' ');
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

namespace {
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

std::string md_table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (const auto& h : headers) out += " " + cell(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < headers.size(); ++i) out += " --- |";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (std::size_t i = 0; i < headers.size(); ++i) out += " " + (i < row.size() ? cell(row[i]) : "") + " |";
    out += "\n";
  }
  return out;
}

std::string md_heading(int level, const std::string& text) {
  return std::string(static_cast<std::size_t>(std::clamp(level, 1, 6)), '#') + " " + text + "\n";
}

std::string md_bullets(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "- " + i + "\n";
  return out;
}

}  // namespace sdh::report
