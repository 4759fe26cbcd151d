// SPDX-License-Identifier: GPL-2.0-or-later
// The semantics tables, tied to what systemd itself says where it is the
// source: the directive registry and each release's directive list.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "unit/directives.h"
#include "unit/loader.h"
#include "unit/semantics.h"
#include "unit/syscalls.h"
#include "unit/versions.h"

namespace sdh::unit {
namespace {

// Each managed directory is a registry row that fills the settings field
// the table names, and every release knows it.
TEST(Semantics, ManagedDirectoriesAreRegistryRowsWithTheirFields) {
  ASSERT_EQ(managed_directories().size(), 4u);
  for (const auto& m : managed_directories()) {
    const DirectiveInfo* row = find_directive("Service", std::string(m.key), "service");
    ASSERT_NE(row, nullptr) << m.key;
    EXPECT_EQ(row->list, m.names) << m.key << " fills another field";
    EXPECT_EQ(m.base.back(), '/');
    for (auto v : all_releases()) EXPECT_EQ(directive_status(v, "Service", std::string(m.key)), DirectiveStatus::known);
    EXPECT_EQ(managed_directory_of(m.key), &m);
  }
  EXPECT_EQ(managed_directory_of("ConfigurationDirectory"), nullptr);  // read-only, not handed over
}

// What systemd would delete at stop or hand to the service is never one
// daemon's: the shared folders and the system's own parts of /run.
TEST(Semantics, ReservedNamesUnderTheManagedBases) {
  for (const char* name : {"lock", "user", "systemd", "dbus", "log", "udev", "shm", "credentials", "private", ""})
    EXPECT_TRUE(reserved_managed_name("/run/", name)) << name;
  EXPECT_FALSE(reserved_managed_name("/run/", "nginx"));
  EXPECT_TRUE(reserved_managed_name("/var/lib/", "private"));   // DynamicUser='s own
  EXPECT_FALSE(reserved_managed_name("/var/lib/", "dbus"));     // /var/lib/dbus is the package's
  EXPECT_FALSE(reserved_managed_name("/var/log/", "nginx"));
}

// The namespace names RestrictNamespaces= takes, each with its own bit, all
// of them: the table is the parser's.
TEST(Semantics, NamespaceTypesCoverEveryBitOnce) {
  uint32_t all = 0;
  std::set<std::string> names;
  for (const auto& t : namespace_types()) {
    EXPECT_EQ(all & t.bit, 0u) << t.name;
    all |= t.bit;
    names.insert(std::string(t.name));
  }
  EXPECT_EQ(all, kNsAll);
  EXPECT_EQ(names, (std::set<std::string>{"cgroup", "ipc", "mnt", "net", "pid", "user", "uts"}));
}

TEST(Semantics, WideningDirectivesAreTheRegistrysWideningRows) {
  std::set<std::string> widening;
  for (auto key : widening_directives()) widening.insert(std::string(key));
  std::set<std::string> rows;
  for (const auto& d : directive_table())
    if (d.effect == Effect::widens) rows.insert(d.name);
  rows.insert("ReadWriteDirectories");  // ReadWritePaths='s old name
  EXPECT_EQ(widening, rows);
  EXPECT_EQ(directive_status(oldest_release(), "Service", "ReadWriteDirectories"), DirectiveStatus::known);
  // The lists that open what a sandbox closes, one per kind of thing.
  for (const char* key : {"ReadWritePaths", "BindPaths", "IPAddressAllow", "DeviceAllow", "SocketBindAllow",
                          "AmbientCapabilities", "SupplementaryGroups", "SystemCallErrorNumber", "ExecPaths"})
    EXPECT_TRUE(only_widens(key)) << key;
  for (const char* restricting : {"ProtectSystem", "ReadOnlyPaths", "InaccessiblePaths", "StateDirectory",
                                  "IPAddressDeny", "SystemCallFilter", "CapabilityBoundingSet", "User"})
    EXPECT_FALSE(only_widens(restricting)) << restricting;
}

TEST(Semantics, EveryManagedDirectoryGrantsInTheRegistry) {
  for (const auto& m : managed_directories()) {
    const auto* d = find_directive("Service", std::string(m.key), "service");
    ASSERT_NE(d, nullptr) << m.key;
    EXPECT_EQ(d->effect, Effect::grants) << m.key;
    EXPECT_EQ(d->list, m.names) << m.key;
  }
}

TEST(Semantics, AccountDirectivesAreRegistryRows) {
  for (auto key : account_directives()) {
    EXPECT_NE(find_directive("Service", std::string(key), "service"), nullptr) << key;
    EXPECT_TRUE(is_account_directive(key));
  }
  EXPECT_FALSE(is_account_directive("PrivateUsers"));
}

TEST(Semantics, WhoRunsAsRoot) {
  UnitSettings s;
  EXPECT_TRUE(runs_as_root(s));
  s.user = "0";
  EXPECT_TRUE(runs_as_root(s));
  EXPECT_TRUE(names_root(s.user));
  s.dynamic_user = true;  // a dynamic user, unless User= names root itself
  EXPECT_FALSE(runs_as_root(s));
  s.user = "www-data";
  EXPECT_FALSE(runs_as_root(s));
  EXPECT_FALSE(names_root(s.user));
  EXPECT_FALSE(is_root_name(s.user));
  EXPECT_TRUE(is_root_name(std::string()));
}

TEST(Semantics, LibraryFoldersIncludeEveryAbi) {
  std::set<std::string> libs;
  for (auto l : library_folders()) libs.insert(std::string(l));
  for (const char* l : {"/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32", "/lib", "/lib64", "/lib32", "/libx32"})
    EXPECT_TRUE(libs.count(l)) << l;
}

// One spelling table per enum: what the parser accepts is what to_string prints.
TEST(Semantics, EnumSpellingsRoundTrip) {
  for (const auto& s : spellings(ProtectSystem{})) EXPECT_EQ(to_string(s.value), s.text);
  for (const auto& s : spellings(ProtectHome{})) EXPECT_EQ(to_string(s.value), s.text);
  for (const auto& s : spellings(ProtectProc{})) EXPECT_EQ(to_string(s.value), s.text);
  for (const auto& s : spellings(DevicePolicy{})) EXPECT_EQ(to_string(s.value), s.text);
  for (const auto& s : spellings(KeyringMode{})) EXPECT_EQ(to_string(s.value), s.text);
  for (const auto& s : spellings(NotifyAccess{})) EXPECT_EQ(to_string(s.value), s.text);
  for (const auto& s : spellings(ProcSubset{})) EXPECT_EQ(to_string(s.value), s.text);
  EXPECT_EQ(spellings(ProtectHome{}).size(), 4u);
}

}  // namespace
}  // namespace sdh::unit
