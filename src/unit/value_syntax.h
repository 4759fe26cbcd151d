// SPDX-License-Identifier: GPL-2.0-or-later
// The value syntax systemd's unit files share: words, user names, paths.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sdh::unit {

// Whitespace between words: space, tab, newline, carriage return.
bool is_ws(char c);

// Splits a value into words like systemd's extract_first_word(): whitespace
// separates, a backslash takes the next character literally and, with
// `unquote`, single or double quotes group. Returns nullopt on bad syntax
// (unterminated quote or trailing backslash); `words` then holds the words
// before the error, which systemd has already applied by then.
std::optional<std::vector<std::string>> split_words(const std::string& v, bool unquote,
                                                    std::vector<std::string>& words);

// A host name as systemd takes one (ProtectHostname=private:NAME): 1-64
// characters of letters, digits, '-' and '.', not starting or ending with
// '.', nor starting with '-'.
bool valid_host_name(std::string_view h);

// A user or group name systemd accepts in User=/Group= (or a numeric id).
bool valid_user_name(const std::string& u);

// Whether `p` is an absolute path systemd accepts; simplifies it in place
// (slashes collapsed, "." dropped; ".." is refused).
bool valid_abs_path(std::string& p);

}  // namespace sdh::unit
