// SPDX-License-Identifier: GPL-2.0-or-later
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "util/atomic_file.h"

namespace sdh {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(WriteFileAtomically, ReplacesContentAndLeavesNoTemporary) {
  char tmpl[] = "/tmp/sdh-atomic-test.XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/p.json";
  ASSERT_TRUE(write_file_atomically(path, "one\n"));
  ASSERT_TRUE(write_file_atomically(path, "two\n"));
  EXPECT_EQ(slurp(path), "two\n");
  EXPECT_FALSE(write_file_atomically(std::string(tmpl) + "/missing/p.json", "x"));
  EXPECT_FALSE(write_file_atomically(tmpl, "x"));  // a directory
  unlink(path.c_str());
  EXPECT_EQ(rmdir(tmpl), 0) << "a temporary file was left behind";
}

// Renaming over /dev/null would replace the device node with a regular file.
TEST(WriteFileAtomically, WritesThroughDeviceNodesInPlace) {
  ASSERT_TRUE(write_file_atomically("/dev/null", "discarded\n"));
  struct stat st {};
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

}  // namespace
}  // namespace sdh
