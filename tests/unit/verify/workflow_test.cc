// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support/fake_host.h"
#include "support/fake_verify.h"
#include "verify/bisect.h"
#include "verify/verify.h"

using namespace sdh::verify;
using namespace sdh::systemd;
using namespace std::chrono_literals;

namespace {

bool has(const FakeWorld::Assignments& a, const std::string& s) { return std::find(a.begin(), a.end(), s) != a.end(); }

VerifyOptions options(const std::string& dropin) { return fake_verify_options("web.service", dropin); }

const std::string kDropin =
    "[Service]\nProtectSystem=strict\nPrivateTmp=yes\nRestrictAddressFamilies=AF_UNIX\nNoNewPrivileges=yes\n"
    "ProtectHome=yes\nLockPersonality=yes\n";

}  // namespace

TEST(Ddmin, FindsTheMinimalPair) {
  int calls = 0;
  auto fails = [&](const std::vector<size_t>& s) {
    ++calls;
    return std::count(s.begin(), s.end(), 3u) && std::count(s.begin(), s.end(), 11u);
  };
  auto r = ddmin(16, fails);
  EXPECT_EQ(r, (std::vector<size_t>{3, 11}));
  EXPECT_LT(calls, 60);
}

TEST(Ddmin, SingleCulprit) {
  auto r = ddmin(9, [](const std::vector<size_t>& s) { return std::count(s.begin(), s.end(), 8u) > 0; });
  EXPECT_EQ(r, std::vector<size_t>{8});
}

TEST(Verify, PassesWhenEverythingHolds) {
  auto world = std::make_shared<FakeWorld>();
  auto v = verify_dropin(options(kDropin), fake_factory(world));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->verified) << verdict_to_text(*v);
  EXPECT_EQ(world->boots, 2);
  EXPECT_TRUE(world->last_files.count("/etc/systemd/system/web.service.d/50-sdharden.conf"));
  std::string j = verdict_to_json(*v);
  EXPECT_NE(j.find("\"schema_version\": 1"), std::string::npos) << j;
  EXPECT_NE(j.find("\"verified\": true"), std::string::npos) << j;
}

TEST(Verify, TheBaselineIsKeptAcrossDropinsOfOneUnit) {
  auto world = std::make_shared<FakeWorld>();
  auto o = options(kDropin);
  o.baseline_cache = std::make_shared<BaselineCache>();
  auto first = verify_dropin(o, fake_factory(world));
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->verified);
  EXPECT_EQ(world->boots, 2);
  o.dropin_text = "[Service]\nPrivateTmp=yes\n";
  auto second = verify_dropin(o, fake_factory(world));
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->verified) << verdict_to_text(*second);
  EXPECT_EQ(world->boots, 3);  // the hardened run only
  EXPECT_NE(verdict_to_text(*second).find("from this unit's earlier run"), std::string::npos);
  // A baseline that fails is not kept: the next verification tries again.
  auto broken = std::make_shared<FakeWorld>();
  broken->check_fails = [](const FakeWorld::Assignments&) { return true; };
  auto b = options(kDropin);
  b.baseline_cache = std::make_shared<BaselineCache>();
  b.check_grace = 0ms;
  ASSERT_TRUE(verify_dropin(b, fake_factory(broken)));
  EXPECT_FALSE(b.baseline_cache->run.has_value());
}

TEST(Verify, BaselineCheckFailureIsAClearError) {
  auto world = std::make_shared<FakeWorld>();
  world->check_fails = [](const FakeWorld::Assignments&) { return true; };
  auto v = verify_dropin(options(kDropin), fake_factory(world));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->verified);
  EXPECT_NE(v->error.find("check itself fails"), std::string::npos);
  EXPECT_EQ(world->boots, 1);  // no hardened run
}

TEST(Verify, BrokenServiceAndDirectiveNotInEffectFail) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "RestrictAddressFamilies=AF_UNIX"); };
  auto v = verify_dropin(options(kDropin), fake_factory(world));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->verified);
  auto world2 = std::make_shared<FakeWorld>();
  world2->hidden_properties = {"ProtectSystem"};
  auto v2 = verify_dropin(options("[Service]\nProtectSystem=strict\n"), fake_factory(world2));
  ASSERT_TRUE(v2);
  EXPECT_FALSE(v2->verified);
}

TEST(Verify, WorkloadMustSucceedUnderTheDropinAndLeaveTheServiceUp) {
  auto o = options(kDropin);
  o.workload = "workload";
  auto fine = std::make_shared<FakeWorld>();
  auto v = verify_dropin(o, fake_factory(fine));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->verified) << verdict_to_text(*v);
  EXPECT_NE(verdict_to_text(*v).find("the workload too"), std::string::npos);

  // A reload that the sandbox breaks: the workload fails only with the drop-in.
  auto failing = std::make_shared<FakeWorld>();
  failing->workload_fails = [](const FakeWorld::Assignments& a) { return has(a, "ProtectSystem=strict"); };
  v = verify_dropin(o, fake_factory(failing));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->verified);
  EXPECT_NE(verdict_to_text(*v).find("the workload failed"), std::string::npos) << verdict_to_text(*v);

  // A log reopen that kills the daemon: the workload "succeeds", the unit is gone.
  auto killing = std::make_shared<FakeWorld>();
  killing->workload_kills = [](const FakeWorld::Assignments& a) { return has(a, "PrivateTmp=yes"); };
  v = verify_dropin(o, fake_factory(killing));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->verified);
  EXPECT_NE(verdict_to_text(*v).find("did not survive the workload"), std::string::npos) << verdict_to_text(*v);

  // Without the workload option, the same world verifies (the check alone passes).
  v = verify_dropin(options(kDropin), fake_factory(killing));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->verified);
}

TEST(Verify, DirectiveItemCompares) {
  Directive d{"Service", "RestrictAddressFamilies", "AF_INET AF_INET6", 1};
  EXPECT_EQ(directive_item(d, {{"RestrictAddressFamilies", "AF_INET AF_INET6"}}, {}).status, ItemStatus::passed);
  EXPECT_EQ(directive_item(d, {{"RestrictAddressFamilies", ""}}, {{"RestrictAddressFamilies", ""}}).status,
            ItemStatus::failed);
  // An empty allow-list shows as nothing, like no list: it cannot be read
  // back, and must not be called "not in effect" (it was removed for that).
  Directive none{"Service", "RestrictAddressFamilies", "none", 1};
  EXPECT_EQ(directive_item(none, {{"RestrictAddressFamilies", ""}}, {{"RestrictAddressFamilies", ""}}).status,
            ItemStatus::inconclusive);
  Directive b{"Service", "NoNewPrivileges", "true", 2};
  EXPECT_EQ(directive_item(b, {{"NoNewPrivileges", "yes"}}, {}).status, ItemStatus::passed);
  EXPECT_EQ(directive_item(b, {{"NoNewPrivileges", "no"}}, {}).status, ItemStatus::failed);
  EXPECT_EQ(directive_item(b, {}, {}).status, ItemStatus::inconclusive);
  // A command line is in effect when listed with its prefixes' flags, even
  // one that has not run (an ExecStopPost= before the stop).
  Directive x{"Service", "ExecStopPost", "!-/usr/libexec/helper teardown", 3};
  const std::string listed = "{ path=/usr/libexec/helper ; argv[]=/usr/libexec/helper teardown ; flags=ignore-failure "
                             "no-setuid ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }";
  EXPECT_EQ(x.property(), "ExecStopPostEx");
  EXPECT_EQ(directive_item(x, {{"ExecStopPostEx", listed}}, {}).status, ItemStatus::passed);
  const std::string plain = "{ path=/usr/libexec/helper ; argv[]=/usr/libexec/helper teardown ; flags=ignore-failure "
                            "; start_time=[n/a] }";
  EXPECT_EQ(directive_item(x, {{"ExecStopPostEx", plain}}, {{"ExecStopPostEx", plain}}).status, ItemStatus::failed);
}

TEST(Bisect, NamesTheSingleBreakingDirective) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "RestrictAddressFamilies=AF_UNIX"); };
  world->journal_on_failure = "python3[67]: OSError: [Errno 97] Address family not supported by protocol\n";
  auto r = bisect_dropin(options(kDropin), fake_factory(world), BisectOptions{false});
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->full_dropin_fails);
  ASSERT_EQ(r->culprit.size(), 1u);
  EXPECT_EQ(r->culprit[0].assignment(), "RestrictAddressFamilies=AF_UNIX");
  ASSERT_FALSE(r->denied.empty());
  EXPECT_EQ(r->denied[0].error, "EAFNOSUPPORT");
  EXPECT_EQ(r->diagnosis_method, "journal");
}

TEST(Bisect, InteractionOfTwoDirectives) {
  auto world = std::make_shared<FakeWorld>();
  world->check_fails = [](const FakeWorld::Assignments& a) {
    return has(a, "PrivateTmp=yes") && has(a, "ProtectHome=yes");
  };
  auto r = bisect_dropin(options(kDropin), fake_factory(world), BisectOptions{false});
  ASSERT_TRUE(r);
  std::set<std::string> got;
  for (const auto& d : r->culprit) got.insert(d.assignment());
  EXPECT_EQ(got, (std::set<std::string>{"PrivateTmp=yes", "ProtectHome=yes"}));
}

TEST(Bisect, GrantingDirectivesRideAlongInEveryTrial) {
  // ProtectSystem=strict alone breaks the service; with its ReadWritePaths=
  // it does not. The real culprit is StateDirectory= (it takes the directory
  // from the daemon's own user); a trial without the grant must not blame
  // ProtectSystem=.
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) {
    bool strict_without_run = has(a, "ProtectSystem=strict") && !has(a, "ReadWritePaths=-/run");
    return strict_without_run || has(a, "StateDirectory=unbound");
  };
  auto r = bisect_dropin(
      options("[Service]\nProtectSystem=strict\nStateDirectory=unbound\nReadWritePaths=-/run\nPrivateTmp=yes\n"),
      fake_factory(world), BisectOptions{false});
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->full_dropin_fails);
  ASSERT_EQ(r->culprit.size(), 1u);
  EXPECT_EQ(r->culprit[0].assignment(), "StateDirectory=unbound");
}

TEST(Bisect, WorkloadRunsInTrialsOnlyWhenTheFailureNeedsIt) {
  auto o = options(kDropin);
  o.workload = "workload";
  // Broken at start: the baseline runs the workload once, no trial does.
  auto at_start = std::make_shared<FakeWorld>();
  at_start->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "ProtectHome=yes"); };
  auto r = bisect_dropin(o, fake_factory(at_start));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->culprit.size(), 1u);
  EXPECT_EQ(r->culprit[0].key, "ProtectHome");
  EXPECT_EQ(at_start->workload_runs, 1);
  // Broken by the workload (a reload): every trial needs it to tell.
  auto in_workload = std::make_shared<FakeWorld>();
  in_workload->workload_fails = [](const FakeWorld::Assignments& a) { return has(a, "PrivateTmp=yes"); };
  r = bisect_dropin(o, fake_factory(in_workload));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->culprit.size(), 1u);
  EXPECT_EQ(r->culprit[0].key, "PrivateTmp");
  EXPECT_NE(r->full_failure.find("the workload failed"), std::string::npos) << r->full_failure;
  EXPECT_GT(in_workload->workload_runs, 3);
}

TEST(Bisect, NothingToDoWhenTheDropinWorks) {
  auto world = std::make_shared<FakeWorld>();
  auto r = bisect_dropin(options(kDropin), fake_factory(world), BisectOptions{false});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->full_dropin_fails);
  EXPECT_EQ(r->runs, 2);
}

TEST(Fallback, NewFailuresIgnoreBaselineAndTheManager) {
  sdh::profile::Profile base, hard;
  sdh::profile::ExecutableProfile nginx;
  nginx.path = "/usr/sbin/nginx";
  nginx.failures = {{"openat", ENOENT, "/etc/x", 1}};
  base.executables = {nginx};
  nginx.failures.push_back({"socket", EAFNOSUPPORT, "AF_INET6", 1});
  nginx.failures.push_back({"openat", EEXIST, "/run/y", 1});
  sdh::profile::ExecutableProfile manager;
  manager.path = "/usr/lib/systemd/systemd";
  manager.failures = {{"mkdirat", EPERM, "/run/systemd", 1}};
  hard.executables = {nginx, manager};
  auto d = new_failures(base, hard);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "/usr/sbin/nginx: socket(AF_INET6) -> EAFNOSUPPORT");
}

// A reset followed by the values is one list: read back as the values, not
// as "no capabilities left" (the reset line alone).
TEST(Verify, AResetLineIsReadBackWithTheValuesAfterIt) {
  const std::string dropin = "[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_CHOWN CAP_SETUID\n";
  auto world = std::make_shared<FakeWorld>();
  auto v = verify_dropin(options(dropin), fake_factory(world));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->verified) << verdict_to_text(*v);
  auto directives = *parse_dropin(dropin);
  auto read = values_to_read_back(directives);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].value, "CAP_CHOWN CAP_SETUID");
  // What a later reset takes back is not read back at all.
  auto twice = values_to_read_back(
      *parse_dropin("[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_A\nCapabilityBoundingSet=\n"
                    "CapabilityBoundingSet=CAP_B\n"));
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_EQ(twice[0].value, "CAP_B");
  // A reset that stays a reset is still checked as one.
  auto alone = values_to_read_back(*parse_dropin("[Service]\nCapabilityBoundingSet=\n"));
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(directive_item(alone[0], {{"CapabilityBoundingSet", "cap_chown"}}, {}).status, ItemStatus::failed);
}

// The probes run as the unit's own account, with and without the drop-in.
TEST(Verify, ControlsRunWithTheUnitsOwnAccount) {
  Properties shown = {{"User", "prosody"}, {"Group", ""}, {"DynamicUser", "no"},
                               {"SupplementaryGroups", "ssl-cert"}};
  auto own = credentials_of(shown);
  EXPECT_EQ(own, (std::vector<std::string>{"User=prosody", "SupplementaryGroups=ssl-cert"}));
  EXPECT_EQ(credentials_of({{"DynamicUser", "yes"}}), (std::vector<std::string>{"DynamicUser=yes"}));
  EXPECT_TRUE(credentials_of({}).empty());
}

// With no operation named, a culprit costs nothing until it fails again
// (twice) and the bare unit passes again (twice).
TEST(Bisect, AnUnnamedFailureIsReproducedBeforeItBlamesADirective) {
  auto steady = std::make_shared<FakeWorld>();
  steady->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "ProtectSystem=strict"); };
  auto r = bisect_dropin(options(kDropin), fake_factory(steady), BisectOptions{false});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->culprit.size(), 1u);
  EXPECT_TRUE(r->denied.empty());
  EXPECT_TRUE(r->confirmed) << r->confirmation;
  EXPECT_EQ(r->confirmation, "the culprit failed 3 of 3 runs, the unit without a drop-in passed 3 of 3");

  // The same failure, but it goes away after a few starts under the
  // directive (a check that was racing the start).
  auto flaky = std::make_shared<FakeWorld>();
  auto starts = std::make_shared<int>(0);
  flaky->start_fails = [starts](const FakeWorld::Assignments& a) {
    return has(a, "ProtectSystem=strict") && ++*starts <= 3;
  };
  auto f = bisect_dropin(options(kDropin), fake_factory(flaky), BisectOptions{false});
  ASSERT_TRUE(f);
  ASSERT_FALSE(f->culprit.empty());
  EXPECT_FALSE(f->confirmed) << f->confirmation;
  EXPECT_NE(bisect_to_text(*f).find("NOT CONFIRMED"), std::string::npos) << bisect_to_text(*f);
}

// A call the filter refused returns with its errno: the trial's profile
// names it where no trace could run and the journal says nothing useful.
TEST(Bisect, TheTrialsProfileNamesTheRefusedCall) {
  sdh::profile::Profile baseline, hardened;
  sdh::profile::ExecutableProfile daemon;
  daemon.path = "/usr/sbin/rngd";
  daemon.failures.push_back({"openat", ENOENT, "/etc/rngd.conf", 1});  // in both: not news
  baseline.executables.push_back(daemon);
  daemon.failures.push_back({"ioctl", EPERM, "", 3});                  // the filter's answer
  daemon.failures.push_back({"socket", EAFNOSUPPORT, "AF_NETLINK", 1});
  hardened.executables.push_back(daemon);
  sdh::profile::ExecutableProfile manager;
  manager.path = "/usr/lib/systemd/systemd";
  manager.failures.push_back({"mkdir", EPERM, "/run/x", 1});           // systemd's own set-up
  hardened.executables.push_back(manager);
  auto d = profile_denials(baseline, hardened);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].syscall, "ioctl");
  EXPECT_EQ(d[0].error, "EPERM");
  EXPECT_EQ(d[0].source, "profile");
  EXPECT_EQ(d[1].family, "AF_NETLINK");
  EXPECT_TRUE(profile_denials(hardened, hardened).empty());
}

// PrivateNetwork= refuses nothing: the interface a traffic monitor reads is
// simply not there. What failed only under the culprit, whatever the errno,
// names it when no refusal does.
TEST(Bisect, WhatFailedOnlyUnderTheCulpritNamesAFailureWithoutARefusal) {
  sdh::profile::Profile baseline, hardened;
  sdh::profile::ExecutableProfile daemon;
  daemon.path = "/usr/sbin/vnstatd";
  daemon.failures.push_back({"openat", ENOENT, "/etc/vnstat.d", 1});  // in both
  baseline.executables.push_back(daemon);
  daemon.failures.push_back({"openat", ENOENT, "/sys/class/net/eth0/statistics/rx_bytes", 2});
  hardened.executables.push_back(daemon);
  EXPECT_TRUE(profile_denials(baseline, hardened).empty());  // no refusal
  auto d = profile_denials(baseline, hardened, false);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].error, "ENOENT");
  EXPECT_EQ(d[0].path, "/sys/class/net/eth0/statistics/rx_bytes");
}

// libsystemd asks for SO_SNDBUFFORCE and goes on with SO_SNDBUF when refused:
// that refusal shows under the culprit, yet it is not why the service fails.
TEST(Bisect, ARefusalTheServiceFallsBackFromIsNotBlamed) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) { return has(a, "ProtectSystem=strict"); };
  world->exec_start = "/usr/lib/systemd/systemd-journal-gatewayd";
  world->strace_output = [](const FakeWorld::Assignments& a) -> std::string {
    return has(a, "ProtectSystem=strict")
               ? "5 setsockopt(3, SOL_SOCKET, SO_SNDBUFFORCE, [8388608], 4) = -1 EPERM (Operation not permitted)\n"
               : "";
  };
  auto r = bisect_dropin(options(kDropin), fake_factory(world));
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->culprit.size(), 1u);
  EXPECT_TRUE(r->denied.empty()) << bisect_to_text(*r);
  ASSERT_EQ(r->fallbacks.size(), 1u);
  EXPECT_EQ(r->fallbacks[0].error, "EPERM");
  // Unnamed, so reproduced before it is blamed.
  EXPECT_EQ(r->confirmation, "the culprit failed 3 of 3 runs, the unit without a drop-in passed 3 of 3");
  EXPECT_NE(bisect_to_text(*r).find("not blamed: setsockopt"), std::string::npos) << bisect_to_text(*r);
}

namespace {
// A profiler that hands back the same profile after every run.
class CannedObserver : public RunObserver {
 public:
  explicit CannedObserver(sdh::profile::Profile p) : p_(std::move(p)) {}
  void before_start(ServiceHost&, const std::string&) override {}
  std::optional<sdh::profile::Profile> after_run(ServiceHost&) override { return p_; }

 private:
  sdh::profile::Profile p_;
};
}  // namespace

// A unit that fails even without the drop-in: its own run says what it
// missed in the container that this machine has.
TEST(Verify, AFailingBaselineSaysWhereTheContainerDiffers) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments&) { return true; };
  sdh::profile::Profile failed;
  sdh::profile::ExecutableProfile daemon;
  daemon.path = "/usr/sbin/web";
  daemon.failures.push_back({"connect", ECONNREFUSED, "127.0.0.1:5432", 3});
  daemon.failures.push_back({"connect", ENOENT, "/run/postgresql/.s.PGSQL.5432", 1});
  daemon.failures.push_back({"openat", ENOENT, "/etc/web/optional.conf", 1});  // missing here too
  failed.executables.push_back(daemon);
  auto o = options(kDropin);
  o.observer = std::make_shared<CannedObserver>(failed);
  o.on_machine = [](const std::string& p) { return p == "/run/postgresql/.s.PGSQL.5432"; };
  auto v = verify_dropin(o, fake_factory(world));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->verified);
  EXPECT_NE(v->error.find("connect(127.0.0.1:5432) -> ECONNREFUSED: nothing listens there"), std::string::npos)
      << v->error;
  EXPECT_NE(v->error.find("/run/postgresql/.s.PGSQL.5432 exists on this machine"), std::string::npos) << v->error;
  EXPECT_EQ(v->error.find("optional.conf"), std::string::npos) << v->error;
  ASSERT_FALSE(v->items.empty());
  EXPECT_NE(v->items[0].detail.find("differs"), std::string::npos) << v->items[0].detail;
}

// A unit that runs as its own account: the probe, as that account, cannot
// ask for SCHED_RR even without the sandbox. Root's run then shows whether
// RestrictRealtime= is applied, instead of leaving it unproven.
TEST(Verify, AControlTheUnitsAccountCannotTellIsShownOnRoot) {
  for (bool applied : {true, false}) {
    auto world = std::make_shared<FakeWorld>();
    world->unit_properties = {{"User", "radicale"}};
    world->probe = [applied](const FakeWorld::Assignments& a, const std::vector<std::string>& argv) {
      sdh::systemd::ExecResult r{0};
      if (argv.size() < 2 || argv[1] != "realtime") return r;
      bool refused = has(a, "User=radicale") || (applied && has(a, "RestrictRealtime=yes"));
      r.out = refused ? "realtime SCHED_RR refused EPERM\n" : "realtime SCHED_RR ok 0\n";
      return r;
    };
    auto o = options("[Service]\nRestrictRealtime=yes\n");
    o.probe_binary = "/bin/true";
    o.containment_battery = false;
    auto v = verify_dropin(o, fake_factory(world));
    ASSERT_TRUE(v);
    const VerdictItem* item = nullptr;
    for (const auto& i : v->items)
      if (i.stage == Stage::negative_control && i.name == "realtime scheduling") item = &i;
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(item->status, applied ? ItemStatus::passed : ItemStatus::failed) << item->detail;
    EXPECT_NE(item->detail.find("on root's credentials: as User=radicale"), std::string::npos) << item->detail;
  }
}
