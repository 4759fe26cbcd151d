// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <algorithm>

#include "verify/controls.h"
#include "util/linux_names.h"

using namespace sdh::verify;
using sdh::systemd::ExecResult;

namespace {
const Control* find(const std::vector<Control>& cs, const std::string& name) {
  for (const auto& c : cs)
    if (c.name == name) return &c;
  return nullptr;
}
ExecResult out(const std::string& text) { return ExecResult{0, 0, false, text, ""}; }
}  // namespace

TEST(Controls, AddressFamilyAllowListRefusesTheOthers) {
  auto cs = plan_controls(*parse_dropin("[Service]\nRestrictAddressFamilies=AF_UNIX\n"));
  auto* c = find(cs, "address families");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(std::find(c->must_refuse.begin(), c->must_refuse.end(), "AF_INET"), c->must_refuse.end());
  EXPECT_EQ(c->must_allow, std::vector<std::string>{"AF_UNIX"});
}

TEST(Controls, OnlyClassesInTheDropinArePlanned) {
  std::vector<std::string> not_probed;
  auto cs = plan_controls(*parse_dropin("[Service]\nNoNewPrivileges=yes\nProtectClock=yes\nPrivateTmp=no\n"),
                          &not_probed);
  // ProtectClock= itself cannot be told apart in the container, but the
  // capabilities it drops (CAP_SYS_TIME, CAP_WAKE_ALARM) can.
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].name, "capabilities");
  EXPECT_EQ(cs[0].directives, std::vector<std::string>{"ProtectClock"});
  EXPECT_EQ(cs[0].must_refuse, (std::vector<std::string>{"25", "35"}));
  EXPECT_EQ(cs[1].name, "no new privileges");
  ASSERT_EQ(not_probed.size(), 1u);
  EXPECT_NE(not_probed[0].find("ProtectClock"), std::string::npos);
}

// The drop-in is read as systemd reads it: what a directive implies is
// probed, under the name of the directive that set it.
TEST(Controls, ImpliedSettingsAreProbedUnderTheirDirective) {
  auto cs = plan_controls(*parse_dropin("[Service]\nDynamicUser=yes\nReadWritePaths=-/srv\n"));
  auto* ro = find(cs, "read-only system (ProtectSystem=strict)");
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(ro->directives, std::vector<std::string>{"DynamicUser"});
  EXPECT_EQ(ro->must_refuse, (std::vector<std::string>{"/etc", "/var/lib", "/opt"}));  // /srv is granted
  EXPECT_NE(find(cs, "private /tmp"), nullptr);
  EXPECT_NE(find(cs, "unprivileged user"), nullptr);
  // A deny-list of groups refuses the probe's calls in those groups.
  auto sc = plan_controls(*parse_dropin("[Service]\nSystemCallFilter=~@debug @mount\n"));
  auto* f = find(sc, "system call filter");
  ASSERT_NE(f, nullptr);
  for (const char* call : {"ptrace", "mount", "umount2", "pivot_root"})
    EXPECT_NE(std::find(f->must_refuse.begin(), f->must_refuse.end(), call), f->must_refuse.end()) << call;
  EXPECT_EQ(std::find(f->must_refuse.begin(), f->must_refuse.end(), "reboot"), f->must_refuse.end());
}

TEST(Controls, EmptyCapabilityBoundingSetDropsEverything) {
  auto cs = plan_controls(*parse_dropin("[Service]\nCapabilityBoundingSet=\n"));
  auto* c = find(cs, "capabilities");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->must_refuse.size(), static_cast<size_t>(sdh::capability_count()));
  EXPECT_EQ(sdh::capability_number("CAP_NET_BIND_SERVICE"), 10);
}

TEST(Controls, PassesWhenRefusedInsideAndAllowedOutside) {
  auto cs = plan_controls(*parse_dropin("[Service]\nRestrictAddressFamilies=AF_UNIX\n"));
  const auto& c = *find(cs, "address families");
  auto plain = out("socket AF_UNIX ok 0\nsocket AF_INET ok 0\n");
  auto boxed = out("socket AF_UNIX ok 0\nsocket AF_INET refused EAFNOSUPPORT\n");
  EXPECT_EQ(evaluate_control(c, boxed, plain).status, ItemStatus::passed);
}

TEST(Controls, FailsWhenTheSandboxDoesNotRefuse) {
  auto cs = plan_controls(*parse_dropin("[Service]\nRestrictAddressFamilies=AF_UNIX\n"));
  const auto& c = *find(cs, "address families");
  auto plain = out("socket AF_UNIX ok 0\nsocket AF_INET ok 0\n");
  auto o = evaluate_control(c, plain, plain);
  EXPECT_EQ(o.status, ItemStatus::failed);
  EXPECT_NE(o.detail.find("NOT refused: AF_INET"), std::string::npos);
}

TEST(Controls, InconclusiveWhenRefusedEvenWithoutTheSandbox) {
  auto cs = plan_controls(*parse_dropin("[Service]\nMemoryDenyWriteExecute=yes\n"));
  const auto& c = *find(cs, "W^X memory");
  auto refused = out("wx anonymous refused EPERM\n");
  EXPECT_EQ(evaluate_control(c, refused, refused).status, ItemStatus::inconclusive);
}

TEST(Controls, OutputDiffersMode) {
  auto cs = plan_controls(*parse_dropin("[Service]\nPrivateNetwork=yes\n"));
  const auto& c = *find(cs, "private network");
  EXPECT_EQ(evaluate_control(c, out("net:[2]\n"), out("net:[1]\n")).status, ItemStatus::passed);
  EXPECT_EQ(evaluate_control(c, out("net:[1]\n"), out("net:[1]\n")).status, ItemStatus::failed);
}

TEST(Controls, ParsesProbeLines) {
  auto lines = parse_probe_output("syscall ptrace killed SIGSYS\nnoise\nsocket AF_INET ok 0\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].killed);
  EXPECT_FALSE(lines[0].ok);
  EXPECT_TRUE(lines[1].ok);
}

// An allow-list names no call the probe must see refused; when the probe
// cannot make any of them even without the sandbox (it runs as the unit's
// unprivileged account), the control cannot tell, and must not say "failed".
TEST(Controls, UnprovenWhenTheProbeCannotActEvenWithoutTheSandbox) {
  auto cs = plan_controls(*parse_dropin("[Service]\nSystemCallFilter=@system-service\n"));
  const auto& c = *find(cs, "system call filter");
  ASSERT_TRUE(c.must_refuse.empty());
  auto refused = out("syscall ptrace refused EPERM\nsyscall mount refused EPERM\n");
  auto o = evaluate_control(c, refused, refused);
  EXPECT_EQ(o.status, ItemStatus::inconclusive) << o.detail;
  EXPECT_NE(o.detail.find("unproven here"), std::string::npos) << o.detail;
  // The same control fails when the probe could make a call and the sandbox let it.
  auto plain = out("syscall ptrace ok 0\nsyscall mount refused EPERM\n");
  EXPECT_EQ(evaluate_control(c, plain, plain).status, ItemStatus::failed);
  auto boxed = out("syscall ptrace refused EPERM\nsyscall mount refused EPERM\n");
  EXPECT_EQ(evaluate_control(c, boxed, plain).status, ItemStatus::passed);
}
