// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/suggest.h"

#include <algorithm>
#include <string_view>

namespace sdh::cli {
namespace {

// Levenshtein distance. CLI11 has no suggestions and no Debian library in
// our dependencies offers this for a handful of short words: a dozen lines.
size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const auto& c : candidates) {
    size_t d = distance(word, c);
    if (d < best_distance && d * 2 < word.size()) best = c, best_distance = d;
  }
  return best;
}

std::vector<std::string> suggestions(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> commands;
  for (const auto* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  const CLI::App* chosen = nullptr;
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!chosen && !arg.empty() && arg[0] != '-') {
      for (const auto* sub : app.get_subcommands({}))
        if (sub->get_name() == arg) chosen = sub;
      if (!chosen) {
        if (auto n = nearest(arg, commands); !n.empty()) out.push_back("did you mean '" + n + "'?");
        return out;
      }
      continue;
    }
    if (!chosen || arg.rfind("--", 0) != 0 || arg.size() < 3) continue;
    std::string name = arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
    std::vector<std::string> names;
    for (const auto* opt : chosen->get_options())
      for (const auto& l : opt->get_lnames()) names.push_back(l);
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    if (auto n = nearest(name, names); !n.empty()) out.push_back("--" + name + ": did you mean --" + n + "?");
  }
  return out;
}

}  // namespace sdh::cli
