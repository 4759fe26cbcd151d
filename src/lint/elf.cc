// SPDX-License-Identifier: GPL-2.0-or-later
#include "lint/elf.h"

#include <cstdint>

#include "util/elf_arch.h"

namespace sdh::lint {
std::optional<std::string> resolve_command(const FileSystem& fs, const std::string& command) {
  if (command.empty()) return std::nullopt;
  if (command.front() == '/') {
    if (fs.kind(command) == FileKind::regular) return command;
    return std::nullopt;
  }
  if (command.find('/') != std::string::npos) return std::nullopt;
  // systemd's fixed search path for bare command names.
  for (const char* dir : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
    std::string candidate = std::string(dir) + "/" + command;
    if (fs.kind(candidate) == FileKind::regular) return candidate;
  }
  return std::nullopt;
}

Result<std::string> executable_architecture(const FileSystem& fs, const std::string& path) {
  std::string current = path;
  for (int depth = 0; depth < 4; ++depth) {
    auto resolved = resolve_command(fs, current);
    if (!resolved) return fail("cannot find executable '" + current + "'");
    auto bytes = fs.read_file(*resolved);
    if (!bytes) return fail(std::move(bytes.error()).with_context("reading " + *resolved));
    if (auto arch = elf_architecture(*bytes)) return *arch;
    if (bytes->compare(0, 2, "#!") != 0) return fail(*resolved + " is neither ELF nor a script");
    // "#!/usr/bin/env python3 -u": the interpreter, or env's argument.
    std::string line = bytes->substr(2, bytes->find('\n') == std::string::npos
                                            ? std::string::npos
                                            : bytes->find('\n') - 2);
    std::vector<std::string> words;
    std::string word;
    for (char c : line) {
      if (c == ' ' || c == '\t' || c == '\r') {
        if (!word.empty()) words.push_back(std::move(word)), word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) words.push_back(std::move(word));
    if (words.empty()) return fail(*resolved + " has an empty #! line");
    current = words[0];
    if (basename_of(current) == "env" && words.size() > 1) {
      std::size_t i = 1;
      while (i < words.size() && words[i].front() == '-') ++i;
      if (i < words.size()) current = words[i];
    }
  }
  return fail("too many nested #! interpreters starting at " + path);
}

}  // namespace sdh::lint
