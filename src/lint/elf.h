// SPDX-License-Identifier: GPL-2.0-or-later
// Reading just enough of an ELF header to know which architecture a binary
// was built for (SystemCallArchitectures= checks), through the FileSystem seam.
#pragma once

#include <optional>
#include <string>

#include "util/elf_arch.h"
#include "util/error.h"
#include "util/fs.h"

namespace sdh::lint {

// elf_architecture() and native_architecture() are util/elf_arch.h's.
using sdh::elf_architecture;
using sdh::native_architecture;

// What a command really executes: follows "#!" interpreters (one level deep
// is what the kernel does for scripts; we allow a few) and returns the ELF
// architecture, or an error saying why it could not be determined.
Result<std::string> executable_architecture(const FileSystem& fs, const std::string& path);

// Resolves a command name the way systemd does for a non-absolute ExecStart=
// (a fixed search path); returns the path or nullopt.
std::optional<std::string> resolve_command(const FileSystem& fs, const std::string& command);

}  // namespace sdh::lint
