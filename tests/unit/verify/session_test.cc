// SPDX-License-Identifier: GPL-2.0-or-later
// Login sessions as a verified property: the view a session inherits, read
// from the probe's lines, compared with and without the drop-in, and the
// directives behind each difference named.
#include "verify/session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_host.h"
#include "support/fake_verify.h"
#include "verify/verify.h"

using namespace sdh::verify;
using sdh::systemd::FakeWorld;
using namespace std::chrono_literals;

namespace {

const std::string kOpen =
    "session capbnd 000001ffffffffff\nsession nnp 0\nsession seccomp 0\nsession etc writable\n"
    "session tmp shared\nsession dev 17 entries\n";

std::string view_under(const FakeWorld::Assignments& a) {
  std::string v = kOpen;
  auto has = [&](const std::string& p) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& x) { return x.rfind(p, 0) == 0; });
  };
  if (has("CapabilityBoundingSet=")) v += "session capbnd 0000000000000400\n";
  if (has("NoNewPrivileges=yes") || has("SystemCallFilter=")) v += "session nnp 1\n";
  if (has("SystemCallFilter=")) v += "session seccomp 2\n";
  if (has("ProtectSystem=strict")) v += "session etc read-only\n";
  return v;  // the last line of a key wins, as in the probe's file
}

VerifyOptions options(const std::string& dropin) {
  VerifyOptions o = sdh::systemd::fake_verify_options("sshd.service", dropin);
  o.probe_binary = "/bin/true";  // any file: the fake never runs it
  o.sessions = true;
  return o;
}

}  // namespace

TEST(Sessions, ReadsTheProbesLinesFromTheJournalToo) {
  auto v = parse_session_view("Dec 03 sshd[9]: session capbnd 0000000000000400\nsession nnp 1\nsession bogus x\n"
                              "battery read-shadow refused EACCES\n");
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v["capbnd"], "0000000000000400");
  EXPECT_EQ(v["nnp"], "1");
}

TEST(Sessions, EachDifferenceNamesTheDirectivesBehindIt) {
  SessionView open = parse_session_view(kOpen);
  SessionView closed = parse_session_view(kOpen + "session nnp 1\nsession seccomp 2\n");
  auto dropin = *parse_dropin("[Service]\nSystemCallFilter=@system-service\nPrivateTmp=yes\n");
  auto d = session_differences(open, closed, dropin);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NE(d[0].find("sudo"), std::string::npos) << d[0];
  EXPECT_NE(d[0].find("SystemCallFilter="), std::string::npos) << d[0];
  EXPECT_NE(d[1].find("SystemCallFilter="), std::string::npos) << d[1];
  EXPECT_TRUE(session_differences(open, open, dropin).empty());
}

// An FTP or IMAP login runs no commands: it feels no bounding set nor
// no_new_privs, yet it still lives in the users' homes (the same table
// synth keeps such a daemon's drop-in by, unit/semantics.h).
TEST(Sessions, LoginsWithoutCommandsFeelOnlyWhatTheyUse) {
  SessionView open = parse_session_view(kOpen + "session home present\n");
  SessionView narrowed = parse_session_view(kOpen + "session capbnd 0000000000000400\nsession nnp 1\nsession home present\n");
  auto caps = *parse_dropin("[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\nNoNewPrivileges=yes\n");
  EXPECT_EQ(session_differences(open, narrowed, caps, true).size(), 2u);
  EXPECT_TRUE(session_differences(open, narrowed, caps, false).empty());
  SessionView no_homes = parse_session_view(kOpen + "session home absent\n");
  auto homes = *parse_dropin("[Service]\nProtectHome=yes\n");
  ASSERT_EQ(session_differences(open, no_homes, homes, false).size(), 1u);
  EXPECT_NE(session_differences(open, no_homes, homes, false)[0].find("ProtectHome="), std::string::npos);
}

// A hand-written drop-in that narrows the bounding set of an SSH server
// passes its check (a login that prints `id`), and still fails: every
// administrator's session would lose what sudo needs.
TEST(Sessions, AHandWrittenDropinThatCripplesSessionsFails) {
  auto world = std::make_shared<FakeWorld>();
  world->battery_output = view_under;
  auto v = verify_dropin(options("[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID\n"
                                 "ProtectSystem=strict\nPrivateDevices=yes\n"),
                         sdh::systemd::fake_factory(world));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->verified) << verdict_to_text(*v);
  auto item = std::find_if(v->items.begin(), v->items.end(), [](const VerdictItem& i) { return i.stage == Stage::sessions; });
  ASSERT_NE(item, v->items.end()) << verdict_to_text(*v);
  EXPECT_EQ(item->status, ItemStatus::failed);
  EXPECT_NE(item->detail.find("CapabilityBoundingSet="), std::string::npos) << item->detail;
  EXPECT_NE(item->detail.find("ProtectSystem="), std::string::npos) << item->detail;

  // A drop-in sessions do not feel passes.
  auto ok = verify_dropin(options("[Service]\nProtectKernelModules=yes\n"), sdh::systemd::fake_factory(world));
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->verified) << verdict_to_text(*ok);
  // Not a login daemon: the view is not a verdict item.
  auto plain = options("[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n");
  plain.sessions = false;
  auto daemon = verify_dropin(plain, sdh::systemd::fake_factory(world));
  ASSERT_TRUE(daemon);
  EXPECT_TRUE(std::none_of(daemon->items.begin(), daemon->items.end(),
                           [](const VerdictItem& i) { return i.stage == Stage::sessions; }));
}
