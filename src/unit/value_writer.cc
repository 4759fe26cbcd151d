// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/value_writer.h"

#include <algorithm>

#include "unit/value_syntax.h"

namespace sdh::unit {
namespace {

constexpr size_t kPathMax = 4095;  // PATH_MAX less the terminating NUL

// The length of the UTF-8 sequence at `s[i]`, 0 when it is not a valid one
// (overlong forms, surrogates and code points past U+10FFFF included).
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  if (c == 0xe0 && b(i + 1) < 0xa0) return 0;   // overlong
  if (c == 0xed && b(i + 1) >= 0xa0) return 0;  // surrogate
  if (c == 0xf0 && b(i + 1) < 0x90) return 0;   // overlong
  if (c == 0xf4 && b(i + 1) >= 0x90) return 0;  // past U+10FFFF
  return n;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// A UTF-8 sequence for a C1 control or a bidirectional embedding, override
// or isolate (U+202A-U+202E, U+2066-U+2069).
bool hidden_code_point(std::string_view seq) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(seq[k]); };
  if (seq.size() == 2) return b(0) == 0xc2 && b(1) >= 0x80 && b(1) <= 0x9f;
  if (seq.size() == 3 && b(0) == 0xe2 && b(1) == 0x80) return b(2) >= 0xaa && b(2) <= 0xae;
  if (seq.size() == 3 && b(0) == 0xe2 && b(1) == 0x81) return b(2) >= 0xa6 && b(2) <= 0xa9;
  return false;
}

// What every written value must be, whatever its kind.
Result<void> check_text(std::string_view v, std::string_view what) {
  if (has_control_character(v)) return fail(std::string(what) + " holds a control character");
  if (!valid_utf8(v)) return fail(std::string(what) + " is not valid UTF-8");
  return {};
}

// Characters a word can hold unquoted in every list syntax systemd has.
bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_./@+,=-%").find(c) != std::string_view::npos || static_cast<unsigned char>(c) >= 0x80;
}

std::string double_percent(std::string_view v) {
  std::string out;
  for (char c : v) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

// `v` as one word of a quoted list: as it is when every character is plain,
// else in double quotes with quote and backslash escaped (read back alike with
// and without C unescaping).
std::string quote_word(std::string_view v) {
  if (!v.empty() && std::all_of(v.begin(), v.end(), plain)) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// An absolute path in systemd's simplified form: no empty, "." or ".."
// component, no trailing slash (systemd would rewrite it, and ".." it refuses).
Result<void> check_absolute(std::string_view p) {
  if (p.empty() || p[0] != '/') return fail("\"" + std::string(p) + "\" is not an absolute path");
  if (p.size() > kPathMax) return fail("path longer than PATH_MAX");
  if (p.size() > 1 && p.back() == '/') return fail("path ends in a slash");
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = std::min(p.find('/', i), p.size());
    std::string_view part = p.substr(i, j - i);
    if (p.size() > 1 && (part.empty() || part == "." || part == ".."))
      return fail("path has an empty, \".\" or \"..\" component");
    i = j + 1;
  }
  return {};
}

}  // namespace

bool valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_sequence(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return is_control(static_cast<unsigned char>(c)); });
}

Result<std::string> write_path(std::string_view path) {
  if (auto ok = check_text(path, "path"); !ok) return fail(ok.error());
  if (auto ok = check_absolute(path); !ok) return fail(ok.error());
  // The lexer strips blanks around a value and joins a line ending in a backslash.
  if (path.back() == ' ' || path.back() == '\\') return fail("path ends in a blank or a backslash");
  return double_percent(path);
}

Result<std::string> write_path_item(std::string_view path, std::string_view prefixes) {
  if (auto ok = check_text(path, "path"); !ok) return fail(ok.error());
  if (auto ok = check_absolute(path); !ok) return fail(ok.error());
  // A colon is not plain: BindPaths= splits source from target at one.
  return double_percent(quote_word(std::string(prefixes) + std::string(path)));
}

Result<std::string> write_path_list(const std::vector<std::string>& paths, std::string_view prefixes) {
  std::string out;
  for (const auto& p : paths) {
    auto w = write_path_item(p, prefixes);
    if (!w) return fail(std::move(w.error()));
    if (!out.empty()) out += ' ';
    out += *w;
  }
  return out;
}

std::optional<std::vector<std::string>> read_list_items(std::string_view value) {
  std::vector<std::string> words;
  if (!split_words(std::string(value), true, words)) return std::nullopt;
  for (auto& w : words) {
    std::string out;
    for (size_t i = 0; i < w.size(); ++i) {
      out += w[i];
      if (w[i] == '%' && i + 1 < w.size() && w[i + 1] == '%') ++i;
    }
    w = std::move(out);
  }
  return words;
}

Result<std::string> write_command_line(const std::vector<std::string>& argv, std::string_view prefixes) {
  if (argv.empty()) return fail("empty command line");
  if (auto ok = check_absolute(argv[0]); !ok) return fail(std::move(ok.error()).with_context("program"));
  // systemd expands no variable in the program's path, so "$$" there would
  // stay "$$"; with ":" it expands none at all.
  if (argv[0].find('$') != std::string::npos) return fail("program path holds \"$\"");
  const bool expands_variables = prefixes.find(':') == std::string_view::npos;
  std::string out(prefixes);
  for (size_t i = 0; i < argv.size(); ++i) {
    if (auto ok = check_text(argv[i], "argument"); !ok) return fail(ok.error());
    std::string word = quote_word(argv[i]);
    if (argv[i] == ";") word = "\";\"";  // a bare ";" separates commands
    if (argv[i].empty()) word = "\"\"";
    std::string escaped;
    for (char c : word) {
      escaped += c;
      if (c == '%' || (c == '$' && expands_variables)) escaped += c;  // no specifier, no variable expansion
    }
    if (i) out += ' ';
    out += escaped;
  }
  return out;
}

Result<std::string> write_directory_name(std::string_view name) {
  if (auto ok = check_text(name, "directory name"); !ok) return fail(ok.error());
  if (name.empty() || name[0] == '/') return fail("directory name must be relative");
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = std::min(name.find('/', i), name.size());
    std::string_view part = name.substr(i, j - i);
    if (part.empty() || part == "." || part == "..")
      return fail("directory name has an empty, \".\" or \"..\" component");
    for (char c : part)
      if (!plain(c) || c == ',' || c == '=' || c == '%')
        return fail("directory name holds \"" + std::string(1, c) + "\", which it would need quoted");
    i = j + 1;
  }
  return std::string(name);
}

Result<std::string> write_account_name(std::string_view name) {
  if (auto ok = check_text(name, "account name"); !ok) return fail(ok.error());
  if (name.empty() || name.size() > 256) return fail("account name is empty or too long");
  if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::string(name);
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(name[0])) return fail("account name \"" + std::string(name) + "\" does not start with a letter or \"_\"");
  for (size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    bool ok = letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || (c == '$' && i + 1 == name.size());
    if (!ok) return fail("account name \"" + std::string(name) + "\" holds a character systemd refuses");
  }
  return std::string(name);
}

Result<std::string> write_word(std::string_view word, std::string_view what) {
  if (word.empty()) return fail("empty " + std::string(what));
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@' ||
              c == ':' || c == '-' || c == '.';
    if (!ok) return fail(std::string(what) + " name holds a character no such name has");
  }
  return std::string(word);
}

std::string write_comment_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_sequence(text, i);
    if (n == 0) {
      out += '?';
      ++i;
    } else if (n == 1 && is_control(static_cast<unsigned char>(text[i]))) {
      out += ' ';
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string escape_for_display(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = utf8_sequence(text, i);
    if (n > 1) {
      // C1 controls (U+0080-U+009F: CSI, OSC...) steer terminals too, and
      // bidirectional overrides make shown text read otherwise than it is.
      if (hidden_code_point(text.substr(i, n))) {
        for (size_t k = 0; k < n; ++k) {
          auto b = static_cast<unsigned char>(text[i + k]);
          out += "\\x";
          out += kHex[b >> 4];
          out += kHex[b & 15];
        }
      } else {
        out.append(text.substr(i, n));
      }
      i += n;
      continue;
    }
    ++i;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (n == 0 || is_control(c)) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string escape_lines_for_display(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = std::min(text.find('\n', i), text.size());
    out += escape_for_display(text.substr(i, j - i));
    if (j < text.size()) out += '\n';
    i = j + 1;
  }
  return out;
}

}  // namespace sdh::unit
