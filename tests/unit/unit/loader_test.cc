// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "unit/exec_line.h"
#include "unit/cached_fs.h"
#include "unit/loader.h"
#include "unit/syscalls.h"

namespace sdh::unit {
namespace {

const std::string kLib = "/usr/lib/systemd/system";
const std::string kEtc = "/etc/systemd/system";

TEST(Loader, DropinOrderAndOverride) {
  MemoryFileSystem fs;
  fs.add_file(kLib + "/foo-bar@.service", "[Service]\nExecStart=/bin/true\nUser=%i\n");
  fs.add_file(kLib + "/foo-bar@x.service.d/20-a.conf", "[Service]\nProtectSystem=full\n");
  fs.add_file(kLib + "/foo-bar@.service.d/10-a.conf", "[Service]\nProtectSystem=yes\nPrivateTmp=yes\n");
  fs.add_file(kLib + "/foo-.service.d/30-a.conf", "[Service]\nProtectHome=yes\n");
  fs.add_file(kLib + "/service.d/20-a.conf", "[Service]\nProtectSystem=no\n");  // same name: lower priority
  fs.add_file(kEtc + "/foo-bar@x.service.d/20-a.conf", "[Service]\nProtectSystem=strict\n");
  auto lu = load_unit(fs, "foo-bar@x.service");
  ASSERT_TRUE(lu.has_value()) << lu.error().to_string();
  const auto& s = lu->settings;
  EXPECT_EQ(s.user, "x");
  EXPECT_EQ(s.protect_system, ProtectSystem::strict);  // /etc's 20-a.conf wins, applied after 10-a
  EXPECT_TRUE(s.private_tmp);
  EXPECT_EQ(s.protect_home, ProtectHome::yes);
  ASSERT_EQ(lu->dropin_paths.size(), 3u);
  EXPECT_EQ(lu->dropin_paths[1], kEtc + "/foo-bar@x.service.d/20-a.conf");
}

TEST(Loader, MaskedMissingAndLoops) {
  MemoryFileSystem fs;
  fs.add_symlink(kEtc + "/m.service", "/dev/null");
  fs.add_symlink(kEtc + "/loop.service", kEtc + "/loop2.service");
  fs.add_symlink(kEtc + "/loop2.service", kEtc + "/loop.service");
  auto m = load_unit(fs, "m.service");
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->masked);
  EXPECT_FALSE(load_unit(fs, "nope.service").has_value());
  EXPECT_FALSE(load_unit(fs, "loop.service").has_value());
}

// A name without a unit type is a service, as systemctl reads it; a name
// with one is taken as it is, and a path is never completed.
TEST(Loader, ANameWithoutATypeIsAService) {
  MemoryFileSystem fs;
  fs.add_file(kLib + "/nginx.service", "[Service]\nExecStart=/usr/sbin/nginx\n");
  fs.add_file(kLib + "/web@.service", "[Service]\nExecStart=/bin/true\n");
  auto n = load_unit(fs, "nginx");
  ASSERT_TRUE(n.has_value()) << n.error().to_string();
  EXPECT_EQ(n->name, "nginx.service");
  auto w = load_unit(fs, "web@a");
  ASSERT_TRUE(w.has_value()) << w.error().to_string();
  EXPECT_EQ(w->name, "web@a.service");
  EXPECT_FALSE(load_unit(fs, "nginx.socket").has_value());   // a type of its own, not there
  EXPECT_FALSE(load_unit(fs, "./nginx").has_value());        // a path
}

TEST(Loader, ListsAccumulateAndReset) {
  MemoryFileSystem fs;
  fs.add_file(kEtc + "/a.service",
              "[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n"
              "CapabilityBoundingSet=~CAP_NET_ADMIN\nSystemCallFilter=~@mount\nSystemCallFilter=mount\n"
              "RestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=~AF_UNIX AF_INET\n"
              "AmbientCapabilities=CAP_KILL\nAmbientCapabilities=\n");
  auto lu = load_unit(fs, "a.service");
  ASSERT_TRUE(lu.has_value());
  const auto& s = lu->settings;
  EXPECT_EQ(s.capability_bounding_set & (1ull << 21), 0u);
  EXPECT_EQ(s.capability_bounding_set & (1ull << 12), 0u);
  EXPECT_NE(s.capability_bounding_set & (1ull << 0), 0u);
  EXPECT_FALSE(s.system_call_filter.allow_list);
  EXPECT_EQ(s.system_call_filter.names.count("mount"), 0u);
  EXPECT_EQ(s.system_call_filter.names.count("umount2"), 1u);
  EXPECT_TRUE(s.restrict_address_families.allow_list);  // decided by the first line
  EXPECT_TRUE(s.restrict_address_families.names.empty());
  EXPECT_EQ(s.ambient_capabilities, 0u);
}

TEST(Loader, ImpliedSettings) {
  MemoryFileSystem fs;
  fs.add_file(kEtc + "/web.service",
              "[Service]\nExecStart=/bin/true\nDynamicUser=yes\nPrivateDevices=yes\nProtectClock=yes\n");
  auto lu = load_unit(fs, "web.service");
  ASSERT_TRUE(lu.has_value());
  const auto& s = lu->settings;
  EXPECT_EQ(s.user, "web");
  EXPECT_EQ(s.protect_system, ProtectSystem::strict);
  EXPECT_EQ(s.protect_home, ProtectHome::read_only);
  EXPECT_TRUE(s.no_new_privileges && s.private_tmp && s.remove_ipc && s.restrict_suid_sgid);
  EXPECT_EQ(s.device_policy, DevicePolicy::closed);
  ASSERT_EQ(s.device_allow.size(), 1u);
  EXPECT_EQ(s.device_allow[0].path, "char-rtc");
  EXPECT_EQ(s.capability_bounding_set & (1ull << 25), 0u);  // CAP_SYS_TIME
}

TEST(Loader, ExtraDropinsAndFatalFragment) {
  MemoryFileSystem fs;
  fs.add_file(kEtc + "/a.service", "[Service]\nExecStart=/bin/true\n");
  fs.add_file(kEtc + "/bad.service", "[Service]\nDynamicUser=maybe\n");
  LoadOptions o;
  o.extra_dropins = {{"what-if.conf", "[Service]\nPrivateNetwork=yes\n"}};
  auto lu = load_unit(fs, "a.service", o);
  ASSERT_TRUE(lu.has_value());
  EXPECT_TRUE(lu->settings.private_network);
  EXPECT_FALSE(load_unit(fs, "bad.service").has_value());
}

TEST(ExecLines, ProgramAndPrivilegedLine) {
  EXPECT_EQ(exec_program("-!/etc/mysql/debian-start"), "/etc/mysql/debian-start");
  EXPECT_EQ(exec_program("\"/usr/lib/a b\" x"), "/usr/lib/a b");
  EXPECT_EQ(exec_program(""), std::nullopt);
  EXPECT_EQ(privileged_exec_line("-/usr/lib/php/helper install"), "+-/usr/lib/php/helper install");
  EXPECT_EQ(privileged_exec_line("!/etc/mysql/debian-start"), "+/etc/mysql/debian-start");
  EXPECT_EQ(privileged_exec_line("-!!/bin/x"), "+-/bin/x");
  EXPECT_EQ(privileged_exec_line("+/bin/kill -HUP $MAINPID"), "+/bin/kill -HUP $MAINPID");
}

TEST(ExecLines, UnsandboxedProgramIsTheFirstWordOfAPlusLine) {
  EXPECT_EQ(unsandboxed_program("+/bin/kill -HUP $MAINPID"), "/bin/kill");
  EXPECT_EQ(unsandboxed_program("-+\"/usr/lib/a b\" x"), "/usr/lib/a b");  // prefixes combine, quotes hold
  EXPECT_EQ(unsandboxed_program("/bin/true"), std::nullopt);
  EXPECT_EQ(unsandboxed_program("!/usr/sbin/d"), std::nullopt);  // "!" only skips User=/Group=
  EXPECT_EQ(unsandboxed_program("+"), std::nullopt);
}

TEST(SyscallTables, GroupsPerVersion) {
  ASSERT_NE(syscall_group(known_release(252), "@swap"), nullptr);
  EXPECT_EQ(syscall_group(known_release(252), "@sandbox"), nullptr);
  EXPECT_NE(syscall_group(newest_release(), "@sandbox"), nullptr);
  EXPECT_TRUE(is_native_syscall("openat"));
  EXPECT_FALSE(is_native_syscall("_llseek"));
}

}  // namespace
}  // namespace sdh::unit

namespace sdh::unit {
namespace {

TEST(Loader, AliasesAndListing) {
  MemoryFileSystem fs;
  fs.add_file(kLib + "/real.service", "[Service]\nExecStart=/bin/true\n");
  fs.add_symlink(kLib + "/alias.service", "real.service");
  fs.add_file(kLib + "/alias.service.d/a.conf", "[Service]\nPrivateTmp=yes\n");
  fs.add_file(kLib + "/getty@.service", "[Service]\nExecStart=/bin/true\n");
  fs.add_symlink(kEtc + "/getty.target.wants/getty@tty1.service", kLib + "/getty@.service");
  fs.add_symlink(kEtc + "/masked.service", "/dev/null");
  auto lu = load_unit(fs, "real.service");
  ASSERT_TRUE(lu.has_value());
  EXPECT_TRUE(lu->settings.private_tmp);  // the alias's drop-in applies
  auto al = load_unit(fs, "alias.service");
  ASSERT_TRUE(al.has_value());
  EXPECT_EQ(al->name, "real.service");
  auto names = list_units(fs, "service");
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(*names, (std::vector<std::string>{"getty@tty1.service", "masked.service", "real.service"}));
}

}  // namespace
}  // namespace sdh::unit

namespace sdh::unit {
namespace {

// A tree whose one folder cannot be listed (like an unreadable directory).
class UnlistableFs final : public FileSystem {
 public:
  UnlistableFs(const MemoryFileSystem& inner, std::string bad) : inner_(inner), bad_(std::move(bad)) {}
  Result<std::string> read_file(const std::string& p) const override { return inner_.read_file(p); }
  FileKind kind(const std::string& p) const override { return inner_.kind(p); }
  FileKind lkind(const std::string& p) const override { return inner_.lkind(p); }
  Result<std::vector<std::string>> list_dir(const std::string& p) const override {
    if (p == bad_) return fail("cannot open " + p, 13);
    return inner_.list_dir(p);
  }
  Result<std::string> read_link(const std::string& p) const override { return inner_.read_link(p); }

 private:
  const MemoryFileSystem& inner_;
  std::string bad_;
};

TEST(Loader, UnreadableDropinFolderIsAnErrorWithItsPath) {
  MemoryFileSystem mem;
  mem.add_file(kEtc + "/a.service", "[Service]\nExecStart=/bin/true\n");
  mem.add_file(kEtc + "/a.service.d/x.conf", "[Service]\nPrivateTmp=yes\n");
  UnlistableFs fs(mem, kEtc + "/a.service.d");
  auto lu = load_unit(fs, "a.service");
  ASSERT_FALSE(lu.has_value());
  EXPECT_NE(lu.error().to_string().find(kEtc + "/a.service.d"), std::string::npos) << lu.error().to_string();
}

}  // namespace
}  // namespace sdh::unit

namespace sdh::unit {
namespace {

// The cache answers "absent" from the parent's listing; it must agree with
// the file system it wraps for present, absent and symlinked names.
TEST(CachedFileSystem, AgreesWithTheWrappedFileSystem) {
  MemoryFileSystem mem;
  mem.add_file("/etc/systemd/system/a.service", "[Service]\n");
  mem.add_dir("/etc/systemd/system/a.service.d");
  mem.add_symlink("/etc/systemd/system/b.service", "/etc/systemd/system/a.service");
  CachedFileSystem cached(mem);
  for (const char* p : {"/etc/systemd/system/a.service", "/etc/systemd/system/a.service.d",
                        "/etc/systemd/system/b.service", "/etc/systemd/system/c.service",
                        "/etc/systemd/system/c.service.d", "/nowhere/x.service", "/etc"}) {
    EXPECT_EQ(cached.kind(p), mem.kind(p)) << p;
    EXPECT_EQ(cached.lkind(p), mem.lkind(p)) << p;
  }
}

}  // namespace
}  // namespace sdh::unit

namespace sdh::unit {
namespace {

// Counts what reaches the wrapped file system, to show what the cache saves.
class CountingFs final : public FileSystem {
 public:
  explicit CountingFs(const FileSystem& inner) : inner_(inner) {}
  Result<std::string> read_file(const std::string& p) const override { ++reads; return inner_.read_file(p); }
  FileKind kind(const std::string& p) const override { ++stats; return inner_.kind(p); }
  FileKind lkind(const std::string& p) const override { ++stats; return inner_.lkind(p); }
  Result<std::vector<std::string>> list_dir(const std::string& p) const override {
    ++listings;
    return inner_.list_dir(p);
  }
  Result<std::string> read_link(const std::string& p) const override { return inner_.read_link(p); }
  mutable int reads = 0, stats = 0, listings = 0;

 private:
  const FileSystem& inner_;
};

// Names below a missing folder or below a file are absent without a stat
// each; a file shared by many units (a top-level drop-in) is read once.
TEST(CachedFileSystem, AnswersAbsentNamesAndRepeatedReadsFromWhatItHas) {
  MemoryFileSystem mem;
  mem.add_file("/etc/systemd/system/a.service", "[Service]\n");
  mem.add_file("/etc/systemd/system/service.d/10-x.conf", "[Service]\nPrivateTmp=yes\n");
  mem.add_dir("/run/empty");
  CountingFs counting(mem);
  CachedFileSystem cached(counting);
  for (const char* p : {"/nowhere/a.service", "/nowhere/b.service", "/etc/systemd/system/a.service/x",
                        "/run/empty/a.service", "/run/empty/b.service.d"}) {
    EXPECT_EQ(cached.kind(p), FileKind::missing) << p;
    EXPECT_EQ(cached.lkind(p), FileKind::missing) << p;
    EXPECT_EQ(cached.kind(p), mem.kind(p)) << p;
  }
  EXPECT_EQ(counting.stats, 0);
  EXPECT_EQ(counting.listings, 3);  // /nowhere, /etc/systemd/system/a.service, /run/empty
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(*cached.read_file("/etc/systemd/system/service.d/10-x.conf"), "[Service]\nPrivateTmp=yes\n");
  EXPECT_EQ(counting.reads, 1);
}

// Only names of the asked type are indexed as possible aliases.
TEST(CachedFileSystem, SymlinkIndexHoldsOnlyNamesWithTheSuffix) {
  MemoryFileSystem mem;
  mem.add_file("/lib/systemd/system/a.service", "[Service]\n");
  mem.add_symlink("/lib/systemd/system/b.service", "a.service");
  mem.add_symlink("/lib/systemd/system/c.socket", "a.service");
  CachedFileSystem cached(mem);
  const auto& links = cached.symlinks_in("/lib/systemd/system", ".service");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].name, "b.service");
  EXPECT_EQ(links[0].target_path, "/lib/systemd/system/a.service");
  EXPECT_EQ(links[0].target_name, "a.service");
  EXPECT_EQ(cached.symlinks_in("/lib/systemd/system", ".socket").size(), 1u);
}

}  // namespace
}  // namespace sdh::unit
