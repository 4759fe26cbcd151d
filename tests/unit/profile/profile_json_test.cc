// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "profile/profile.h"

namespace sdh::profile {
namespace {

Profile sample() {
  Profile p;
  p.command = {"/usr/bin/demo", "--flag"};
  p.architecture = "x86-64";
  p.tracer = "fake";
  p.boundary = PhaseBoundary::first_accept;
  p.events = 42;
  p.lost_events = 3;
  p.duration_seconds = 1.5;
  auto& e = executable(p, "/usr/bin/demo");
  e.elf_machine = "x86-64";
  e.processes = 2;
  e.syscalls[Phase::startup] = {"openat", "socket"};
  e.syscalls[Phase::serving] = {"accept4"};
  e.files.push_back({"/dev/null", kRead | kWrite, true, 'c', 1, 3, 4});
  e.files.push_back({"/etc/demo.conf", kRead | kStat, false, 0, 0, 0, 1});
  e.sockets.push_back({"AF_INET6", "SOCK_DGRAM", 0, 1});
  e.addresses.push_back({"sendto", "AF_INET6", "::1", 9999, 2});
  e.capabilities.push_back({"CAP_NET_BIND_SERVICE", true, false, 1});
  e.failures.push_back({"openat", 2, "/etc/missing", 1});
  e.wx_mapping = true;
  e.uid_change = true;
  e.uid_targets = {104};
  e.root_after_startup = {"/usr/sbin/demo"};
  p.credentials_tracked = true;
  e.namespaces_created = {"net"};
  e.socket_activation_fds = {3};
  return p;
}

TEST(ProfileJson, RoundTripKeepsEveryField) {
  Profile p = sample();
  auto back = profile_from_json(profile_to_json(p));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(profile_to_json(*back), profile_to_json(p));
  EXPECT_FALSE(back->complete());
  ASSERT_EQ(back->executables.size(), 1u);
  const auto& e = back->executables[0];
  EXPECT_EQ(e.syscalls.at(Phase::serving), std::set<std::string>{"accept4"});
  ASSERT_EQ(e.files.size(), 2u);
  EXPECT_TRUE(e.files[0].is_device);
  EXPECT_EQ(e.files[0].device_type, 'c');
  EXPECT_EQ(e.files[0].minor, 3u);
  EXPECT_EQ(e.files[1].access, uint32_t(kRead | kStat));
  EXPECT_EQ(e.addresses[0].port, 9999);
  EXPECT_TRUE(e.wx_mapping);
  EXPECT_EQ(e.uid_targets, std::set<uint32_t>{104});
  EXPECT_EQ(e.root_after_startup, std::set<std::string>{"/usr/sbin/demo"});
  EXPECT_TRUE(back->credentials_tracked);
  EXPECT_EQ(back->boundary, PhaseBoundary::first_accept);
}

TEST(ProfileJson, RejectsBadInput) {
  EXPECT_FALSE(profile_from_json("not json"));
  EXPECT_FALSE(profile_from_json("[]"));
  EXPECT_FALSE(profile_from_json(R"({"schema_version": 2})"));
  EXPECT_FALSE(profile_from_json(R"({"phase_boundary": "sometime"})"));
  EXPECT_FALSE(profile_from_json(R"({"executables": [{"path": 5}]})"));
  EXPECT_FALSE(profile_from_json(R"({"executables": [{"files": [{"path": "/x", "access": ["fly"]}]}]})"));
}

// A profile may come from anywhere: each wrong member is refused by name,
// never wrapped, iterated as something else or copied into a drop-in.
TEST(ProfileJson, RefusesWhatIsNotTheSchemaNamingTheMember) {
  auto why = [](const std::string& text) {
    auto p = profile_from_json(text);
    return p ? std::string("accepted") : p.error().message();
  };
  EXPECT_EQ(why(R"({"executables": "x"})"), "profile.executables: expected an array, got string");
  EXPECT_EQ(why(R"({"executables": [{"files": "x"}]})"), "profile.executables[0].files: expected an array, got string");
  EXPECT_EQ(why(R"({"runs": -1})"), "profile.runs: expected a non-negative integer, got -1");
  EXPECT_EQ(why(R"({"executables": [{"files": [{"path": "/x", "count": -3}]}]})"),
            "profile.executables[0].files[0].count: expected a non-negative integer, got -3");
  EXPECT_EQ(why(R"({"executables": [{"syscalls": {"startup": ["read", "x;ExecStart=/y"]}}]})"),
            "profile.executables[0].syscalls.startup[1]: \"x;ExecStart=/y\" is not a name (letters, digits, \"_\" and \"-\" only)");
  EXPECT_EQ(why(R"({"executables": [{"addresses": [{"port": 70000}]}]})"),
            "profile.executables[0].addresses[0].port: port out of range");
  EXPECT_EQ(why(R"({"executables": [{"path": "/a\u0000b"}]})"), "profile.executables[0].path: a string holds a NUL character");
}

// What the writer writes for a field left empty, the reader reads back
// (found by fuzz_inputs: an empty elf_machine).
TEST(ProfileJson, DefaultsRoundTrip) {
  auto p = profile_from_json(R"({"executables": [{"path": "/bin/true"}]})");
  ASSERT_TRUE(p);
  auto again = profile_from_json(profile_to_json(*p));
  ASSERT_TRUE(again) << again.error().to_string();
}

TEST(ProfileJson, MissingMembersKeepDefaults) {
  auto p = profile_from_json(R"({"executables": [{"path": "/bin/true"}]})");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->runs, 1u);
  EXPECT_TRUE(p->complete());
  EXPECT_FALSE(p->credentials_tracked);  // an older profile: user ids unknown
  ASSERT_EQ(p->executables.size(), 1u);
  EXPECT_EQ(p->executables[0].path, "/bin/true");
}

TEST(ProfileMerge, UnionsAndSums) {
  Profile a = sample();
  Profile b = sample();
  b.lost_events = 0;
  b.boundary = PhaseBoundary::none;
  auto& e = b.executables[0];
  e.syscalls[Phase::serving].insert("sendto");
  e.files[1].access = kWrite;
  e.wx_mapping = false;
  e.mounts = true;
  auto& other = executable(b, "/bin/sh");
  other.syscalls[Phase::startup] = {"execve"};

  Profile m = merge({a, b});
  EXPECT_EQ(m.runs, 2u);
  EXPECT_EQ(m.events, 84u);
  EXPECT_EQ(m.lost_events, 3u);
  EXPECT_EQ(m.boundary, PhaseBoundary::first_accept);
  ASSERT_EQ(m.executables.size(), 2u);
  EXPECT_EQ(m.executables[0].path, "/bin/sh");  // sorted by path
  const auto& d = m.executables[1];
  EXPECT_EQ(d.processes, 4u);
  EXPECT_EQ(d.syscalls.at(Phase::serving), (std::set<std::string>{"accept4", "sendto"}));
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_EQ(d.files[1].access, uint32_t(kRead | kStat | kWrite));
  EXPECT_EQ(d.files[0].count, 8u);
  EXPECT_TRUE(d.wx_mapping);
  EXPECT_TRUE(d.mounts);
  ASSERT_EQ(d.addresses.size(), 1u);
  EXPECT_EQ(d.addresses[0].count, 4u);
}

TEST(ProfileEnums, NamesRoundTrip) {
  for (auto b : {PhaseBoundary::none, PhaseBoundary::ready_notify, PhaseBoundary::first_accept,
                 PhaseBoundary::first_recv_after_listen, PhaseBoundary::marker}) {
    EXPECT_EQ(boundary_from_string(to_string(b)), b);
  }
  EXPECT_EQ(access_names(kRead | kExec), (std::vector<std::string>{"read", "exec"}));
  EXPECT_EQ(access_bit("mknod"), uint32_t(kMknod));
  EXPECT_EQ(access_bit("nope"), 0u);
}

}  // namespace
}  // namespace sdh::profile
