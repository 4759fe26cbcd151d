// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/container_network.h"

#include <gtest/gtest.h>

using namespace sdh::systemd;

TEST(ContainerNetwork, CopiesEachInterfaceWithItsAddressesOnAVethPairInside) {
  std::string s = interface_script({{"eth0", {"192.0.2.2/24", "fd00::2/64"}}, {"wlan1", {"10.1.2.3/8"}}});
  EXPECT_EQ(s,
            "link set lo up\n"
            "link add eth0 type veth peer name sdh-peer0\n"
            "address add 192.0.2.2/24 dev eth0\n"
            "address add fd00::2/64 dev eth0 nodad\n"
            "link set sdh-peer0 up\nlink set eth0 up\n"
            "link add wlan1 type veth peer name sdh-peer1\n"
            "address add 10.1.2.3/8 dev wlan1\n"
            "link set sdh-peer1 up\nlink set wlan1 up\n");
  // No route is ever written: nothing leads out.
  EXPECT_EQ(s.find("route"), std::string::npos);
}

TEST(ContainerNetwork, NamesAndAddressesThatCouldChangeTheScriptAreLeftOut) {
  EXPECT_TRUE(valid_interface_name("enp0s31f6"));
  EXPECT_TRUE(valid_interface_name("br-lan.10"));
  EXPECT_FALSE(valid_interface_name(""));
  EXPECT_FALSE(valid_interface_name("a-name-of-16-chr"));
  EXPECT_FALSE(valid_interface_name("eth0\nlink del lo"));
  EXPECT_FALSE(valid_interface_name("eth 0"));
  EXPECT_FALSE(valid_interface_name(".."));
  std::string s = interface_script({{"eth0\nlink set lo down", {"192.0.2.2/24"}},
                                    {"sdh-peer0", {"192.0.2.3/24"}},
                                    {"eth1", {"192.0.2.4/24 dev lo", "192.0.2.5/24"}}});
  EXPECT_EQ(s,
            "link set lo up\n"
            "link add eth1 type veth peer name sdh-peer0\n"
            "address add 192.0.2.5/24 dev eth1\n"
            "link set sdh-peer0 up\nlink set eth1 up\n");
}

TEST(ContainerNetwork, TheHostAlwaysGivesAnAddressBesidesLoopback) {
  auto copies = host_interfaces();
  ASSERT_FALSE(copies.empty());
  for (const auto& c : copies) {
    EXPECT_NE(c.name, "lo");
    EXPECT_FALSE(c.addresses.empty());
    for (const auto& a : c.addresses) {
      EXPECT_NE(a.rfind("fe80:", 0), 0u) << a;
      EXPECT_NE(a.find('/'), std::string::npos) << a;
    }
  }
  EXPECT_NE(describe(copies).find(copies[0].name), std::string::npos);
}
