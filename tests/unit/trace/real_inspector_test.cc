// SPDX-License-Identifier: GPL-2.0-or-later
// Where a path leads: only through links root owns. One another account
// planted (in /tmp, say) could name any file, and the profile would grant it.
#include "trace/real_inspector.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using sdh::trace::RealInspector;

TEST(RealInspector, FollowsOnlyTheLinksRootOwns) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sdh-resolve-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "real" / "private");
  std::ofstream(dir / "real" / "private" / "key") << "k";
  fs::create_directories(dir / "daemon");
  fs::create_symlink(dir / "real" / "private", dir / "daemon" / "private");  // absolute
  fs::create_symlink("../real", dir / "daemon" / "up");  // relative, through ".."
  RealInspector inspector;
  const std::string real_key = (dir / "real" / "private" / "key").string();
  const std::string via_link = (dir / "daemon" / "private" / "key").string();
  const bool root = geteuid() == 0;
  if (root) {
    EXPECT_EQ(inspector.resolve(via_link), real_key);
    EXPECT_EQ(inspector.resolve((dir / "daemon" / "up" / "private" / "key").string()), real_key);
  }
  EXPECT_EQ(inspector.resolve(real_key), "") << "no link: the path itself";
  EXPECT_EQ(inspector.resolve((dir / "daemon" / "missing").string()), "");
  EXPECT_EQ(inspector.resolve("/proc/self/exe"), "") << "a magic link names sdharden's own files";
  if (root) {
    // The same link, owned by another account: not followed.
    ASSERT_EQ(lchown((dir / "daemon" / "private").c_str(), 65534, 65534), 0);
    EXPECT_EQ(inspector.resolve(via_link), "");
  } else {
    // As a user every link is someone else's than root's.
    EXPECT_EQ(inspector.resolve(via_link), "");
  }
  fs::remove_all(dir);
}
