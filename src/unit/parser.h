// SPDX-License-Identifier: GPL-2.0-or-later
// The unit-file lexer: lines, comments, continuations, sections, "Key=Value".
#pragma once

#include <string>
#include <vector>

#include "unit/loader.h"

namespace sdh::unit {

// systemd refuses lines (and joined continuations) longer than this.
constexpr size_t kLongLineMax = 1024 * 1024;

struct ParsedFile {
  std::vector<Assignment> assignments;
  // Set when systemd would refuse the whole file (line too long, invalid
  // UTF-8, bad section header); the assignments before it are kept.
  bool fatal = false;
};

// Parses one file's text. Diagnostics carry file:line.
ParsedFile parse_unit_file(const std::string& text, const std::string& file,
                           std::vector<Diagnostic>& diagnostics);

// Sections a unit of `type` accepts ("Unit", "Install" and the type's own).
bool section_known_for_type(const std::string& section, const std::string& type);

}  // namespace sdh::unit
