// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/container_network.h"

#include <gtest/gtest.h>

using namespace sdh::systemd;

TEST(ContainerNetwork, CopiesEachInterfaceWithItsAddressesOnAVethPairInside) {
  std::string s = interface_script({{"eth0", {"192.0.2.2/24", "fd00::2/64"}}, {"wlan1", {"10.1.2.3/8"}}});
  EXPECT_EQ(s,
            "link set dev lo up\n"
            "link add name eth0 type veth peer name sdh-peer0\n"
            "address add 192.0.2.2/24 dev eth0\n"
            "address add fd00::2/64 dev eth0 nodad\n"
            "link set dev sdh-peer0 up\nlink set dev eth0 up\n"
            "link add name wlan1 type veth peer name sdh-peer1\n"
            "address add 10.1.2.3/8 dev wlan1\n"
            "link set dev sdh-peer1 up\nlink set dev wlan1 up\n");
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
  EXPECT_FALSE(valid_interface_name("-force"));
  std::string s = interface_script({{"eth0\nlink set lo down", {"192.0.2.2/24"}},
                                    {"sdh-peer0", {"192.0.2.3/24"}},
                                    {"eth1", {"192.0.2.4/24 dev lo", "192.0.2.5/24"}}});
  EXPECT_EQ(s,
            "link set dev lo up\n"
            "link add name eth1 type veth peer name sdh-peer0\n"
            "address add 192.0.2.5/24 dev eth1\n"
            "link set dev sdh-peer0 up\nlink set dev eth1 up\n");
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

TEST(ContainerNetwork, NameserversAreReadAsAddressesOnly) {
  // A resolver on loopback is left alone (a DNS server under test may be
  // it), and one named twice is answered once.
  auto s = nameservers("# comment\nnameserver 10.255.255.53\nnameserver fd00::53\nnameserver evil;rm\n"
                       "search example.test\nnameserver 127.0.0.53\nnameserver ::1\nnameserver 10.255.255.53\n");
  EXPECT_EQ(s, (std::vector<std::string>{"10.255.255.53", "fd00::53"}));
  EXPECT_EQ(nameserver_script(s), "address add 10.255.255.53/32 dev lo\naddress add fd00::53/128 dev lo nodad\n");
}

namespace {
// A query for "localhost" AAAA with an EDNS record, as glibc sends it.
std::string query(uint8_t flags_hi = 0x01) {
  std::string q = {'\x12', '\x34', static_cast<char>(flags_hi), '\x00', '\x00', '\x01', '\x00', '\x00',
                   '\x00', '\x00', '\x00', '\x01'};
  q += std::string("\x09localhost\x00", 11);
  q += std::string("\x00\x1c\x00\x01", 4);                      // AAAA, IN
  q += std::string("\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 11);  // OPT
  return q;
}
}  // namespace

TEST(ContainerNetwork, EveryQueryIsAnsweredNoSuchName) {
  auto a = no_such_name(query());
  ASSERT_TRUE(a.has_value());
  std::string q = query();
  EXPECT_EQ(a->substr(0, 2), "\x12\x34");                       // the same id
  EXPECT_EQ(static_cast<uint8_t>((*a)[2]), 0x81);               // a response, recursion desired kept
  EXPECT_EQ(static_cast<uint8_t>((*a)[3]) & 0x0f, 3);           // NXDOMAIN
  EXPECT_EQ(a->substr(4, 8), std::string("\0\1\0\0\0\0\0\0", 8));  // 1 question, nothing else
  EXPECT_EQ(a->substr(12), q.substr(12, 15));                   // the question, without the OPT record
  // Not a query, or not well formed: no answer.
  EXPECT_FALSE(no_such_name(query(0x81)).has_value());          // a response
  EXPECT_FALSE(no_such_name(query(0x09)).has_value());          // opcode 1
  EXPECT_FALSE(no_such_name(q.substr(0, 11)).has_value());
  EXPECT_FALSE(no_such_name(q.substr(0, 24)).has_value());      // question cut short
  std::string loop = q;
  loop[12] = '\xc0';                                            // a compression pointer
  EXPECT_FALSE(no_such_name(loop).has_value());
  std::string two = q;
  two[5] = 2;
  EXPECT_FALSE(no_such_name(two).has_value());
}
