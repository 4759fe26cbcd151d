// SPDX-License-Identifier: GPL-2.0-or-later
// Reads below --root stay below it (absolute links, "..", links in the
// middle of a path), with openat2() and with the component walk older
// kernels get; FIFOs and devices are refused, never opened for reading.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "util/fs.h"
#include "util/json_reader.h"
#include "util/resolve_in_root.h"

namespace sdh {
namespace {

namespace fs = std::filesystem;

class InRoot : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sdh-inroot.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    top_ = tmpl;
    root_ = top_ + "/tree";
    host_ = top_ + "/host";
    fs::create_directories(root_ + "/etc/systemd/system");
    fs::create_directories(host_);
    write(host_ + "/secret.service", "HOST SECRET\n");
    write(root_ + "/etc/tree.service", "TREE\n");
    // An absolute link, a relative one climbing past the top, a link in the middle.
    fs::create_symlink(host_ + "/secret.service", root_ + "/etc/systemd/system/abs.service");
    fs::create_symlink("../../../../../../../../" + host_.substr(1) + "/secret.service",
                       root_ + "/etc/systemd/system/up.service");
    fs::create_symlink("/etc", root_ + "/etc/systemd/system/etc-link");
    fs::create_symlink(host_, root_ + "/hostdir");
    ASSERT_EQ(mkfifo((root_ + "/etc/systemd/system/fifo.service").c_str(), 0644), 0);
    write(root_ + "/tree.service", "TREE TOP\n");
  }
  void TearDown() override { fs::remove_all(top_); }
  static void write(const std::string& p, const std::string& text) { std::ofstream(p) << text; }
  RealFileSystem tree() const {
    RealFileSystem t(root_);
    if (!GetParam()) t.force_walk_for_tests();
    return t;
  }
  std::string top_, root_, host_;
};

TEST_P(InRoot, AbsoluteLinksAndDotDotResolveInsideTheTree) {
  auto t = tree();
  // The absolute link points at a host path: inside the tree it dangles.
  EXPECT_FALSE(t.read_file("/etc/systemd/system/abs.service").has_value());
  EXPECT_EQ(t.kind("/etc/systemd/system/abs.service"), FileKind::missing);
  EXPECT_EQ(t.lkind("/etc/systemd/system/abs.service"), FileKind::symlink);
  auto up = t.read_file("/etc/systemd/system/up.service");
  EXPECT_FALSE(up.has_value());
  // ".." in the path itself stops at the top too.
  auto dotdot = t.read_file("/../../tree.service");
  ASSERT_TRUE(dotdot.has_value());
  EXPECT_EQ(*dotdot, "TREE TOP\n");
  // A link in the middle of a path resolves in the tree.
  auto mid = t.read_file("/etc/systemd/system/etc-link/tree.service");
  ASSERT_TRUE(mid.has_value());
  EXPECT_EQ(*mid, "TREE\n");
  EXPECT_FALSE(t.list_dir("/hostdir").has_value());  // /tmp/... of the host is not in the tree
  auto link = t.read_link("/etc/systemd/system/abs.service");
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(*link, host_ + "/secret.service");
}

TEST_P(InRoot, FifosAreRefusedWithoutBlocking) {
  auto t = tree();
  auto r = t.read_file("/etc/systemd/system/fifo.service");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("FIFO"), std::string::npos) << r.error().to_string();
  EXPECT_EQ(t.kind("/etc/systemd/system/fifo.service"), FileKind::other);
}

INSTANTIATE_TEST_SUITE_P(Openat2AndWalk, InRoot, ::testing::Values(true, false));

TEST(RealFileSystemHost, RefusesDevicesAndFifosOnTheHostToo) {
  auto r = RealFileSystem().read_file("/dev/null");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("device"), std::string::npos);
}

TEST(JsonReader, NamesTheMemberOfAWrongType) {
  auto r = json_in::read(R"({"a": {"b": [1, -2]}})", "doc", [](json_in::Node& j) {
    std::vector<uint64_t> v;
    j.member("a").get("b", v);
    return v.size();
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "doc.a.b[1]: expected a non-negative integer, got -2");
  auto s = json_in::read(R"({"x": "str"})", "doc", [](json_in::Node& j) {
    size_t n = 0;
    j.each("x", [&](json_in::Node) { ++n; });
    return n;
  });
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(), "doc.x: expected an array, got string");
  auto top = json_in::read("[1]", "doc", [](json_in::Node&) { return 0; });
  ASSERT_FALSE(top.has_value());
}

}  // namespace
}  // namespace sdh
