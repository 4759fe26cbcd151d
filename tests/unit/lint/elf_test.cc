// SPDX-License-Identifier: GPL-2.0-or-later
#include <string>

#include <gtest/gtest.h>

#include "lint/elf.h"

namespace sdh::lint {
namespace {

std::string header(unsigned char cls, unsigned char data, uint16_t machine) {
  std::string h(64, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = static_cast<char>(cls);
  h[5] = static_cast<char>(data);
  if (data == 1) {
    h[18] = static_cast<char>(machine & 0xff), h[19] = static_cast<char>(machine >> 8);
  } else {
    h[18] = static_cast<char>(machine >> 8), h[19] = static_cast<char>(machine & 0xff);
  }
  return h;
}

TEST(Elf, NamesArchitecturesLikeSystemd) {
  EXPECT_EQ(elf_architecture(header(2, 1, 62)), "x86-64");
  EXPECT_EQ(elf_architecture(header(1, 1, 62)), "x32");
  EXPECT_EQ(elf_architecture(header(1, 1, 3)), "x86");
  EXPECT_EQ(elf_architecture(header(2, 1, 183)), "arm64");
  EXPECT_EQ(elf_architecture(header(2, 1, 21)), "ppc64-le");
  EXPECT_EQ(elf_architecture(header(2, 2, 21)), "ppc64");
  EXPECT_EQ(elf_architecture(header(2, 2, 22)), "s390x");
  EXPECT_EQ(elf_architecture(header(2, 1, 243)), "riscv64");
}

TEST(Elf, RejectsNonElfAndTruncated) {
  EXPECT_FALSE(elf_architecture(""));
  EXPECT_FALSE(elf_architecture("#!/bin/sh\necho hi\n"));
  EXPECT_FALSE(elf_architecture(header(2, 1, 62).substr(0, 19)));
  EXPECT_FALSE(elf_architecture(header(3, 1, 62)));
  EXPECT_FALSE(elf_architecture(header(2, 1, 9999)));
}

TEST(Elf, FollowsScriptInterpreters) {
  MemoryFileSystem fs;
  fs.add_file("/usr/bin/python3", header(1, 1, 3));
  fs.add_file("/usr/bin/env", header(2, 1, 62));
  fs.add_file("/opt/app/run", "#!/usr/bin/env -S python3 -u\nprint(1)\n");
  fs.add_file("/opt/app/direct", "#!/usr/bin/python3\n");
  fs.add_file("/opt/app/loop", "#!/opt/app/loop\n");
  EXPECT_EQ(executable_architecture(fs, "/opt/app/run").value(), "x86");
  EXPECT_EQ(executable_architecture(fs, "/opt/app/direct").value(), "x86");
  EXPECT_EQ(executable_architecture(fs, "python3").value(), "x86");  // PATH lookup
  EXPECT_FALSE(executable_architecture(fs, "/opt/app/loop"));
  EXPECT_FALSE(executable_architecture(fs, "/missing"));
}

TEST(Elf, ThisMachinesShellIsNative) {
  RealFileSystem fs;
  auto arch = executable_architecture(fs, "/bin/sh");
  ASSERT_TRUE(arch) << arch.error().to_string();
  EXPECT_EQ(*arch, native_architecture());
}

}  // namespace
}  // namespace sdh::lint
