// SPDX-License-Identifier: GPL-2.0-or-later
// The directive registry is the single source of how a boolean or a path
// list reaches UnitSettings: every such row is bound to its field, and an
// assignment through the real loader sets, clears and resets that field.
#include <gtest/gtest.h>

#include "unit/directives.h"
#include "unit/loader.h"
#include "unit/syscalls.h"

namespace sdh::unit {
namespace {

std::string section_of(const DirectiveInfo& d) { return d.scope == DirectiveScope::unit ? "Unit" : "Service"; }

// The first release of the table that has the row (its `since`).
SystemdVersion release_of(const DirectiveInfo& d) {
  return d.since ? nearest_release(d.since).value() : oldest_release();
}

LoadedUnit load(const DirectiveInfo& d, const std::string& lines, SystemdVersion version) {
  MemoryFileSystem fs;
  std::string section = section_of(d);
  fs.add_file("/etc/systemd/system/t.service",
              "[" + section + "]\n" + lines + (section == "Service" ? "" : "[Service]\n") + "ExecStart=/bin/true\n");
  LoadOptions o;
  o.version = version;
  auto u = load_unit(fs, "t.service", o);
  if (!u) throw std::runtime_error(u.error().to_string());
  return *u;
}
LoadedUnit load(const DirectiveInfo& d, const std::string& lines) { return load(d, lines, release_of(d)); }

TEST(DirectiveRegistry, EveryBooleanAndPathListRowIsBoundAndRoundTrips) {
  int booleans = 0, lists = 0;
  for (const auto& d : directive_table()) {
    bool is_bool = d.rule == ParseRule::boolean || d.rule == ParseRule::boolean_fatal;
    bool is_list = d.rule == ParseRule::path_list || d.rule == ParseRule::ip_filter_path;
    EXPECT_EQ(d.flag != nullptr, is_bool) << d.name << ": a boolean row needs its field, and only a boolean row";
    EXPECT_EQ(d.list != nullptr, is_list) << d.name << ": a path-list row needs its field, and only such a row";
    if (is_bool && d.flag) {
      ++booleans;
      EXPECT_TRUE(load(d, d.name + "=yes\n").settings.*(d.flag)) << d.name;
      EXPECT_FALSE(load(d, d.name + "=yes\n" + d.name + "=no\n").settings.*(d.flag)) << d.name;
    }
    if (is_list && d.list) {
      ++lists;
      auto two = load(d, d.name + "=/srv/a\n" + d.name + "=/srv/b\n").settings.*(d.list);
      EXPECT_EQ(two.size(), d.accumulation == Accumulation::accumulates ? 2u : 1u) << d.name;
      EXPECT_TRUE((load(d, d.name + "=/srv/a\n" + d.name + "=\n").settings.*(d.list)).empty())
          << d.name << ": the empty assignment resets";
    }
  }
  EXPECT_GE(booleans, 19);
  EXPECT_GE(lists, 15);
}

// A row's `since` is what each release's own directive list says
// (data/systemd/NNN/directives.txt, read from that release's binary).
TEST(DirectiveRegistry, SinceAgreesWithEveryReleasesDirectiveList) {
  for (const auto& d : directive_table())
    for (auto v : all_releases()) {
      bool known = directive_status(v, section_of(d), d.name) == DirectiveStatus::known;
      EXPECT_EQ(known, v.at_least(d.since)) << d.name << "= in systemd " << to_string(v);
    }
}

// The plain and encrypted spellings of a credential share one list per kind:
// the same ID replaces, the empty assignment clears only its own kind, and
// SetCredentialEncrypted= wants base64.
TEST(DirectiveRegistry, CredentialsAreListsByIdSharedBetweenSpellings) {
  const DirectiveInfo* load_enc = find_directive("Service", "LoadCredentialEncrypted", "service");
  ASSERT_NE(load_enc, nullptr);
  auto has = [&](const std::string& lines) {
    return load(*load_enc, lines, oldest_release()).settings.has_encrypted_credentials();
  };
  EXPECT_TRUE(has("LoadCredentialEncrypted=key:/etc/key\n"));
  EXPECT_TRUE(has("LoadCredentialEncrypted=key\n"));
  EXPECT_FALSE(has("LoadCredentialEncrypted=key\nLoadCredential=key:/etc/key\n"));  // replaced by a plain one
  EXPECT_FALSE(has("LoadCredentialEncrypted=key\nLoadCredential=\n"));              // cleared
  EXPECT_TRUE(has("LoadCredentialEncrypted=key\nSetCredentialEncrypted=\n"));       // the other list
  EXPECT_TRUE(has("SetCredentialEncrypted=key:c2VjcmV0\n"));
  EXPECT_FALSE(has("SetCredentialEncrypted=key:/etc/k-y\n"));  // not base64
  EXPECT_FALSE(has("SetCredentialEncrypted=key\n"));           // no data
  EXPECT_FALSE(has("LoadCredentialEncrypted=a/b:/etc/key\n"));  // not a credential name
}

// Before its release a directive is unknown: ignored with a warning that
// names the release that knows it (what lint shows).
TEST(DirectiveRegistry, NewerDirectiveIsUnknownToOlderReleasesWithAHint) {
  const DirectiveInfo* pids = find_directive("Service", "PrivatePIDs", "service");
  ASSERT_NE(pids, nullptr);
  ASSERT_GT(pids->since, oldest_release().number());
  auto old = load(*pids, "PrivatePIDs=yes\n", oldest_release());
  EXPECT_FALSE(old.settings.private_pids);
  ASSERT_FALSE(old.diagnostics.empty());
  EXPECT_NE(old.diagnostics[0].message.find("unknown directive PrivatePIDs="), std::string::npos);
  EXPECT_NE(old.diagnostics[0].message.find("systemd " + std::to_string(pids->since)), std::string::npos);
  EXPECT_TRUE(load(*pids, "PrivatePIDs=yes\n").settings.private_pids);
}

// Each further spelling turns its directive on from its release and is an
// invalid value (ignored, the flag stays off) before it.
TEST(DirectiveRegistry, SpellingsTakeEffectFromTheirRelease) {
  int seen = 0;
  for (const auto& d : directive_table())
    for (const auto& sp : d.spellings) {
      ++seen;
      std::string value(sp.text);
      if (value.back() == ':') value += "host-1";
      for (auto v : all_releases()) {
        if (!v.at_least(d.since)) continue;
        auto u = load(d, d.name + "=" + value + "\n", v);
        EXPECT_EQ(u.settings.*(d.flag), v.at_least(sp.since)) << d.name << "=" << value << " in " << to_string(v);
        if (v.at_least(sp.since)) {
          EXPECT_EQ(u.settings.modes.at(d.name), value);
        }
      }
    }
  EXPECT_GE(seen, 8);
}

// Type=notify-reload is systemd 253's: the releases after it take it (and the
// rules that depend on a notify socket then fire); 252 ignores it, saying which
// release would take it (issue 25: it was refused by every release).
TEST(DirectiveRegistry, ServiceTypesTakeEffectFromTheirRelease) {
  const DirectiveInfo* type = find_directive("Service", "Type", "service");
  ASSERT_NE(type, nullptr);
  int later = 0;
  for (auto v : all_releases()) {
    auto u = load(*type, "Type=notify-reload\n", v);
    if (v.at_least(253)) {
      ++later;
      EXPECT_EQ(u.settings.service_type, "notify-reload") << to_string(v);
    } else {
      EXPECT_EQ(u.settings.service_type, "simple") << to_string(v);
      ASSERT_FALSE(u.diagnostics.empty());
      EXPECT_NE(u.diagnostics[0].message.find("systemd 253 and later"), std::string::npos) << u.diagnostics[0].message;
    }
    EXPECT_EQ(load(*type, "Type=notify\n", v).settings.service_type, "notify");
    EXPECT_EQ(load(*type, "Type=notfy\n", v).settings.service_type, "simple");
  }
  EXPECT_GE(later, 3);
  EXPECT_EQ(find_service_type("notify-reload", 252), nullptr);
}

TEST(DirectiveRegistry, EmptyAssignmentResetsFromItsRelease) {
  for (const auto& d : directive_table()) {
    if (!d.empty_resets_since) continue;
    for (auto v : all_releases())
      EXPECT_EQ(load(d, d.name + "=yes\n" + d.name + "=\n", v).settings.*(d.flag), !v.at_least(d.empty_resets_since))
          << d.name << " in " << to_string(v);
  }
}

}  // namespace
}  // namespace sdh::unit
