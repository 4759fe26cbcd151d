// SPDX-License-Identifier: GPL-2.0-or-later
// Reading just enough of an ELF header to know which architecture a binary
// was built for (SystemCallArchitectures= checks), through the FileSystem seam.
#pragma once

#include <optional>
#include <string>

#include "util/error.h"
#include "util/fs.h"

namespace sdh::lint {

// The architecture of an ELF image, named as SystemCallArchitectures= names
// it ("x86-64", "x86", "x32", "arm64", "arm", ...). nullopt when `bytes` is
// not an ELF image or the machine is one we do not name.
std::optional<std::string> elf_architecture(const std::string& bytes);

// The architecture this program was compiled for: what "native" means when
// the unit is checked on this machine.
std::string native_architecture();

// What a command really executes: follows "#!" interpreters (one level deep
// is what the kernel does for scripts; we allow a few) and returns the ELF
// architecture, or an error saying why it could not be determined.
Result<std::string> executable_architecture(const FileSystem& fs, const std::string& path);

// Resolves a command name the way systemd does for a non-absolute ExecStart=
// (a fixed search path); returns the path or nullopt.
std::optional<std::string> resolve_command(const FileSystem& fs, const std::string& command);

}  // namespace sdh::lint
