// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "verify/diagnose.h"

using namespace sdh::verify;

TEST(Diagnose, SeccompAuditLineNamesTheSyscall) {
  auto d = seccomp_kills(
      "audit: type=1326 audit(1795459199.798:2): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=7517 "
      "comm=\"python3\" exe=\"/usr/bin/python3.11\" sig=31 arch=c000003e syscall=41 compat=0 ip=0x7f3e50827dc7 "
      "code=0x80000000\nunrelated line\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].operation, "socket()");
  EXPECT_EQ(d[0].error, "SIGSYS");
}

TEST(Diagnose, StraceFailuresAndKills) {
  auto d = traced_denials(
      "67 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = -1 EAFNOSUPPORT (Address family not supported)\n"
      "67 openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
      "68 mount(\"x\", 0x7ffd1234 <unfinished ...>\n"
      "68 +++ killed by SIGSYS +++\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].operation, "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP)");
  EXPECT_EQ(d[0].error, "EAFNOSUPPORT");
  EXPECT_EQ(d[1].error, "SIGSYS");
  EXPECT_EQ(d[1].operation.rfind("mount(", 0), 0u);
}

TEST(Diagnose, OnlyInDropsWhatTheBaselineAlsoDid) {
  std::vector<DeniedOperation> hardened = {{"a()", "EPERM", "trace", ""}, {"b()", "EACCES", "trace", ""}};
  std::vector<DeniedOperation> baseline = {{"a()", "EPERM", "trace", ""}};
  auto d = only_in(hardened, baseline);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].operation, "b()");
}

TEST(Diagnose, JournalPatterns) {
  auto d = journal_denials("x: OSError: [Errno 97] Address family not supported by protocol\nfine\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].error, "EAFNOSUPPORT");
}

TEST(Diagnose, OperandsOfATracedDenial) {
  auto d = traced_denials(
      "77 openat(AT_FDCWD, \"/run/web/a-very-long-name-that-goes-on-and-on-and-on/and-on-further/web.pid\", "
      "O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 EROFS (Read-only file system)\n"
      "78 socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = -1 EAFNOSUPPORT (Address family not supported)\n"
      "79 bind(4, {sa_family=AF_UNIX, sun_path=\"/run/web.sock\"}, 110) = -1 EROFS (Read-only file system)\n");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].syscall, "openat");
  // The path comes whole from the call, though the operation text is shortened.
  EXPECT_EQ(d[0].path, "/run/web/a-very-long-name-that-goes-on-and-on-and-on/and-on-further/web.pid");
  EXPECT_NE(d[0].operation.find("..."), std::string::npos);
  EXPECT_EQ(d[1].syscall, "socket");
  EXPECT_EQ(d[1].family, "AF_INET6");
  EXPECT_TRUE(d[1].path.empty());
  EXPECT_EQ(d[2].syscall, "bind");
  EXPECT_EQ(d[2].path, "/run/web.sock");
  EXPECT_TRUE(d[2].family.empty());
}

TEST(Diagnose, SeccompKillsAreNamedForTheCallersArchitecture) {
  // Number 101 is ptrace on x86-64 and ioperm on i386.
  auto d = seccomp_kills(
      "audit: type=1326 audit(1.1:2): pid=7 comm=\"a\" exe=\"/a\" sig=31 arch=c000003e syscall=101 compat=0\n"
      "audit: type=1326 audit(1.1:3): pid=8 comm=\"b\" exe=\"/b\" sig=31 arch=40000003 syscall=101 compat=1\n"
      "audit: type=1326 audit(1.1:4): pid=9 comm=\"c\" exe=\"/c\" sig=31 arch=c000003e syscall=99999 compat=0\n");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].syscall, "ptrace");
  EXPECT_EQ(d[1].syscall, "ioperm");
  EXPECT_EQ(d[2].syscall, "");
  EXPECT_EQ(d[2].operation, "syscall 99999()");
}

// Numbers too large for any type (a garbled log line) are skipped, not thrown
// (found by fuzz_inputs).
TEST(Diagnose, SeccompKillsSkipOverlongNumbers) {
  auto d = seccomp_kills(
      "audit: type=1326 audit(1.1:2): pid=7 comm=\"a\" sig=31 arch=c000003BBBBBBBBBBBBBBBBBBBBBBBB syscall=1 compat=0\n"
      "audit: type=1326 audit(1.1:3): pid=7 comm=\"a\" sig=31 arch=c000003e syscall=99999999999999999999 compat=0\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].syscall, "write");
}

TEST(Diagnose, DocumentedFallbacksAreSetAside) {
  auto traced = traced_denials(
      "5 setsockopt(3, SOL_SOCKET, SO_SNDBUFFORCE, [8388608], 4) = -1 EPERM (Operation not permitted)\n"
      "5 setsockopt(3, SOL_SOCKET, SO_SNDBUF, [8388608], 4) = -1 EPERM (Operation not permitted)\n"
      "6 clone3({flags=CLONE_VM, exit_signal=0}, 88) = -1 ENOSYS (Function not implemented)\n"
      "6 clone3({flags=CLONE_VM, exit_signal=0}, 88) = -1 EPERM (Operation not permitted)\n");
  ASSERT_EQ(traced.size(), 4u);
  std::vector<DeniedOperation> aside;
  auto kept = without_fallbacks(traced, aside);
  // The plain SO_SNDBUF has nothing after it, and glibc retries clone3 only on ENOSYS.
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_NE(kept[0].operation.find("SO_SNDBUF,"), std::string::npos);
  EXPECT_EQ(kept[1].error, "EPERM");
  ASSERT_EQ(aside.size(), 2u);
  EXPECT_NE(documented_fallback(aside[0]).find("SO_SNDBUF"), std::string::npos);
  EXPECT_EQ(documented_fallback(aside[1]), "creates the thread or process with clone");
  DeniedOperation journal{"Failed to set SO_RCVBUFFORCE on the socket", "EPERM", "journal", ""};
  EXPECT_FALSE(documented_fallback(journal).empty());
}

TEST(Diagnose, EnvironmentCluesAreCappedAndSkipTheManager) {
  sdh::profile::Profile p;
  sdh::profile::ExecutableProfile manager;
  manager.path = "/usr/lib/systemd/systemd";
  manager.failures.push_back({"connect", ENETUNREACH, "10.0.0.1:53", 1});
  p.executables.push_back(manager);
  sdh::profile::ExecutableProfile daemon;
  daemon.path = "/usr/sbin/mon";
  for (int i = 0; i < 9; ++i) daemon.failures.push_back({"openat", ENOENT, "/dev/tty" + std::to_string(i), 1});
  daemon.failures.push_back({"openat", ENOENT, "/proc/1/environ", 1});
  daemon.failures.push_back({"sendto", ENETUNREACH, "192.0.2.7:514", 1});
  p.executables.push_back(daemon);
  auto clues = environment_clues(p, [](const std::string& path) { return path.rfind("/proc/", 0) != 0; }, 4);
  ASSERT_EQ(clues.size(), 5u);
  EXPECT_EQ(clues[0], "sendto(192.0.2.7:514) -> ENETUNREACH: the verifying host reaches no other machine");
  EXPECT_EQ(clues[1], "/dev/tty0 exists on this machine, not in the verifying host (openat -> ENOENT)");
  EXPECT_EQ(clues[4], "and 6 more");  // 1 + 9 clues, 4 shown
  // Without a machine to compare with, paths say nothing.
  EXPECT_EQ(environment_clues(p, nullptr).size(), 1u);
}

// PrivateNetwork= refuses nothing and fails no call: the traffic monitor just
// finds no interface and says so. Its own new words name the failure.
TEST(Diagnose, TheDaemonsOwnWordsNameAFailureNothingRefused) {
  const std::string baseline =
      "Dec 03 10:00:01 box systemd[1]: Started vnstat.service.\n"
      "Dec 03 10:00:01 box vnstatd[70]: vnStat daemon 2.10 started. (pid:70 uid:0 gid:0)\n";
  const std::string culprit =
      "Dec 03 10:01:01 box systemd[1]: Started vnstat.service.\n"
      "Dec 03 10:01:01 box vnstatd[81]: vnStat daemon 2.10 started. (pid:81 uid:0 gid:0)\n"
      "Dec 03 10:01:01 box vnstatd[81]: Interface \"eth0\" not available, exiting.\n"
      "Dec 03 10:01:02 box systemd[1]: vnstat.service: Main process exited, code=exited, status=1/FAILURE\n";
  auto d = journal_words(culprit, baseline);
  ASSERT_EQ(d.size(), 1u);  // the start line differs by its PID only: not news
  EXPECT_EQ(d[0].operation, "the daemon said: Interface \"eth0\" not available, exiting.");
  EXPECT_EQ(d[0].source, "journal");
  EXPECT_TRUE(journal_words(baseline, baseline).empty());
  // systemd's own lines are never the daemon's words.
  for (const auto& op : d) EXPECT_EQ(op.operation.find("Main process"), std::string::npos);
}

// What a daemon prints is hostile: a carriage return or an escape in its
// words never reaches a reason or a drop-in comment as it is.
TEST(Diagnose, TheDaemonsWordsAreEscaped) {
  auto d = journal_words("Dec 03 10:01:01 box evil[9]: ok\rExecStart=/bin/sh\x1b[2J\n", "");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].operation.find('\r'), std::string::npos) << d[0].operation;
  EXPECT_EQ(d[0].operation.find('\x1b'), std::string::npos) << d[0].operation;
}
