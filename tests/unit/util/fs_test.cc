// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "util/error.h"
#include "util/fs.h"

namespace sdh {

TEST(NormalizePath, CollapsesDotsAndSlashes) {
  EXPECT_EQ(normalize_path("//a/./b/../c/"), "/a/c");
  EXPECT_EQ(normalize_path("/.."), "/");
}

TEST(MemoryFileSystem, FollowsSymlinksAndDetectsLoops) {
  MemoryFileSystem fs;
  fs.add_file("/etc/x.service", "[Service]\n");
  fs.add_symlink("/lib/y.service", "/etc/x.service");
  fs.add_symlink("/l1", "/l2");
  fs.add_symlink("/l2", "/l1");
  EXPECT_EQ(fs.kind("/lib/y.service"), FileKind::regular);
  EXPECT_EQ(fs.lkind("/lib/y.service"), FileKind::symlink);
  ASSERT_TRUE(fs.read_file("/lib/y.service").has_value());
  auto loop = fs.read_file("/l1");
  ASSERT_FALSE(loop.has_value());
  EXPECT_EQ(loop.error().errno_value(), ELOOP);
  auto entries = fs.list_dir("/lib");
  ASSERT_TRUE(entries.has_value());
  EXPECT_EQ(entries->size(), 1u);
}

TEST(Error, ChainsContextOutermostFirst) {
  Error e("line 4: bad value", ENOENT);
  e.with_context("reading drop-in /etc/x.d/10.conf");
  e.with_context("loading x.service");
  EXPECT_EQ(e.to_string(),
            "loading x.service: reading drop-in /etc/x.d/10.conf: line 4: bad value: No such file or directory");
}

}  // namespace sdh
