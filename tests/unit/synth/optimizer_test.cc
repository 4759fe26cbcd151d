// SPDX-License-Identifier: GPL-2.0-or-later
// The optimiser against an injected scorer, profile-completeness handling,
// never-weaken, tie-breaks, and relax().
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "synth/synth.h"
#include "unit/loader.h"

namespace sdh::synth {
namespace {

// Scores 10 points off for every distinct key set, except the companions
// that carry no score of their own: enough to see what the optimiser keeps.
ScoreFunction counting_scorer(int* calls = nullptr) {
  return [calls](const std::string& text) -> Result<Score> {
    if (calls) ++*calls;
    std::set<std::string> keys;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      auto eq = line.find('=');
      if (line.empty() || line[0] == '#' || line[0] == '[' || eq == std::string::npos) continue;
      std::string key = line.substr(0, eq);
      static const std::set<std::string> free = {"StateDirectory", "ReadWritePaths", "RuntimeDirectory",
                                                 "LogsDirectory", "CacheDirectory", "SystemCallErrorNumber",
                                                 "DeviceAllow", "IPAddressAllow", "User"};
      if (!free.count(key)) keys.insert(key);
    }
    Score s;
    s.sum = 1000 - 10 * keys.size();
    s.weights = 1000;
    s.tenths = static_cast<int>(s.sum / 10);
    return s;
  };
}

profile::Profile small_profile() {
  profile::Profile p;
  p.architecture = "x86-64";
  p.runs = 2;
  p.events = 1234;
  profile::ExecutableProfile e;
  e.path = "/usr/bin/d";
  e.elf_machine = "x86-64";
  e.syscalls[profile::Phase::startup] = {"openat", "read", "socket", "bind"};
  e.syscalls[profile::Phase::serving] = {"read", "write"};
  e.files.push_back({"/var/lib/d", profile::kCreate, false, 0, 0, 0, 1});
  e.files.push_back({"/var/lib/d/db", profile::kWrite | profile::kCreate, false, 0, 0, 0, 4});
  e.sockets.push_back({"AF_INET", "SOCK_STREAM", 0, 2});
  p.executables.push_back(e);
  return p;
}

unit::LoadedUnit unit_with(const std::string& extra) {
  MemoryFileSystem fs;
  fs.add_dir("/etc/systemd/system");
  fs.add_file("/etc/systemd/system/d.service", "[Service]\nExecStart=/usr/bin/d\n" + extra);
  auto u = unit::load_unit(fs, "d.service");
  EXPECT_TRUE(u.has_value());
  return *u;
}

bool has_key(const HardeningPlan& p, const std::string& key) {
  for (const auto& d : p.directives) {
    if (d.key == key) return true;
  }
  return false;
}

const Directive* find(const HardeningPlan& p, const std::string& key) {
  for (const auto& d : p.directives) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

TEST(Propose, RefusesAnIncompleteProfileUnlessAllowed) {
  auto prof = small_profile();
  prof.lost_events = 17;
  ProposeOptions o;
  o.scorer = counting_scorer();
  auto refused = propose(unit_with(""), prof, o);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().to_string().find("lost 17"), std::string::npos);
  o.allow_incomplete_profile = true;
  auto plan = propose(unit_with(""), prof, o);
  ASSERT_TRUE(plan.has_value());
  ASSERT_FALSE(plan->warnings.empty());
  EXPECT_NE(render_dropin(*plan).find("# WARNING: INCOMPLETE PROFILE"), std::string::npos);
}

TEST(Propose, PrefersStateDirectoryOverReadWritePathsAtEqualScore) {
  ProposeOptions o;
  o.scorer = counting_scorer();
  auto plan = propose(unit_with("User=d\n"), small_profile(), o);
  ASSERT_TRUE(plan.has_value());
  const Directive* sd = find(*plan, "StateDirectory");
  ASSERT_NE(sd, nullptr) << render_dropin(*plan);
  EXPECT_EQ(sd->values.back(), "d");
  EXPECT_FALSE(has_key(*plan, "ReadWritePaths"));
}

TEST(Propose, NeverWeakensWhatTheUnitAlreadyHas) {
  ProposeOptions o;
  o.scorer = counting_scorer();
  // The unit already allows only AF_UNIX although the daemon made an AF_INET
  // socket: the plan must not widen it, nor restate settings it has.
  auto plan = propose(unit_with("RestrictAddressFamilies=AF_UNIX\nNoNewPrivileges=yes\nProtectSystem=strict\n"),
                      small_profile(), o);
  ASSERT_TRUE(plan.has_value());
  EXPECT_FALSE(has_key(*plan, "NoNewPrivileges"));
  EXPECT_FALSE(has_key(*plan, "ProtectSystem"));
  if (const Directive* raf = find(*plan, "RestrictAddressFamilies")) {
    EXPECT_EQ(raf->values.back().find("AF_INET"), std::string::npos) << "widened the unit's own allow-list";
  }
}

TEST(Propose, SkipsWhatDoesNotLowerTheScore) {
  int calls = 0;
  ProposeOptions o;
  o.scorer = [&calls](const std::string&) -> Result<Score> {
    ++calls;
    return Score{50, 500, 1000};
  };
  auto plan = propose(unit_with("User=d\n"), small_profile(), o);
  ASSERT_TRUE(plan.has_value());
  EXPECT_GT(calls, 10);
  // Only required companions, and what closes the containment battery's
  // attempts without moving the score, survive a flat score.
  for (const auto& d : plan->directives) {
    EXPECT_TRUE(d.key == "ProtectSystem" || d.key == "StateDirectory" || d.key == "NoExecPaths" ||
                d.key == "ExecPaths" || d.key == "ReadOnlyPaths" || (d.key == "InaccessiblePaths" && d.values == std::vector<std::string>{"-/dev/shm"}))
        << d.key;
  }
}

TEST(Propose, ScorerErrorsPropagate) {
  ProposeOptions o;
  o.scorer = [](const std::string&) -> Result<Score> { return fail("boom"); };
  auto plan = propose(unit_with(""), small_profile(), o);
  ASSERT_FALSE(plan.has_value());
  EXPECT_NE(plan.error().to_string().find("boom"), std::string::npos);
}

TEST(Propose, ReportsPhaseAllowListSizes) {
  ProposeOptions o;
  o.scorer = counting_scorer();
  auto plan = propose(unit_with(""), small_profile(), o);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->syscalls.observed_all, 5u);
  EXPECT_EQ(plan->syscalls.observed_startup, 4u);
  EXPECT_EQ(plan->syscalls.observed_serving, 2u);
  EXPECT_GE(plan->syscalls.emitted, 5u);
  EXPECT_NE(render_dropin(*plan).find("start-up 4, serving 2"), std::string::npos);
}

TEST(Relax, LoosensListsAndGradesAndRecordsTheReason) {
  ProposeOptions o;
  o.scorer = counting_scorer();
  auto plan = propose(unit_with("User=d\n"), small_profile(), o);
  ASSERT_TRUE(plan.has_value());
  ASSERT_TRUE(has_key(*plan, "SystemCallFilter"));

  auto r1 = relax(*plan, "SystemCallFilter=ptrace", "bisect: ptrace denied");
  ASSERT_TRUE(r1.has_value());
  EXPECT_NE(find(*r1, "SystemCallFilter")->values.back().find("ptrace"), std::string::npos);
  EXPECT_EQ(r1->exposure_after_tenths, -1);
  ASSERT_EQ(r1->relaxed.size(), 1u);
  EXPECT_EQ(r1->relaxed[0].reason, "bisect: ptrace denied");

  auto r2 = relax(*r1, "ProtectSystem", "writes /etc/d.conf");
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(find(*r2, "ProtectSystem")->values.back(), "full");

  auto r3 = relax(*r2, "SystemCallFilter", "filter breaks start-up");
  ASSERT_TRUE(r3.has_value());
  EXPECT_FALSE(has_key(*r3, "SystemCallFilter"));
  EXPECT_FALSE(has_key(*r3, "SystemCallErrorNumber")) << "companion must go too";
  std::string text = render_dropin(*r3);
  EXPECT_NE(text.find("relaxed after verification: filter breaks start-up"), std::string::npos) << text;
  EXPECT_NE(text.find("# Relaxed after verification:"), std::string::npos);

  auto r4 = relax(*r3, "ReadWritePaths=/etc/d", "config written at run time");
  ASSERT_TRUE(r4.has_value());
  EXPECT_TRUE(has_key(*r4, "ReadWritePaths"));

  EXPECT_FALSE(relax(*r4, "Frobnicate", "x").has_value());
  EXPECT_FALSE(relax(*r4, "", "x").has_value());
}

TEST(Relax, UnlistsOneEntryOfAListWhoseEntriesRestrict) {
  HardeningPlan plan;
  plan.unit = "mail.service";
  Directive d;
  d.key = "InaccessiblePaths";
  d.values = {"-/etc/ssh -/etc/ssl/private", "-/etc/gshadow"};
  d.justification = "never read";
  d.rule = "test";
  plan.directives.push_back(d);
  auto r = relax(plan, "InaccessiblePaths=-/etc/ssl/private", "the key is read through a symlink");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(find(*r, "InaccessiblePaths")->values, (std::vector<std::string>{"-/etc/ssh", "-/etc/gshadow"}));
  ASSERT_EQ(r->relaxed.size(), 1u);
  EXPECT_EQ(r->relaxed[0].to, "InaccessiblePaths=-/etc/ssh InaccessiblePaths=-/etc/gshadow");
  // An entry it does not list is an error, not a silent removal of the list.
  EXPECT_FALSE(relax(plan, "InaccessiblePaths=-/srv", "x").has_value());
  // The last entries going take the directive with them.
  auto r2 = relax(*relax(*r, "InaccessiblePaths=-/etc/ssh", "a"), "InaccessiblePaths=-/etc/gshadow", "b");
  ASSERT_TRUE(r2.has_value());
  EXPECT_FALSE(has_key(*r2, "InaccessiblePaths"));
}

TEST(Render, JsonCarriesThePlan) {
  ProposeOptions o;
  o.scorer = counting_scorer();
  auto plan = propose(unit_with(""), small_profile(), o);
  ASSERT_TRUE(plan.has_value());
  std::string j = plan_to_json(*plan);
  EXPECT_NE(j.find("\"directives\""), std::string::npos);
  EXPECT_NE(j.find("\"not_set\""), std::string::npos);
  EXPECT_NE(j.find("\"observed_serving\": 2"), std::string::npos);
  EXPECT_NE(j.find("\"schema_version\": 1"), std::string::npos);
}

}  // namespace
}  // namespace sdh::synth
