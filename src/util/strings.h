// SPDX-License-Identifier: GPL-2.0-or-later
// Small string helpers shared by the table loaders.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sdh {

// Every field between separators, empty ones included ("a,,b" -> a, "", b).
std::vector<std::string> split(std::string_view s, char sep);
// The lines of a text without their newlines; a final newline ends the
// last line and starts no empty one.
std::vector<std::string> lines_of(std::string_view text);
// The last `lines` lines of a text (the whole text when it has fewer).
std::string last_lines(const std::string& text, size_t lines);
// `s` without leading and trailing white space (blanks, tabs, CR, LF...).
std::string trim(std::string_view s);
// The words between runs of blanks (spaces, tabs, newlines), none empty.
std::vector<std::string> words(std::string_view s);
// The whole of `s` as an unsigned number in `base`; nothing when it is empty,
// has other characters or does not fit (unlike std::stoul, which throws on
// what untrusted text may hold).
template <typename T>
std::optional<T> to_number(std::string_view s, int base = 10) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// systemd's boolean words, any case: 1 yes y true t on / 0 no n false f off;
// nullopt for anything else.
std::optional<bool> parse_boolean(std::string_view s);

}  // namespace sdh
