// SPDX-License-Identifier: GPL-2.0-or-later
// The auto loop on FakeHosts: the narrowest grant first, step down and
// removal only after it, the static-user fallback, evidence kept through
// iterations, and nothing unverified reported as verified.
#include <gtest/gtest.h>

#include <algorithm>
#include <sys/syscall.h>

#include "harden/auto_loop.h"
#include "support/fake_host.h"
#include "support/fake_verify.h"
#include "verify/battery.h"
#include "verify/dropin.h"

using namespace sdh;
using namespace sdh::harden;
using systemd::FakeWorld;
using namespace std::chrono_literals;

namespace {

bool has(const FakeWorld::Assignments& a, const std::string& s) { return std::find(a.begin(), a.end(), s) != a.end(); }

bool has_prefix(const FakeWorld::Assignments& a, const std::string& p) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& x) { return x.rfind(p, 0) == 0; });
}

synth::Directive dir(const std::string& key, std::vector<std::string> values, const std::string& why,
                     const std::string& rule = "test") {
  synth::Directive d;
  d.key = key;
  d.values = std::move(values);
  d.justification = why;
  d.rule = rule;
  return d;
}

synth::HardeningPlan plan_of(std::vector<synth::Directive> ds) {
  synth::HardeningPlan p;
  p.unit = "web.service";
  p.directives = std::move(ds);
  p.exposure_before_tenths = 92;
  p.exposure_after_tenths = 21;
  return p;
}

synth::HardeningPlan typical_plan() {
  return plan_of({dir("ProtectSystem", {"strict"}, "writes only under /var/lib/web (seen: 12 writes)"),
                  dir("PrivateTmp", {"yes"}, "no file under /tmp shared with others"),
                  dir("NoNewPrivileges", {"yes"}, "no setuid executable ran"),
                  dir("SystemCallFilter", {"@system-service"}, "41 system calls observed"),
                  dir("SystemCallErrorNumber", {"EPERM"}, "a refused call fails instead of killing the daemon"),
                  dir("RestrictAddressFamilies", {"AF_UNIX AF_INET"}, "families used: AF_UNIX AF_INET")});
}

verify::VerifyOptions options() { return systemd::fake_verify_options("web.service"); }

AutoHooks hooks() {
  AutoHooks h;
  h.bisect.trace = true;  // the fake answers the traced run
  h.score = [](const synth::HardeningPlan& p) -> sdh::Result<int> { return static_cast<int>(p.directives.size()); };
  return h;
}

// A typical plan with a static User=web, and hooks whose proposal without
// it (the typical plan) counts its calls.
synth::HardeningPlan with_static_user() {
  auto p = typical_plan();
  p.directives.insert(p.directives.begin(), dir("User", {"web"}, "owns every file it writes", "user"));
  return p;
}

AutoHooks counting_fallback(int& proposals) {
  AutoHooks h = hooks();
  h.propose_without_user = [&proposals](const std::string&, bool) -> sdh::Result<synth::HardeningPlan> {
    ++proposals;
    return typical_plan();
  };
  return h;
}

const synth::Relaxation* relaxed(const synth::HardeningPlan& p, const std::string& kind) {
  for (const auto& r : p.relaxed)
    if (r.kind == kind) return &r;
  return nullptr;
}

void expect_sound_dropin(const AutoResult& r) {
  auto parsed = verify::parse_dropin(r.dropin);
  EXPECT_TRUE(parsed.has_value()) << r.dropin;
  auto j = count_justified(r.dropin);
  EXPECT_GT(j.lines, 0u);
  EXPECT_TRUE(j.complete()) << j.justified << "/" << j.lines << "\n" << r.dropin;
  for (const auto& x : r.plan.relaxed) EXPECT_EQ(x.reason.find('\n'), std::string::npos) << x.reason;
}

}  // namespace

TEST(AutoLoop, GrantsTheOnePathAndKeepsTheDirective) {
  auto world = std::make_shared<FakeWorld>();
  auto broken = [](const FakeWorld::Assignments& a) {
    return has(a, "ProtectSystem=strict") && !has(a, "ReadWritePaths=-/run/web");
  };
  world->start_fails = broken;
  world->exec_start = "/usr/sbin/web -d";
  world->strace_output = [broken](const FakeWorld::Assignments& a) -> std::string {
    return broken(a) ? "412 openat(AT_FDCWD, \"/run/web/web.pid\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 EROFS "
                       "(Read-only file system)\n"
                     : "";
  };
  auto r = harden_until_verified(typical_plan(), options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_NE(r->dropin.find("\nProtectSystem=strict\n"), std::string::npos) << r->dropin;
  EXPECT_NE(r->dropin.find("\nReadWritePaths=-/run/web\n"), std::string::npos) << r->dropin;
  const auto* rel = relaxed(r->plan, "path");
  ASSERT_NE(rel, nullptr) << r->dropin;
  EXPECT_NE(rel->reason.find("/run/web/web.pid"), std::string::npos) << rel->reason;
  EXPECT_EQ(r->plan.relaxed.size(), 1u);
  EXPECT_EQ(r->plan.exposure_after_tenths, 7);  // re-scored: six directives and the grant
  expect_sound_dropin(*r);
}

TEST(AutoLoop, StepsDownOnlyAfterTheNarrowerGrantsFailed) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "ProtectSystem=strict"); };
  world->exec_start = "/usr/sbin/web -d";
  world->strace_output = [](const FakeWorld::Assignments& a) -> std::string {
    return has(a, "ProtectSystem=strict") ? "9 openat(AT_FDCWD, \"/run/web/ctl\", O_RDWR|O_CREAT, 0600) = -1 EROFS (Read-only file system)\n" : "";
  };
  auto r = harden_until_verified(typical_plan(), options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  std::vector<std::string> kinds;
  for (const auto& x : r->plan.relaxed) kinds.push_back(x.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"path", "managed directory", "step down"})) << r->dropin;
  EXPECT_NE(r->dropin.find("\nProtectSystem=full\n"), std::string::npos) << r->dropin;
  // The relaxed line keeps its original evidence beside the relaxation's.
  EXPECT_NE(r->dropin.find("writes only under /var/lib/web (seen: 12 writes); relaxed from ProtectSystem=strict"),
            std::string::npos)
      << r->dropin;
  EXPECT_NE(r->dropin.find("NoNewPrivileges=yes"), std::string::npos);
  expect_sound_dropin(*r);
}

TEST(AutoLoop, AddsTheDeniedSyscallInsteadOfDroppingTheFilter) {
  auto world = std::make_shared<FakeWorld>();
  auto refused = [](const FakeWorld::Assignments& a) {
    return has_prefix(a, "SystemCallFilter=@system-service") && !has_prefix(a, "SystemCallFilter=@system-service ptrace");
  };
  world->start_fails = refused;
  world->kernel_log = "audit: type=1326 audit(1.2:3): auid=0 uid=0 pid=77 comm=\"web\" exe=\"/usr/sbin/web\" sig=31 "
                      "arch=c000003e syscall=" + std::to_string(SYS_ptrace) + " compat=0 ip=0x1 code=0x0\n";
  auto r = harden_until_verified(typical_plan(), options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_NE(r->dropin.find("\nSystemCallFilter=@system-service ptrace\n"), std::string::npos) << r->dropin;
  EXPECT_NE(r->dropin.find("SystemCallErrorNumber=EPERM"), std::string::npos);
  ASSERT_NE(relaxed(r->plan, "syscall"), nullptr);
  expect_sound_dropin(*r);
}

// A daemon given its own option to switch to the account (named's -u bind):
// started as the account it fails, and the beyond line names the option.
TEST(AutoLoop, TheBeyondLineNamesTheDaemonsOwnSwitchOption) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "User=web"); };
  AutoHooks h = hooks();
  h.propose_without_user = [](const std::string&, bool) -> sdh::Result<synth::HardeningPlan> {
    auto p = typical_plan();
    p.own_user_option = "`-u web` in /etc/default/web";
    return p;
  };
  auto r = harden_until_verified(with_static_user(), options(), systemd::fake_factory(world), h);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  ASSERT_TRUE(r->plan.beyond_dropin.has_value());
  ASSERT_EQ(r->plan.beyond_dropin->blockers.size(), 1u);
  EXPECT_EQ(r->plan.beyond_dropin->blockers[0].rfind(
                "its own option that switches to web, `-u web` in /etc/default/web: started as web with it, the "
                "service fails: ",
                0),
            0u)
      << r->plan.beyond_dropin->blockers[0];
}

TEST(AutoLoop, FallsBackFromAStaticUserAndKeepsWhatItWouldScore) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "User=web"); };
  auto with_user = with_static_user();
  with_user.exposure_after_tenths = 12;
  int proposals = 0;
  auto r = harden_until_verified(with_user, options(), systemd::fake_factory(world), counting_fallback(proposals));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_TRUE(r->static_user_dropped);
  EXPECT_EQ(proposals, 1);
  // The proposal without the user verified at once instead of a bisection:
  // verify (2 boots), then its hardened run (1: the baseline is kept).
  EXPECT_EQ(world->boots, 3);
  ASSERT_TRUE(r->plan.beyond_dropin.has_value());
  EXPECT_EQ(r->plan.beyond_dropin->user, "web");
  EXPECT_EQ(r->plan.beyond_dropin->exposure_tenths, 12);
  EXPECT_EQ(r->dropin.find("\nUser="), std::string::npos) << r->dropin;
  ASSERT_NE(relaxed(r->plan, "static user dropped"), nullptr) << r->dropin;
  EXPECT_NE(r->dropin.find("#   User=web: started as web the service fails"), std::string::npos) << r->dropin;
  expect_sound_dropin(*r);
}

// A wrapper that refuses to start unless root, then a daemon that switches
// to web itself: refused as the start's identity, web still holds under
// User= with the start kept as root; where that fails too, the root plan.
TEST(AutoLoop, FallsBackFromAStaticUserToTheDaemonsOwnSwitchThenToRoot) {
  auto own_switch = [] {
    auto p = typical_plan();
    p.directives.insert(p.directives.begin(),
                        {dir("User", {"web"}, "web switches to web itself", "user-own-switch"),
                         dir("ExecStart", {"", "!/usr/sbin/web -d"}, "re-listed with \"!\"", "user-own-switch")});
    return p;
  };
  for (bool own_switch_works : {true, false}) {
    auto world = std::make_shared<FakeWorld>();
    world->start_fails = [own_switch_works](const FakeWorld::Assignments& a) {
      return has(a, "User=web") && (!own_switch_works || !has(a, "ExecStart=!/usr/sbin/web -d"));
    };
    std::vector<bool> asked;
    AutoHooks h = hooks();
    h.propose_without_user = [&](const std::string& refused, bool any_user) -> sdh::Result<synth::HardeningPlan> {
      EXPECT_NE(refused.find("web"), std::string::npos) << refused;
      asked.push_back(any_user);
      return any_user ? typical_plan() : own_switch();
    };
    auto r = harden_until_verified(with_static_user(), options(), systemd::fake_factory(world), h);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->verified) << r->error;
    if (own_switch_works) {
      EXPECT_EQ(asked, std::vector<bool>{false});
      EXPECT_NE(r->dropin.find("\nUser=web\n"), std::string::npos) << r->dropin;
      EXPECT_NE(r->dropin.find("\nExecStart=!/usr/sbin/web -d\n"), std::string::npos) << r->dropin;
      ASSERT_NE(relaxed(r->plan, "started as root, switches itself"), nullptr) << r->dropin;
      EXPECT_NE(r->dropin.find("User=web from the start: started as web the service fails"), std::string::npos)
          << r->dropin;
    } else {
      EXPECT_EQ(asked, (std::vector<bool>{false, true}));
      EXPECT_EQ(r->dropin.find("\nUser="), std::string::npos) << r->dropin;
      ASSERT_NE(relaxed(r->plan, "static user dropped"), nullptr) << r->dropin;
    }
    expect_sound_dropin(*r);
  }
}

// An ephemeral root that breaks the service goes whole, first: the rest
// of the plan stays, with the reason recorded.
TEST(AutoLoop, DropsABreakingEphemeralRootWhole) {
  auto plan = typical_plan();
  for (auto d : {dir("RuntimeDirectory", {"web-root"}, "an empty folder", "root-directory"),
                 dir("RootDirectory", {"/run/web-root"}, "an ephemeral root", "root-directory"),
                 dir("BindReadOnlyPaths", {"/usr /etc"}, "the OS trees", "root-directory"),
                 dir("BindPaths", {"-/var/lib/web"}, "written", "root-directory")})
    plan.directives.push_back(d);
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "RootDirectory=/run/web-root"); };
  auto r = harden_until_verified(plan, options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->iterations, 2);
  for (const char* gone : {"RootDirectory=", "BindPaths=", "BindReadOnlyPaths=", "RuntimeDirectory="})
    EXPECT_EQ(r->dropin.find(std::string("\n") + gone), std::string::npos) << gone << "\n" << r->dropin;
  EXPECT_NE(r->dropin.find("\nProtectSystem=strict\n"), std::string::npos) << r->dropin;
  ASSERT_NE(relaxed(r->plan, "ephemeral root dropped"), nullptr) << r->dropin;
  EXPECT_NE(r->dropin.find("#   RootDirectory=/run/web-root: the service fails in the ephemeral root"),
            std::string::npos)
      << r->dropin;
  expect_sound_dropin(*r);
}

// A static user and a root tried together, where only the user breaks the
// service: the root goes first, the plan without it fails the same way, so
// the root is not to blame and the proposal without the user keeps it
// (where the root breaks the service too, it goes again, for good).
TEST(AutoLoop, ARootDroppedWithAFailingUserComesBackWhenItWasNotTheCause) {
  auto rooted = [](synth::HardeningPlan p) {
    for (auto d : {dir("RuntimeDirectory", {"web-root"}, "an empty folder", "root-directory"),
                   dir("RootDirectory", {"/run/web-root"}, "an ephemeral root", "root-directory")})
      p.directives.push_back(d);
    return p;
  };
  for (bool root_breaks_too : {false, true}) {
    auto world = std::make_shared<FakeWorld>();
    world->start_fails = [root_breaks_too](const FakeWorld::Assignments& a) {
      return has(a, "User=web") || (root_breaks_too && has(a, "RootDirectory=/run/web-root"));
    };
    AutoHooks h = hooks();
    h.propose_without_user = [&](const std::string&, bool) -> sdh::Result<synth::HardeningPlan> {
      return rooted(typical_plan());
    };
    auto r = harden_until_verified(rooted(with_static_user()), options(), systemd::fake_factory(world), h);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->verified) << r->error;
    EXPECT_EQ(r->dropin.find("\nUser="), std::string::npos) << r->dropin;
    bool kept = r->dropin.find("\nRootDirectory=/run/web-root\n") != std::string::npos;
    EXPECT_EQ(kept, !root_breaks_too) << r->dropin;
    if (root_breaks_too) {
      EXPECT_NE(r->dropin.find("#   RootDirectory=/run/web-root: the service fails in the ephemeral root"),
                std::string::npos)
          << r->dropin;
    }
    expect_sound_dropin(*r);
  }
}

// A root that works but contains less than the plan without it (the
// battery finds more possible inside) is dropped; one that contains as
// much is kept. Both counts are reported.
TEST(AutoLoop, KeepsAnEphemeralRootOnlyWhereTheBatteryFindsNoMorePossible) {
  for (bool root_leaks : {true, false}) {
    auto plan = typical_plan();
    for (auto d : {dir("RuntimeDirectory", {"web-root"}, "an empty folder", "root-directory"),
                   dir("RootDirectory", {"/run/web-root"}, "an ephemeral root", "root-directory")})
      plan.directives.push_back(d);
    auto world = std::make_shared<FakeWorld>();
    world->battery_output = [root_leaks](const FakeWorld::Assignments& a) -> std::string {
      bool sandboxed = has(a, "ProtectSystem=strict");
      bool rooted = has(a, "RootDirectory=/run/web-root");
      return std::string("battery write-etc ") + (sandboxed ? "refused EROFS" : "possible -") + "\n" +
             "battery write-run " + (!sandboxed || (rooted && root_leaks) ? "possible -" : "refused EROFS") + "\n";
    };
    auto o = options();
    o.probe_binary = "/bin/true";  // any file: the fake never runs it
    auto r = harden_until_verified(plan, o, systemd::fake_factory(world), hooks());
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->verified) << r->error;
    EXPECT_EQ(r->root_battery, (std::pair<int, int>{root_leaks ? 1 : 0, 0})) << r->verdict.containment.note;
    bool kept = r->dropin.find("\nRootDirectory=/run/web-root\n") != std::string::npos;
    EXPECT_EQ(kept, !root_leaks) << r->dropin;
    if (root_leaks) {
      const auto* rel = relaxed(r->plan, "ephemeral root dropped");
      ASSERT_NE(rel, nullptr) << r->dropin;
      const std::string said = "more possible inside it (1 of " + std::to_string(verify::battery_rows().size()) +
                               " attempts) than without it (0)";
      EXPECT_NE(rel->reason.find(said), std::string::npos)
          << rel->reason;
    }
    expect_sound_dropin(*r);
  }
}

TEST(AutoLoop, AStaticUserThatIsNotTheCulpritStays) {
  // PrivateTmp= breaks the service, the user does not: the proposal without
  // the user (PrivateTmp= too) still fails, so bisection finds PrivateTmp=
  // and the user stays.
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "PrivateTmp=yes"); };
  int proposals = 0;
  auto r = harden_until_verified(with_static_user(), options(), systemd::fake_factory(world),
                                 counting_fallback(proposals));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_FALSE(r->static_user_dropped);
  EXPECT_NE(r->dropin.find("\nUser=web\n"), std::string::npos) << r->dropin;
  EXPECT_EQ(r->dropin.find("\nPrivateTmp=yes"), std::string::npos) << r->dropin;
}

TEST(AutoLoop, AFailedFallbackIsContinuedFromWithoutProposingItAgain) {
  // Both the static user and PrivateTmp= break the service: the proposal
  // without the user fails too. When bisection blames the user, the loop
  // continues from that proposal (proposed once) and then grants its way on.
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "User=web") || has(a, "PrivateTmp=yes"); };
  int proposals = 0;
  auto r = harden_until_verified(with_static_user(), options(), systemd::fake_factory(world),
                                 counting_fallback(proposals));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_TRUE(r->static_user_dropped);
  EXPECT_EQ(proposals, 1);
  EXPECT_EQ(r->dropin.find("\nUser=web"), std::string::npos) << r->dropin;
  EXPECT_EQ(r->dropin.find("\nPrivateTmp=yes"), std::string::npos) << r->dropin;
  expect_sound_dropin(*r);
}

TEST(AutoLoop, WhatIsNotInEffectIsSteppedDownBeforeItIsRemoved) {
  auto world = std::make_shared<FakeWorld>();
  world->hidden_properties = {"PrivateTmp"};
  auto r = harden_until_verified(typical_plan(), options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->dropin.find("\nPrivateTmp="), std::string::npos);
  const auto* rel = relaxed(r->plan, "not in effect, removed");
  ASSERT_NE(rel, nullptr) << r->dropin;
  EXPECT_NE(rel->reason.find("PrivateTmp=yes"), std::string::npos) << rel->reason;
  EXPECT_NE(r->dropin.find("ProtectSystem=strict"), std::string::npos);
  expect_sound_dropin(*r);
}

// One hidden folder breaks the service and nothing names the denied
// operation: bisection narrows to that entry, and only it stops being
// listed (issue 22: the whole InaccessiblePaths= went).
TEST(AutoLoop, AListLosesOnlyTheEntryThatBreaksTheService) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) {
    return std::any_of(a.begin(), a.end(), [](const std::string& x) {
      return x.rfind("InaccessiblePaths=", 0) == 0 && (x + " ").find(" -/etc/ssl/private ") != std::string::npos;
    }) || has(a, "InaccessiblePaths=-/etc/ssl/private");
  };
  auto plan = typical_plan();
  plan.directives.push_back(dir("InaccessiblePaths", {"-/etc/ssh -/etc/ssl/private -/etc/gshadow"}, "never read"));
  auto r = harden_until_verified(plan, options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_NE(r->dropin.find("\nInaccessiblePaths=-/etc/ssh -/etc/gshadow\n"), std::string::npos) << r->dropin;
  const auto* rel = relaxed(r->plan, "entry");
  ASSERT_NE(rel, nullptr) << r->dropin;
  EXPECT_EQ(rel->directive, "InaccessiblePaths=-/etc/ssl/private");
  EXPECT_NE(r->dropin.find("ProtectSystem=strict"), std::string::npos);
  expect_sound_dropin(*r);
}

TEST(AutoLoop, ABaselineThatFailsIsNotVerified) {
  auto world = std::make_shared<FakeWorld>();
  world->check_fails = [](const FakeWorld::Assignments&) { return true; };
  auto r = harden_until_verified(typical_plan(), options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->verified);
  EXPECT_FALSE(r->error.empty());
  EXPECT_EQ(r->error.find('\n'), std::string::npos);
  std::string marked = mark_unverified(r->dropin, r->error + "\nsecond line");
  EXPECT_EQ(marked.rfind("# NOT VERIFIED: ", 0), 0u);
  EXPECT_EQ(marked.find("second line"), std::string::npos);
  EXPECT_TRUE(verify::parse_dropin(marked).has_value());
}

TEST(AutoLoop, GivesUpWithinItsIterations) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return !a.empty(); };  // anything breaks it
  AutoHooks h = hooks();
  h.max_iterations = 3;
  auto r = harden_until_verified(typical_plan(), options(), systemd::fake_factory(world), h);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->verified);
  EXPECT_LE(r->iterations, 4);
}

TEST(Justified, CountsEveryAssignmentUnderItsComment) {
  EXPECT_EQ(count_justified("[Service]\n# why\nA=1\nA=2\n# why b\nB=1\n").justified, 3u);
  auto j = count_justified("[Service]\n# why\nA=1\nB=2\n\nC=3\n");
  EXPECT_EQ(j.lines, 3u);
  EXPECT_EQ(j.justified, 1u);
  EXPECT_FALSE(j.complete());
}

namespace {

// A verified plan that keeps root, with a lower-scoring plan as web beyond
// it (what the synthesiser builds when only root's extras keep it root).
synth::HardeningPlan root_plan_with_trial() {
  auto p = typical_plan();
  synth::BeyondDropin b;
  b.change = "started as web";
  b.user = "web";
  b.blockers = {"as web it could not read /etc/shadow"};
  b.exposure_tenths = 13;
  auto trial = with_static_user();
  trial.directives.front().justification = "a trial as web";
  b.trial = std::make_shared<const synth::HardeningPlan>(trial);
  p.beyond_dropin = b;
  return p;
}

AutoHooks scoring_the_user_lower() {
  AutoHooks h = hooks();
  h.score = [](const synth::HardeningPlan& p) -> sdh::Result<int> {
    bool user = std::any_of(p.directives.begin(), p.directives.end(), [](const auto& d) { return d.key == "User"; });
    return user ? 13 : 21;
  };
  return h;
}

}  // namespace

TEST(AutoLoop, KeepsThePlanBeyondTheDropinWhenItsTrialVerifies) {
  auto world = std::make_shared<FakeWorld>();
  world->exec_start = "/usr/sbin/web -d";
  auto r = harden_until_verified(root_plan_with_trial(), options(), systemd::fake_factory(world),
                                 scoring_the_user_lower());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->beyond_trial, "kept as web");
  EXPECT_NE(r->dropin.find("\nUser=web\n"), std::string::npos) << r->dropin;
  EXPECT_NE(r->dropin.find("# verified as web: started as web under systemd"), std::string::npos) << r->dropin;
  EXPECT_NE(r->dropin.find("tried, refused and not needed: as web it could not read /etc/shadow"), std::string::npos)
      << r->dropin;
  EXPECT_EQ(r->dropin.find("Beyond this drop-in"), std::string::npos) << r->dropin;
  expect_sound_dropin(*r);
}

TEST(AutoLoop, KeepsRootAndSaysHowTheTrialFailed) {
  auto world = std::make_shared<FakeWorld>();
  world->exec_start = "/usr/sbin/web -d";
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "User=web"); };
  auto r = harden_until_verified(root_plan_with_trial(), options(), systemd::fake_factory(world),
                                 scoring_the_user_lower());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->beyond_trial.rfind("failed as web: ", 0), 0u) << r->beyond_trial;
  EXPECT_EQ(r->dropin.find("\nUser=web\n"), std::string::npos) << r->dropin;
  EXPECT_NE(r->dropin.find("#   - the trial as web under systemd failed: "), std::string::npos) << r->dropin;
  ASSERT_TRUE(r->plan.beyond_dropin);
  EXPECT_FALSE(r->plan.beyond_dropin->trial);
  expect_sound_dropin(*r);
}

TEST(AutoLoop, NoTrialWhenThePlanBeyondScoresNoLower) {
  auto world = std::make_shared<FakeWorld>();
  world->exec_start = "/usr/sbin/web -d";
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "User=web"); };
  auto plan = root_plan_with_trial();
  plan.exposure_after_tenths = static_cast<int>(plan.directives.size());  // as hooks() scores: the trial has one more
  auto r = harden_until_verified(plan, options(), systemd::fake_factory(world), hooks());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_TRUE(r->beyond_trial.empty()) << r->beyond_trial;
  ASSERT_TRUE(r->plan.beyond_dropin);
  EXPECT_TRUE(r->plan.beyond_dropin->trial);
}
