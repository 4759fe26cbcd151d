// SPDX-License-Identifier: GPL-2.0-or-later
#include "lint/elf.h"

#include <cstdint>

namespace sdh::lint {
namespace {

// e_machine values from the ELF specification.
constexpr uint16_t kEmX86 = 3;
constexpr uint16_t kEmMips = 8;
constexpr uint16_t kEmPpc = 20;
constexpr uint16_t kEmPpc64 = 21;
constexpr uint16_t kEmS390 = 22;
constexpr uint16_t kEmArm = 40;
constexpr uint16_t kEmX86_64 = 62;
constexpr uint16_t kEmAarch64 = 183;
constexpr uint16_t kEmRiscv = 243;
constexpr uint16_t kEmLoongarch = 258;

}  // namespace

std::optional<std::string> elf_architecture(const std::string& bytes) {
  if (bytes.size() < 20) return std::nullopt;
  if (bytes.compare(0, 4, "\x7f" "ELF") != 0) return std::nullopt;
  const int elf_class = static_cast<unsigned char>(bytes[4]);  // 1: 32-bit, 2: 64-bit
  const int data = static_cast<unsigned char>(bytes[5]);       // 1: little, 2: big endian
  if ((elf_class != 1 && elf_class != 2) || (data != 1 && data != 2)) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(bytes[18]);
  const auto b1 = static_cast<unsigned char>(bytes[19]);
  const uint16_t machine = data == 1 ? static_cast<uint16_t>(b0 | (b1 << 8))
                                     : static_cast<uint16_t>((b0 << 8) | b1);
  const bool is64 = elf_class == 2;
  const bool le = data == 1;
  switch (machine) {
    case kEmX86_64: return is64 ? "x86-64" : "x32";
    case kEmX86: return "x86";
    case kEmAarch64: return "arm64";
    case kEmArm: return le ? "arm" : "arm-be";
    case kEmPpc64: return le ? "ppc64-le" : "ppc64";
    case kEmPpc: return "ppc";
    case kEmS390: return is64 ? "s390x" : "s390";
    case kEmRiscv: return is64 ? "riscv64" : "riscv32";
    case kEmLoongarch: return is64 ? "loongarch64" : "loongarch32";
    case kEmMips:
      if (is64) return le ? "mips64-le" : "mips64";
      return le ? "mips-le" : "mips";
    default: return std::nullopt;
  }
}

std::string native_architecture() {
#if defined(__x86_64__) && defined(__ILP32__)
  return "x32";
#elif defined(__x86_64__)
  return "x86-64";
#elif defined(__i386__)
  return "x86";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64-le";
#elif defined(__powerpc64__)
  return "ppc64";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

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
