// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_host.h"

using namespace sdh::systemd;
using namespace std::chrono_literals;

TEST(FakeHost, StartFollowsTheWorldRuleOnInstalledDropins) {
  auto world = std::make_shared<FakeWorld>();
  world->start_fails = [](const FakeWorld::Assignments& a) {
    return std::find(a.begin(), a.end(), "PrivateNetwork=yes") != a.end();
  };
  FakeHost host(world);
  EXPECT_TRUE(host.start("a.service"));
  EXPECT_EQ(*host.active_state("a.service"), "active");
  ASSERT_TRUE(host.install_dropin("a.service", "50-x.conf", "[Service]\nPrivateNetwork=yes\n"));
  EXPECT_EQ(host.dropin_assignments("a.service"), FakeWorld::Assignments{"PrivateNetwork=yes"});
  EXPECT_FALSE(host.restart("a.service"));
  EXPECT_EQ(*host.active_state("a.service"), "failed");
  EXPECT_FALSE(*host.is_active("a.service"));
  EXPECT_EQ(world->starts, 2);
}

TEST(FakeHost, CheckPassesOnlyWhileActive) {
  auto world = std::make_shared<FakeWorld>();
  FakeHost host(world);
  EXPECT_FALSE(host.run("check", 1s)->ok());
  ASSERT_TRUE(host.start("a.service"));
  EXPECT_TRUE(host.run("check", 1s)->ok());
  EXPECT_EQ(host.run("other", 1s)->exit_code, 127);
}

TEST(FakeHost, ShowReportsDropinValuesExceptHiddenOnes) {
  auto world = std::make_shared<FakeWorld>();
  world->hidden_properties = {"ProtectHome"};
  FakeHost host(world);
  ASSERT_TRUE(host.install_dropin("a.service", "50-x.conf", "[Service]\nProtectSystem=strict\nProtectHome=yes\n"));
  auto p = host.show("a.service", {"ProtectSystem", "ProtectHome"});
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)["ProtectSystem"], "strict");
  EXPECT_EQ((*p)["ProtectHome"], "");
}

#include "systemd/bus_host.h"

// BusHost needs PID 1 to be systemd; where it is not, connecting must say
// what to do instead rather than fail obscurely.
TEST(BusHost, ConnectExplainsWhenPid1IsNotSystemd) {
  if (booted_with_systemd()) GTEST_SKIP() << "PID 1 is systemd here; the bus path is exercised by --in host";
  auto h = BusHost::connect();
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().to_string().find("--in container"), std::string::npos);
}
