// SPDX-License-Identifier: GPL-2.0-or-later
// Which architecture an ELF image is built for, named as systemd's
// SystemCallArchitectures= names them: the one reader of ELF headers, for
// lint (a unit's executables), the profiler (each program it saw) and the
// synthesiser (SystemCallArchitectures=native).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sdh {

// "x86-64", "x86", "x32", "arm64", "arm", "ppc64-le", ... from the first 20
// bytes of an ELF image; nullopt when it is not one or the machine is unnamed.
std::optional<std::string> elf_architecture(std::string_view bytes);

// The architecture this program was compiled for, in the same spelling: what
// "native" means on this machine.
std::string native_architecture();

}  // namespace sdh
