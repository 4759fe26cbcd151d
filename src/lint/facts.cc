// SPDX-License-Identifier: GPL-2.0-or-later
#include "lint/facts.h"

#include <array>

#include "unit/value_syntax.h"

namespace sdh::lint {

std::vector<const unit::Assignment*> assignments_of(const unit::LoadedUnit& u, const std::string& key) {
  std::vector<const unit::Assignment*> out;
  for (const auto& a : u.assignments) {
    if (a.key == key && a.section != "Unit" && a.section != "Install") out.push_back(&a);
  }
  return out;
}

std::vector<const unit::Assignment*> effective_list(const unit::LoadedUnit& u, const std::string& key) {
  std::vector<const unit::Assignment*> out;
  for (const auto* a : assignments_of(u, key)) {
    if (a->value.empty()) {
      out.clear();
    } else {
      out.push_back(a);
    }
  }
  return out;
}

unit::Location where(const unit::LoadedUnit& u, const std::string& key) {
  for (const char* section : {"Service", "Socket", "Mount", "Swap", "Unit"}) {
    auto it = u.settings.origin.find(std::string(section) + "." + key);
    if (it != u.settings.origin.end()) return it->second;
  }
  auto all = assignments_of(u, key);
  if (!all.empty()) return all.back()->location;
  return unit::Location{u.fragment_path, 0, 0};
}

bool is_set(const unit::LoadedUnit& u, const std::string& key) { return !assignments_of(u, key).empty(); }

std::vector<std::string> tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::vector<ExecLine> exec_lines(const unit::LoadedUnit& u) {
  std::vector<ExecLine> out;
  for (const char* key : {"ExecCondition", "ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload",
                          "ExecStop", "ExecStopPost"}) {
    for (const auto* a : effective_list(u, key)) {
      ExecLine line;
      line.assignment = a;
      // As systemd splits it; after a quoting error, the words before it.
      (void)unit::split_words(a->value, true, line.argv);
      if (!line.argv.empty()) {
        // Prefixes: @ (argv0 given separately), - : + ! !! (privilege and failure handling).
        std::string& first = line.argv.front();
        bool argv0_given = false;
        std::size_t n = 0;
        while (n < first.size() && std::string_view("@-:+!|").find(first[n]) != std::string_view::npos) {
          if (first[n] == '@') argv0_given = true;
          ++n;
        }
        first.erase(0, n);
        if (first.empty()) line.argv.erase(line.argv.begin());
        // With @ the second word is argv[0] as the program sees it; drop it.
        if (argv0_given && line.argv.size() >= 2) line.argv.erase(line.argv.begin() + 1);
      }
      if (!line.argv.empty()) out.push_back(std::move(line));
    }
  }
  return out;
}




}  // namespace sdh::lint
