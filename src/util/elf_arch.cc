// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/elf_arch.h"

#include <cstdint>

namespace sdh {

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

std::optional<std::string> elf_architecture(std::string_view bytes) {
  if (bytes.size() < 20) return std::nullopt;
  if (bytes.substr(0, 4) != std::string_view("\x7f" "ELF", 4)) return std::nullopt;
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

}  // namespace sdh
