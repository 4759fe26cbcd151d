// SPDX-License-Identifier: GPL-2.0-or-later
// Profiling sessions driven by a fake tracer: no kernel, no root.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "profile/names.h"
#include "trace/session.h"

namespace sdh::trace {
namespace {

// Replays a script of events: on the first poll an exec of the target pid, a
// fork of a grandchild, the grandchild's exit and the target's exit.
class FakeTracer final : public Tracer {
 public:
  explicit FakeTracer(uint64_t lost) : lost_(lost) {}
  Result<void> start(const TraceTarget& target) override {
    target_ = target;
    return {};
  }
  Result<void> poll(int, const EventCallback& sink) override {
    if (polled_++ > 0 || target_.pid == 0) return {};
    TraceEvent exec;
    exec.kind = TraceEventKind::exec;
    exec.pid = target_.pid;
    exec.exe_key = 7;
    exec.exe_path = "/usr/sbin/fake-daemon";
    sink(exec);
    TraceEvent fork;
    fork.kind = TraceEventKind::fork;
    fork.pid = target_.pid;
    fork.child_pid = 999999;  // no such process: the session must not wait for it forever
    sink(fork);
    TraceEvent exit;
    exit.kind = TraceEventKind::exit;
    exit.pid = target_.pid;
    sink(exit);
    return {};
  }
  Result<void> finish(const EventCallback& sink) override {
    TraceEvent usage;
    usage.kind = TraceEventKind::syscall_usage;
    usage.exe_key = 7;
    usage.nr = profile::syscall_number("read");
    usage.count = 3;
    usage.first_ns = usage.last_ns = 1;
    sink(usage);
    return {};
  }
  TracerCounters counters() const override {
    TracerCounters c;
    c.records = 4;
    c.ring_buffer_drops = lost_;
    return c;
  }
  bool sees_capabilities() const override { return true; }
  std::string name() const override { return "fake"; }
  std::vector<std::string> notes() const override { return {}; }

 private:
  uint64_t lost_;
  TraceTarget target_;
  int polled_ = 0;
};

SessionOptions fake_options(uint64_t lost) {
  SessionOptions o;
  o.make_tracer = [lost](const TracerOptions&) -> Result<std::unique_ptr<Tracer>> {
    return std::unique_ptr<Tracer>(new FakeTracer(lost));
  };
  return o;
}

TEST(Session, CommandRunsToItsEndAndIsProfiled) {
  auto r = profile_command({"/bin/true"}, fake_options(0));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->command_exited);
  EXPECT_TRUE(WIFEXITED(r->command_status));
  EXPECT_EQ(WEXITSTATUS(r->command_status), 0);
  EXPECT_FALSE(r->stopped_early);
  EXPECT_EQ(r->profile.tracer, "fake");
  EXPECT_EQ(r->profile.command, std::vector<std::string>{"/bin/true"});
  EXPECT_TRUE(r->profile.complete());
  ASSERT_EQ(r->profile.executables.size(), 1u);
  EXPECT_EQ(r->profile.executables[0].path, "/usr/sbin/fake-daemon");
  EXPECT_EQ(r->profile.executables[0].syscalls.at(profile::Phase::startup), std::set<std::string>{"read"});
}

TEST(Session, LostEventsMakeTheProfileIncomplete) {
  auto r = profile_command({"/bin/true"}, fake_options(5));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->profile.lost_events, 5u);
  EXPECT_FALSE(r->profile.complete());
}

TEST(Session, StopConditionEndsAndLeavesTheCommandRunning) {
  auto options = fake_options(0);
  options.stop = [] { return true; };
  auto r = profile_command({"/bin/sleep", "0.3"}, options);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->stopped_early);
  EXPECT_FALSE(r->command_exited);  // still running, not killed
}

TEST(Session, CgroupNeedsAnEnd) {
  EXPECT_FALSE(profile_cgroup("/sys/fs/cgroup", fake_options(0)));
  auto options = fake_options(0);
  options.duration_seconds = 0.15;
  auto r = profile_cgroup("/sys/fs/cgroup", options);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->stopped_early);
}


}  // namespace
}  // namespace sdh::trace
