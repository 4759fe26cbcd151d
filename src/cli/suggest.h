// SPDX-License-Identifier: GPL-2.0-or-later
// "Did you mean": the option or command nearest to a mistyped one.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace sdh::cli {

// The candidate at the smallest edit distance from `word`, if that distance
// is at most 2 and below half the word's length; "" when none is that near.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

// For a command line CLI11 refused: "did you mean --format?" for each
// unknown --option of the chosen command (or unknown command name); empty
// when nothing is near.
std::vector<std::string> suggestions(const CLI::App& app, int argc, char** argv);

}  // namespace sdh::cli
