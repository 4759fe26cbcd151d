// SPDX-License-Identifier: GPL-2.0-or-later
// Small string helpers shared by the table loaders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sdh {

// Every field between separators, empty ones included ("a,,b" -> a, "", b).
std::vector<std::string> split(std::string_view s, char sep);
// `s` without leading and trailing white space (blanks, tabs, CR, LF...).
std::string trim(std::string_view s);
// The words between runs of blanks (spaces, tabs, newlines), none empty.
std::vector<std::string> words(std::string_view s);

}  // namespace sdh
