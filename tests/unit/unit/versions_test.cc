// SPDX-License-Identifier: GPL-2.0-or-later
// The release table: every release has its data, lookups fail loudly for a
// release outside the table, and the installed systemd is found by its library.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "unit/syscalls.h"
#include "unit/versions.h"
#include "util/strings.h"

namespace sdh::unit {
namespace {

TEST(Releases, EveryReleaseHasItsDataFiles) {
  ASSERT_GE(all_releases().size(), 4u);
  for (auto v : all_releases())
    for (const char* f : {"assessors.tsv", "syscall-groups.tsv", "syscall-known.txt", "directives.txt", "features.txt"})
      EXPECT_FALSE(release_file(v, f).empty()) << to_string(v) << "/" << f;
}

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(SDH_SOURCE_DIR) + "/" + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One list of releases: the data folders, each saying where its own
// systemd-analyze comes from (oracle.txt). The table in versions.cc, the
// README and the man page name exactly those; the exactness tests are made
// from the folders themselves.
TEST(Releases, EveryPlaceNamesTheReleasesOfTheDataFolder) {
  std::set<int> folders;
  for (const auto& e : std::filesystem::directory_iterator(std::string(SDH_SOURCE_DIR) + "/data/systemd"))
    if (e.is_directory()) folders.insert(std::stoi(e.path().filename().string()));
  std::set<int> table;
  for (auto v : all_releases()) table.insert(v.number());
  EXPECT_EQ(folders, table);
  const std::string readme = read_source("README.md");
  const std::string man = read_source("docs/sdharden.1");
  ASSERT_FALSE(readme.empty() || man.empty());
  for (int r : folders) {
    const std::string n = std::to_string(r);
    // Where scripts/systemd-oracle.sh gets this release's systemd-analyze.
    std::string how;
    for (const auto& line : lines_of(release_file(known_release(r), "oracle.txt")))
      if (!line.empty() && line[0] != '#') {
        how = line;
        break;
      }
    EXPECT_TRUE(how == "host" || how.rfind("unpack ", 0) == 0 || how.rfind("tree ", 0) == 0)
        << n << "/oracle.txt: '" << how << "'";
    EXPECT_NE(readme.find(n), std::string::npos) << "README does not name " << n;
    EXPECT_NE(man.find(n), std::string::npos) << "man page does not name " << n;
  }
}

TEST(Releases, OrderedOldestFirstAndNamedByNumber) {
  auto all = all_releases();
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1], all[i]);
  EXPECT_EQ(oldest_release(), all.front());
  EXPECT_EQ(newest_release(), all.back());
  EXPECT_EQ(systemd_version_from_string("latest").value(), newest_release());
  EXPECT_EQ(systemd_version_from_string("v257").value().number(), 257);
  EXPECT_EQ(systemd_version_from_string("252").value().number(), 252);
}

TEST(Releases, UnknownReleaseFailsAndNamesTheKnownOnes) {
  auto r = systemd_version_from_string("253");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("252"), std::string::npos);
  EXPECT_NE(r.error().message().find("latest"), std::string::npos);
  EXPECT_FALSE(systemd_version_from_string("abc"));
  EXPECT_FALSE(systemd_version_from_string(""));
  EXPECT_THROW(known_release(253), std::logic_error);
  EXPECT_THROW(release_file(oldest_release(), "no-such-file"), std::logic_error);
}

TEST(Releases, NearestReleaseAtOrBelow) {
  EXPECT_EQ(nearest_release(255).value().number(), 254);  // Ubuntu 24.04
  EXPECT_EQ(nearest_release(258).value().number(), 257);  // Fedora 42
  EXPECT_EQ(nearest_release(257).value().number(), 257);
  EXPECT_EQ(nearest_release(999).value(), newest_release());
  EXPECT_FALSE(nearest_release(251));
}

TEST(Releases, InstalledSystemdFromItsSharedLibrary) {
  MemoryFileSystem debian;
  debian.add_file("/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-257.so", "");
  EXPECT_EQ(installed_systemd(debian).value(), 257);
  MemoryFileSystem fedora;
  fedora.add_file("/usr/lib64/systemd/libsystemd-shared-255.4-1.fc40.so", "");
  EXPECT_EQ(installed_systemd(fedora).value(), 255);
  MemoryFileSystem none;
  none.add_dir("/usr/lib/systemd");
  EXPECT_FALSE(installed_systemd(none));
}

TEST(Releases, EveryBehaviourChangeIsTiedToAReleaseOfTheTable) {
  for (auto c : {Change::user_services_run_as_caller, Change::unknown_family_ends_line, Change::exec_context_checks,
                 Change::managed_users_pam_checks, Change::capability_invert_within_kernel,
                 Change::template_instance_test_instance, Change::no_tpm_for_encrypted_credentials}) {
    EXPECT_NO_THROW(known_release(first_release_with(c))) << to_string(c);
    EXPECT_FALSE(has_change(oldest_release(), c)) << to_string(c);
    EXPECT_TRUE(has_change(newest_release(), c)) << to_string(c);
  }
}

TEST(Releases, FeaturesAreEachBuildsOwn) {
  EXPECT_TRUE(has_feature(oldest_release(), "SECCOMP"));
  EXPECT_FALSE(has_feature(known_release(252), "BPF_FRAMEWORK"));  // Debian 12 builds without it
  EXPECT_TRUE(has_feature(known_release(257), "BPF_FRAMEWORK"));
}

TEST(Releases, SyscallGroupsDifferWhereTheReleasesDo) {
  // @sandbox came with 254; each release answers from its own table.
  EXPECT_EQ(syscall_group(known_release(252), "@sandbox"), nullptr);
  EXPECT_NE(syscall_group(known_release(254), "@sandbox"), nullptr);
}

}  // namespace
}  // namespace sdh::unit
