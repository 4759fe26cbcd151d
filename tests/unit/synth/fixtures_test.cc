// SPDX-License-Identifier: GPL-2.0-or-later
// The synthesiser on the hand-written profile fixtures: golden drop-ins, the
// independent compatibility checker, the acceptance thresholds, and the
// knowledge each fixture exists to exercise.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "synth/knowledge.h"

#include <cstdlib>
#include <fstream>

#include "compat_checker.h"
#include "exposure/assess.h"
#include "fixture_util.h"
#include "synth/synth.h"

namespace sdh::synth {
namespace {

using testing::LoadedFixture;

struct Proposed {
  LoadedFixture fx;
  HardeningPlan plan;
  std::string text;
};

std::unique_ptr<Proposed> propose_fixture(const std::string& name,
                                          unit::SystemdVersion version = unit::known_release(252)) {
  auto p = std::make_unique<Proposed>();
  testing::load_fixture(name, p->fx);
  ProposeOptions o;
  o.fs = &p->fx.fs;
  o.version = version;
  o.load_options.version = version;
  auto plan = propose(p->fx.unit, p->fx.profile, o);
  if (!plan) throw std::runtime_error(plan.error().to_string());
  p->plan = std::move(*plan);
  p->text = render_dropin(p->plan);
  return p;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

const char* const kFixtures[] = {"netd-root", "localonly", "setuid-helper", "jit", "nss-ldap", "foreign-arch", "varlib"};

class Fixture : public ::testing::TestWithParam<const char*> {};

class FixtureVersion : public ::testing::TestWithParam<std::tuple<const char*, unit::SystemdVersion>> {};

TEST_P(FixtureVersion, CheckerFindsNothingForbidden) {
  auto p = propose_fixture(std::get<0>(GetParam()), std::get<1>(GetParam()));
  testing::CheckInput in;
  in.dropin = p->text;
  in.unit_user = p->fx.unit.settings.user.value_or("");
  in.unit_umask = p->fx.unit.settings.umask;
  in.unit_dynamic_user = p->fx.unit.settings.dynamic_user;
  in.unit_exec_lines = p->fx.unit.settings.exec_lines;
  in.profile = &p->fx.profile;
  auto bad = testing::check_dropin(in);
  std::string all;
  for (const auto& b : bad) all += b + "\n";
  EXPECT_TRUE(bad.empty()) << all << p->text;
}

// Every line names the rule that chose it, and the rule lists the key: a
// rule's `keys` is what it emits, not a hand list that drifts (the table
// test of the registry relies on it). The optimiser's own passes after the
// rules name themselves.
TEST_P(FixtureVersion, EveryLineIsInItsRulesKeys) {
  auto p = propose_fixture(std::get<0>(GetParam()), std::get<1>(GetParam()));
  const std::set<std::string> passes = {"user-own-switch", "helpers"};
  ASSERT_FALSE(p->plan.directives.empty());
  for (const auto& d : p->plan.directives) {
    if (passes.count(d.rule)) continue;
    const Rule* rule = nullptr;
    for (const auto& r : knowledge_base())
      if (r.id == d.rule) rule = &r;
    ASSERT_NE(rule, nullptr) << d.key << " names no rule: '" << d.rule << "'";
    EXPECT_NE(std::find(rule->keys.begin(), rule->keys.end(), d.key), rule->keys.end())
        << d.key << "= comes from " << d.rule << ", whose keys do not list it";
  }
}

// A drop-in carries only what its target release takes, and takes what the
// target offers where the evidence allows: the same evidence gives
// PrivatePIDs=yes, PrivateTmp=disconnected and ProtectControlGroups=strict
// from 257 on, and never before.
TEST_P(FixtureVersion, OnlyWhatTheTargetReleaseTakes) {
  auto version = std::get<1>(GetParam());
  auto p = propose_fixture(std::get<0>(GetParam()), version);
  for (const auto& d : p->plan.directives) {
    auto why = unknown_to_release(d, version);
    EXPECT_FALSE(why) << d.key << ": " << why.value_or("");
  }
  unit::LoadOptions lo;
  lo.version = version;
  lo.extra_dropins.emplace_back("90-sdharden.conf", p->text);
  auto after = unit::load_unit(p->fx.fs, std::string(std::get<0>(GetParam())) + ".service", lo);
  ASSERT_TRUE(after.has_value());
  for (const auto& diag : after->diagnostics)
    EXPECT_EQ(diag.message.find("unknown directive"), std::string::npos) << diag.message;
  bool newer = version.at_least(257);
  for (const char* line : {"PrivateTmp=disconnected", "ProtectControlGroups=strict", "PrivatePIDs=yes"}) {
    if (!newer) {
      EXPECT_FALSE(has_line(p->text, line)) << line;
    }
  }
  if (std::string(std::get<0>(GetParam())) == "localonly") {
    EXPECT_EQ(has_line(p->text, "PrivatePIDs=yes"), newer) << p->text;
    EXPECT_EQ(has_line(p->text, "ProtectControlGroups=strict"), newer) << p->text;
    EXPECT_EQ(has_line(p->text, "ProtectControlGroups=yes"), !newer) << p->text;
  }
}

TEST_P(Fixture, EveryDirectiveJustifiedEveryOmissionExplained) {
  auto p = propose_fixture(GetParam());
  ASSERT_FALSE(p->plan.directives.empty());
  for (const auto& d : p->plan.directives) EXPECT_GT(d.justification.size(), 8u) << d.key;
  for (const auto& n : p->plan.not_set) EXPECT_GT(n.reason.size(), 8u) << n.directive;
}

TEST_P(Fixture, NeverWeakensAnyExposureItem) {
  auto p = propose_fixture(GetParam());
  unit::LoadOptions lo;
  lo.extra_dropins.emplace_back("90-sdharden.conf", p->text);
  auto after = unit::load_unit(p->fx.fs, std::string(GetParam()) + ".service", lo);
  ASSERT_TRUE(after.has_value());
  auto a0 = exposure::assess(p->fx.unit.settings, unit::known_release(252));
  auto a1 = exposure::assess(after->settings, unit::known_release(252));
  ASSERT_EQ(a0.items.size(), a1.items.size());
  for (size_t i = 0; i < a0.items.size(); ++i) {
    if (!a0.items[i].applicable || !a1.items[i].applicable) continue;
    EXPECT_LE(a1.items[i].contribution(), a0.items[i].contribution()) << a0.items[i].id;
  }
  EXPECT_EQ(a1.exposure_tenths, p->plan.exposure_after_tenths);
  EXPECT_LT(p->plan.exposure_after_tenths, p->plan.exposure_before_tenths);
}

TEST_P(Fixture, MatchesGoldenDropin) {
  auto p = propose_fixture(GetParam());
  std::string golden = testing::data_path(std::string("golden/") + GetParam() + ".conf");
  if (std::getenv("SDHARDEN_REGEN_GOLDEN")) {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << p->text;
    GTEST_SKIP() << "regenerated " << golden;
  }
  EXPECT_EQ(p->text, testing::slurp(golden)) << "regenerate with SDHARDEN_REGEN_GOLDEN=1 if the change is intended";
}

INSTANTIATE_TEST_SUITE_P(Profiles, FixtureVersion,
                         ::testing::Combine(::testing::ValuesIn(kFixtures),
                                            ::testing::ValuesIn(unit::all_releases())),
                         [](const auto& info) {
                           std::string n = std::get<0>(info.param);
                           for (auto& c : n) if (c == '-') c = '_';
                           return n + "_" + unit::to_string(std::get<1>(info.param));
                         });

INSTANTIATE_TEST_SUITE_P(Profiles, Fixture, ::testing::ValuesIn(kFixtures),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) if (c == '-') c = '_';
                           return n;
                         });

TEST(Acceptance, LocalOnlyDaemonReachesAtMost1_5) {
  auto p = propose_fixture("localonly");
  EXPECT_LE(p->plan.exposure_after_tenths, 15);
  EXPECT_TRUE(has_line(p->text, "DynamicUser=yes"));
  EXPECT_TRUE(has_line(p->text, "PrivateNetwork=yes"));
  EXPECT_TRUE(has_line(p->text, "RestrictAddressFamilies=AF_UNIX"));
  EXPECT_TRUE(has_line(p->text, "StateDirectory=localq"));
  EXPECT_TRUE(has_line(p->text, "RuntimeDirectory=localq"));
}

TEST(Acceptance, RootNetworkDaemonReachesAtMost2_5) {
  auto p = propose_fixture("netd-root");
  EXPECT_LE(p->plan.exposure_after_tenths, 25);
  EXPECT_FALSE(has_line(p->text, "DynamicUser=yes"));
  EXPECT_TRUE(has_line(p->text, "CapabilityBoundingSet=CAP_SETGID CAP_SETUID CAP_NET_BIND_SERVICE"));
  EXPECT_FALSE(has_line(p->text, "PrivateNetwork=yes"));
  EXPECT_NE(p->text.find("IPAddressDeny=any: "), std::string::npos) << "the not-set block must say why";
}

TEST(Knowledge, SetuidHelperKeepsPrivilegesAndSeccompOff) {
  auto p = propose_fixture("setuid-helper");
  EXPECT_FALSE(has_line(p->text, "NoNewPrivileges=yes"));
  EXPECT_EQ(p->text.find("\nSystemCallFilter="), std::string::npos);
  EXPECT_EQ(p->text.find("\nRestrictAddressFamilies="), std::string::npos);
  EXPECT_NE(p->text.find("NoNewPrivileges=yes: executes setuid/setgid /usr/sbin/sendmail"), std::string::npos) << p->text;
}

TEST(Knowledge, JitKeepsWritableExecutableMemory) {
  auto p = propose_fixture("jit");
  EXPECT_FALSE(has_line(p->text, "MemoryDenyWriteExecute=yes"));
  EXPECT_NE(p->text.find("MemoryDenyWriteExecute=yes: /usr/bin/luaapp maps memory writable and executable"),
            std::string::npos);
  EXPECT_TRUE(has_line(p->text, "IPAddressAllow=localhost"));
}

TEST(Knowledge, NssLdapKeepsInternetFamiliesForTheModule) {
  auto p = propose_fixture("nss-ldap");
  EXPECT_TRUE(has_line(p->text, "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"));
  EXPECT_NE(p->text.find("AF_INET6 for NSS module"), std::string::npos);
  EXPECT_FALSE(has_line(p->text, "IPAddressDeny=any"));
  EXPECT_NE(p->text.find("IPAddressDeny=any: NSS module /usr/lib/x86_64-linux-gnu/libnss_ldap.so.2 reaches the servers"),
            std::string::npos)
      << p->text;
}

TEST(Knowledge, ForeignArchitectureKeepsItsAbi) {
  auto p = propose_fixture("foreign-arch");
  EXPECT_TRUE(has_line(p->text, "SystemCallArchitectures=native x86"));
  EXPECT_NE(p->text.find("SystemCallArchitectures=native: /usr/lib/scanner/i386/convert is x86"), std::string::npos);
}

TEST(Knowledge, VarLibWritesBecomeStateDirectory) {
  auto p = propose_fixture("varlib");
  EXPECT_TRUE(has_line(p->text, "ProtectSystem=strict"));
  EXPECT_TRUE(has_line(p->text, "StateDirectory=statd-demo"));
  EXPECT_TRUE(has_line(p->text, "LogsDirectory=statd-demo"));
  EXPECT_EQ(p->text.find("ReadWritePaths="), std::string::npos) << "StateDirectory= forbids less: preferred";
}

TEST(Checker, CatchesAForbiddenDirective) {
  // The checker must be able to fail: a drop-in that forbids what the JIT does.
  LoadedFixture fx;
  testing::load_fixture("jit", fx);
  testing::CheckInput in;
  in.profile = &fx.profile;
  in.dropin =
      "[Service]\n# wrong on purpose\nMemoryDenyWriteExecute=yes\n# wrong too\nRestrictAddressFamilies=AF_UNIX\n"
      "PrivateNetwork=yes\n# unknown\nFrobnicate=yes\n";
  auto bad = testing::check_dropin(in);
  std::string all;
  for (const auto& b : bad) all += b + "\n";
  EXPECT_NE(all.find("MemoryDenyWriteExecute"), std::string::npos) << all;
  EXPECT_NE(all.find("RestrictAddressFamilies= lacks AF_INET"), std::string::npos) << all;
  EXPECT_NE(all.find("directive without justification: PrivateNetwork=yes"), std::string::npos) << all;
  EXPECT_NE(all.find("no rule for Frobnicate"), std::string::npos) << all;
}

}  // namespace
}  // namespace sdh::synth
