// SPDX-License-Identifier: GPL-2.0-or-later
// Plain-text tables for terminals: columns padded to their widest cell.
#pragma once

#include <string>
#include <vector>

namespace sdh::report {

enum class Align { left, right };

class TextTable {
 public:
  struct Column {
    std::string header;
    Align align = Align::left;
    std::size_t max_width = 60;  // longer cells are cut with "…"
  };
  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<std::string> cells);
  std::string render() const;  // header, a rule, rows; each line ends with '\n'

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text (code points; good enough for our output).
std::size_t display_width(const std::string& s);

}  // namespace sdh::report
