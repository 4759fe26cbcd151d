// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <chrono>

#include "systemd/process.h"
#include "systemd/service_host.h"

using namespace sdh::systemd;
using namespace std::chrono_literals;

TEST(RunProcess, CapturesOutputAndExitCode) {
  auto r = run_process({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->status_text(), "exit 3");
}

TEST(RunProcess, FeedsStdin) {
  RunOptions o;
  o.stdin_text = "hello";
  auto r = run_process({"cat"}, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->out, "hello");
  EXPECT_TRUE(r->ok());
}

TEST(RunProcess, KillsTheWholeGroupAtTheDeadline) {
  RunOptions o;
  o.timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  // The grandchild keeps stdout open: the deadline must still hold.
  auto r = run_process({"/bin/sh", "-c", "sleep 30 & sleep 30"}, o);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(r->status_text(), "timed out");
}

TEST(RunProcess, ReportsTheKillingSignal) {
  auto r = run_process({"/bin/sh", "-c", "kill -SYS $$"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->signal, 31);
  EXPECT_EQ(r->status_text(), "killed by SIGSYS");
}

TEST(RunProcess, MissingProgramIsExit127) {
  auto r = run_process({"/nonexistent/sdharden-nothing"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 127);
}

TEST(ParseShow, SplitsAtTheFirstEquals) {
  auto p = parse_show_output("ActiveState=active\nExecStart={ path=/bin/x ; argv[]=/bin/x a=b }\nnoequals\n");
  EXPECT_EQ(p["ActiveState"], "active");
  EXPECT_EQ(p["ExecStart"], "{ path=/bin/x ; argv[]=/bin/x a=b }");
  EXPECT_EQ(p.size(), 2u);
  // One line per command: every command is kept.
  auto two = parse_show_output("ExecStartPreEx={ path=/bin/a ; flags=privileged }\nExecStartPreEx={ path=/bin/b }\n");
  EXPECT_EQ(two["ExecStartPreEx"], "{ path=/bin/a ; flags=privileged } { path=/bin/b }");
}

TEST(SliceCgroupPath, EachDashOpensALevel) {
  EXPECT_EQ(sdh::systemd::slice_cgroup_path("system.slice"), "system.slice");
  EXPECT_EQ(sdh::systemd::slice_cgroup_path("system-postgresql.slice"), "system.slice/system-postgresql.slice");
  EXPECT_EQ(sdh::systemd::slice_cgroup_path("system-foo\\x2dbar.slice"), "system.slice/system-foo\\x2dbar.slice");
  EXPECT_EQ(sdh::systemd::slice_cgroup_path("a-b-c.slice"), "a.slice/a-b.slice/a-b-c.slice");
  EXPECT_EQ(sdh::systemd::slice_cgroup_path("-.slice"), "");
  EXPECT_EQ(sdh::systemd::slice_cgroup_path("nonsense"), "");
}
