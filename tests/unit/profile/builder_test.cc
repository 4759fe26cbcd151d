// SPDX-License-Identifier: GPL-2.0-or-later
// ProfileBuilder with synthetic TraceEvents: no kernel, no root.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <map>

#include "profile/builder.h"
#include "util/linux_names.h"
#include "profile/names.h"
#include "profile/syscall_semantics.h"

namespace sdh::profile {
namespace {

using trace::TraceEvent;
using trace::TraceEventKind;

constexpr uint64_t kKey = 0x1234;
constexpr uint64_t kChildKey = 0x5678;

TraceEvent exec_event(int pid, uint64_t key, const std::string& path, uint64_t t) {
  TraceEvent e;
  e.kind = TraceEventKind::exec;
  e.pid = e.tid = pid;
  e.exe_key = key;
  e.exe_path = path;
  e.time_ns = t;
  return e;
}

TraceEvent sys(int pid, uint64_t key, const std::string& name, std::array<uint64_t, 6> args, int64_t result,
               uint64_t t = 10) {
  TraceEvent e;
  e.kind = TraceEventKind::syscall;
  e.pid = e.tid = pid;
  e.exe_key = key;
  e.nr = syscall_number(name);
  e.args = args;
  e.has_result = true;
  e.result = result;
  e.time_ns = t;
  return e;
}

TraceEvent usage(uint64_t key, const std::string& name, uint64_t first, uint64_t last) {
  TraceEvent e;
  e.kind = TraceEventKind::syscall_usage;
  e.exe_key = key;
  e.nr = syscall_number(name);
  e.count = 1;
  e.first_ns = first;
  e.last_ns = last;
  return e;
}

std::string inet6(const char* addr, int port) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET6, addr, &sa.sin6_addr);
  return std::string(reinterpret_cast<const char*>(&sa), sizeof(sa));
}

std::string unix_addr(const std::string& path) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.data(), path.size());
  return std::string(reinterpret_cast<const char*>(&sa), offsetof(sockaddr_un, sun_path) + path.size() + 1);
}

const ExecutableProfile& find(const Profile& p, const std::string& path) {
  for (const auto& e : p.executables) {
    if (e.path == path) return e;
  }
  ADD_FAILURE() << "no executable " << path;
  static ExecutableProfile none;
  return none;
}

const FileAccess* file(const ExecutableProfile& e, const std::string& path) {
  for (const auto& f : e.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

class BuilderTest : public ::testing::Test {
 protected:
  FakeInspector inspector;
  ProfileBuilder builder{inspector};
  void SetUp() override {
    inspector.machines["/usr/sbin/demo"] = "x86-64";
    inspector.machines["/usr/lib/helper32"] = "i386";
    inspector.files["/dev/null"] = FileFacts{true, 'c', 1, 3, false};
    inspector.files["/usr/bin/sudo"] = FileFacts{false, 0, 0, 0, true};
    builder.set_initial_cwd(100, "/srv");
    builder.add(exec_event(100, kKey, "/usr/sbin/demo", 1));
  }
};

// Every row of the syscall table that names a file is read by the builder
// as its columns say: the path (or the fd) in its argument, relative to its
// directory fd, with the access its kind means.
TEST_F(BuilderTest, EveryFileRowOfTheSyscallTableIsRecorded) {
  struct Want {
    uint32_t first, second;
  };
  const std::map<sdh_access, Want> want = {
      {SDH_ACCESS_OPEN, {kCreate | kWrite, 0}}, {SDH_ACCESS_CREAT, {kCreate | kWrite, 0}},
      {SDH_ACCESS_STAT, {kStat, 0}},            {SDH_ACCESS_CREATE, {kCreate, 0}},
      {SDH_ACCESS_DELETE, {kDelete, 0}},        {SDH_ACCESS_CHMOD, {kChmod, 0}},
      {SDH_ACCESS_CHOWN, {kChown, 0}},          {SDH_ACCESS_MKNOD, {kMknod | kCreate, 0}},
      {SDH_ACCESS_WRITE, {kWrite, 0}},          {SDH_ACCESS_RENAME, {kRename, kRename}},
      {SDH_ACCESS_LINK, {kRead, kCreate}},      {SDH_ACCESS_SYMLINK, {0, kCreate}},
      {SDH_ACCESS_CHDIR, {kStat, 0}},           {SDH_ACCESS_LIST, {kList, 0}},
  };
  int checked = 0;
  for (const auto& row : syscall_semantics_rows()) {
    auto w = want.find(row.access);
    if (w == want.end()) continue;
    const std::string name(row.name);
    if (syscall_number(name) < 0) continue;  // unknown to this libseccomp (fchmodat2 on older ones)
    SCOPED_TRACE(name);
    std::array<uint64_t, 6> args{};
    for (int fd : {row.fd, row.fd2})
      if (fd >= 0) args[fd] = static_cast<uint64_t>(AT_FDCWD);
    if (row.path < 0 && row.fd >= 0) args[row.fd] = 9;  // acts on an fd: resolved through /proc
    if (row.access == SDH_ACCESS_OPEN) args[row.path + 1] = O_WRONLY | O_CREAT;
    auto e = sys(100, kKey, name, args, row.access == SDH_ACCESS_OPEN ? 7 : 0);
    const std::string first = "/srv/" + name + "-1", second = "/srv/" + name + "-2";
    if (row.path >= 0) e.path = name + "-1";
    else e.fd_path = first;
    if (row.path2 >= 0) e.path2 = name + "-2";
    builder.add(e);
    if (row.access == SDH_ACCESS_CHDIR) {  // back to /srv for the next rows
      auto back = sys(100, kKey, "chdir", {}, 0);
      back.path = "/srv";
      builder.add(back);
    }
    const auto p = builder.build();
    const auto& exe = find(p, "/usr/sbin/demo");
    auto has = [&](const std::string& path, uint32_t bits) {
      const FileAccess* f = file(exe, path);
      return f && (f->access & bits) == bits;
    };
    if (w->second.first) {
      EXPECT_TRUE(has(first, w->second.first)) << first;
    } else {
      EXPECT_EQ(file(exe, first), nullptr) << first;
    }
    if (w->second.second) {
      EXPECT_TRUE(has(second, w->second.second)) << second;
    }
    ++checked;
  }
  EXPECT_GE(checked, 40);
}

TEST_F(BuilderTest, ResolvesDirfdAndCwd) {
  auto open_dir = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY | O_DIRECTORY}, 5);
  open_dir.path = "data";
  builder.add(open_dir);  // /srv/data is fd 5
  auto rel = sys(100, kKey, "openat", {5, 0, O_WRONLY | O_CREAT, 0644}, 6);
  rel.path = "sub/../out.log";
  builder.add(rel);
  auto chdir = sys(100, kKey, "chdir", {}, 0);
  chdir.path = "/var/lib/demo";
  builder.add(chdir);
  auto cwd_rel = sys(100, kKey, "open", {0, O_RDWR}, 7);
  cwd_rel.path = "./state";
  builder.add(cwd_rel);
  auto via_proc = sys(100, kKey, "unlinkat", {9, 0, 0}, 0);
  via_proc.path = "old.pid";
  via_proc.fd_path = "/run/demo";  // fd 9 unknown to the builder: the back-end's /proc view is used
  builder.add(via_proc);

  Profile p = builder.build();
  const auto& e = find(p, "/usr/sbin/demo");
  ASSERT_NE(file(e, "/srv/data"), nullptr);
  ASSERT_NE(file(e, "/srv/data/out.log"), nullptr);
  EXPECT_EQ(file(e, "/srv/data/out.log")->access, uint32_t(kWrite | kCreate));
  ASSERT_NE(file(e, "/var/lib/demo/state"), nullptr);
  EXPECT_EQ(file(e, "/var/lib/demo/state")->access, uint32_t(kRead | kWrite));
  ASSERT_NE(file(e, "/run/demo/old.pid"), nullptr);
  EXPECT_EQ(file(e, "/run/demo/old.pid")->access, uint32_t(kDelete));
}

// A key read through a symlink: the file the kernel opened is recorded
// beside the name used, so a plan never hides the folder it really lives in.
TEST_F(BuilderTest, AFileReachedThroughASymlinkIsRecordedWhereItIs) {
  inspector.resolved["/etc/exim4/private/exim.key"] = "/etc/ssl/private/exim.key";
  auto open_key = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY}, 5);
  open_key.path = "/etc/exim4/private/exim.key";
  builder.add(open_key);
  builder.add(open_key);
  auto plain = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY}, 6);
  plain.path = "/etc/exim4/exim4.conf";
  builder.add(plain);
  Profile p = builder.build();
  const auto& e = find(p, "/usr/sbin/demo");
  ASSERT_NE(file(e, "/etc/exim4/private/exim.key"), nullptr);
  const FileAccess* real = file(e, "/etc/ssl/private/exim.key");
  ASSERT_NE(real, nullptr);
  EXPECT_EQ(real->access, uint32_t(kRead));
  EXPECT_EQ(real->count, 2u);
  EXPECT_EQ(e.files.size(), 3u);
}

TEST_F(BuilderTest, DevicesFailuresAndSetuid) {
  auto dev = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDWR}, 3);
  dev.path = "/dev/null";
  builder.add(dev);
  auto missing = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY}, -ENOENT);
  missing.path = "/etc/demo.conf";
  builder.add(missing);
  auto chmod = sys(100, kKey, "fchmodat", {uint64_t(AT_FDCWD), 0, 04755}, 0);
  chmod.path = "/usr/local/bin/x";
  builder.add(chmod);
  // Aggregated failures: 3 ENOENT opens, one of them reported in detail above.
  TraceEvent agg;
  agg.kind = TraceEventKind::failure_usage;
  agg.exe_key = kKey;
  agg.nr = syscall_number("openat");
  agg.error = ENOENT;
  agg.count = 3;
  builder.add(agg);

  Profile p = builder.build();
  const auto& e = find(p, "/usr/sbin/demo");
  const FileAccess* null = file(e, "/dev/null");
  ASSERT_NE(null, nullptr);
  EXPECT_TRUE(null->is_device);
  EXPECT_EQ(null->device_type, 'c');
  EXPECT_EQ(null->major, 1u);
  EXPECT_EQ(null->minor, 3u);
  EXPECT_EQ(file(e, "/etc/demo.conf"), nullptr);  // failed: listed as a failure, not an access
  ASSERT_EQ(e.failures.size(), 2u);
  EXPECT_EQ(e.failures[0].detail, "/etc/demo.conf");
  EXPECT_EQ(e.failures[0].count, 1u);
  EXPECT_EQ(e.failures[1].detail, "");
  EXPECT_EQ(e.failures[1].count, 2u);  // the two not reported in detail
  EXPECT_TRUE(e.setuid_file_created);
  EXPECT_EQ(e.elf_machine, "x86-64");
}

// The eBPF back-end counts identical detailed syscalls in the kernel and
// reports them once at the end with `count` set, after their process exited.
TEST_F(BuilderTest, RepeatedSyscallsCountAsOftenAsTheyHappened) {
  auto open = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY}, 7);
  open.path = "/var/www/index.html";
  builder.add(open);
  auto missing = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY}, -ENOENT);
  missing.path = "/var/www/favicon.ico";
  builder.add(missing);
  auto reply = sys(100, kKey, "sendto", {}, 0);
  reply.sockaddr = inet6("::1", 5353);
  builder.add(reply);
  TraceEvent exit;
  exit.kind = TraceEventKind::exit;
  exit.pid = exit.tid = 100;
  builder.add(exit);
  open.count = 4;
  missing.count = 2;
  reply.count = 6;
  builder.add(open);
  builder.add(missing);
  builder.add(reply);
  TraceEvent agg;  // every ENOENT open, as the kernel counted them
  agg.kind = TraceEventKind::failure_usage;
  agg.exe_key = kKey;
  agg.nr = syscall_number("openat");
  agg.error = ENOENT;
  agg.count = 3;
  builder.add(agg);

  Profile p = builder.build();
  const auto& e = find(p, "/usr/sbin/demo");
  ASSERT_NE(file(e, "/var/www/index.html"), nullptr);
  EXPECT_EQ(file(e, "/var/www/index.html")->count, 5u);
  EXPECT_EQ(file(e, "/var/www/index.html")->access, uint32_t(kRead));
  ASSERT_EQ(e.failures.size(), 1u);  // all three in detail: no unexplained rest
  EXPECT_EQ(e.failures[0].detail, "/var/www/favicon.ico");
  EXPECT_EQ(e.failures[0].count, 3u);
  ASSERT_EQ(e.addresses.size(), 1u);
  EXPECT_EQ(e.addresses[0].count, 7u);
}

TEST_F(BuilderTest, ForkExecAttributesToEachProgram) {
  TraceEvent fork;
  fork.kind = TraceEventKind::fork;
  fork.pid = 100;
  fork.child_pid = 101;
  builder.add(fork);
  builder.add(exec_event(101, kChildKey, "/usr/lib/helper32", 5));
  auto rel = sys(101, kChildKey, "open", {0, O_RDONLY}, 3);
  rel.path = "input";  // inherits cwd /srv
  builder.add(rel);
  builder.add(exec_event(102, 0x9999, "/usr/bin/sudo", 6));
  builder.add(usage(kChildKey, "read", 5, 6));

  Profile p = builder.build();
  ASSERT_EQ(p.executables.size(), 3u);
  const auto& parent = find(p, "/usr/sbin/demo");
  const auto& child = find(p, "/usr/lib/helper32");
  EXPECT_EQ(child.elf_machine, "i386");
  EXPECT_NE(file(child, "/srv/input"), nullptr);
  EXPECT_EQ(file(parent, "/srv/input"), nullptr);
  EXPECT_TRUE(file(parent, "/usr/lib/helper32")->access & kExec);
  EXPECT_TRUE(find(p, "/usr/bin/sudo").setuid_binary);
  EXPECT_EQ(child.syscalls.at(Phase::startup), std::set<std::string>{"read"});
}

TEST_F(BuilderTest, EachTreeRemembersTheProgramThatStartedIt) {
  // pid 100 runs /usr/sbin/demo (the daemon's tree). The manager forks a
  // child for ExecStartPost=, met under its "(name)", which execs a script
  // that forks update-alternatives; the daemon's own fork+exec of a helper
  // stays in the daemon's tree.
  TraceEvent child;
  child.kind = TraceEventKind::discover;
  child.pid = child.tid = 200;
  child.exe_key = 0x77;
  child.exe_path = "(comm (sh))";
  builder.add(child);
  builder.add(exec_event(200, 0x78, "/usr/lib/pkg/post-start", 3));
  TraceEvent fork;
  fork.kind = TraceEventKind::fork;
  fork.pid = 200;
  fork.child_pid = 201;
  builder.add(fork);
  builder.add(exec_event(201, 0x79, "/usr/bin/update-alternatives", 4));
  fork.pid = 100;
  fork.child_pid = 101;
  builder.add(fork);
  builder.add(exec_event(101, kChildKey, "/usr/lib/helper32", 5));
  Profile p = builder.build();
  EXPECT_EQ(find(p, "/usr/sbin/demo").started_by, std::set<std::string>{"/usr/sbin/demo"});
  EXPECT_EQ(find(p, "/usr/lib/helper32").started_by, std::set<std::string>{"/usr/sbin/demo"});
  EXPECT_EQ(find(p, "/usr/lib/pkg/post-start").started_by, std::set<std::string>{"/usr/lib/pkg/post-start"});
  EXPECT_EQ(find(p, "/usr/bin/update-alternatives").started_by, std::set<std::string>{"/usr/lib/pkg/post-start"});
}

TEST_F(BuilderTest, OwnProcEntriesByHostOrContainerPidAreSelf) {
  // Inside a container, process 100 is 7 in its own pid namespace.
  auto in_container = exec_event(100, kKey, "/usr/sbin/demo", 2);
  in_container.ns_pid = 7;
  builder.add(in_container);
  auto open = [&](const std::string& path, uint64_t count = 0) {
    auto e = sys(100, kKey, "openat", {uint64_t(AT_FDCWD), 0, O_RDONLY}, 3);
    e.path = path;
    e.count = count;
    builder.add(e);
  };
  open("/proc/7/status");
  open("/proc/100/fd");
  open("/proc/8/status");       // a sibling in the container
  open("/proc/70/status");      // a prefix of nothing
  open("/proc/7/stat", 3);      // a repeat, reported after the process may be gone
  TraceEvent exit;
  exit.kind = TraceEventKind::exit;
  exit.pid = 100;
  builder.add(exit);
  open("/proc/7/maps", 2);

  Profile p = builder.build();
  const auto& e = find(p, "/usr/sbin/demo");
  EXPECT_NE(file(e, "/proc/self/status"), nullptr);
  EXPECT_NE(file(e, "/proc/self/fd"), nullptr);
  EXPECT_NE(file(e, "/proc/self/stat"), nullptr);
  EXPECT_NE(file(e, "/proc/self/maps"), nullptr);
  EXPECT_NE(file(e, "/proc/8/status"), nullptr);
  EXPECT_NE(file(e, "/proc/70/status"), nullptr);
  EXPECT_EQ(file(e, "/proc/7/status"), nullptr);
}

TEST_F(BuilderTest, PhasesSplitAtFirstAcceptOrReady) {
  builder.add(usage(kKey, "socket", 10, 10));
  builder.add(usage(kKey, "epoll_wait", 20, 90));
  builder.add(usage(kKey, "getrusage", 60, 70));
  TraceEvent hint;
  hint.kind = TraceEventKind::boundary_hint;
  hint.hint = 1;
  hint.time_ns = 50;
  builder.add(hint);
  Profile p = builder.build();
  EXPECT_EQ(p.boundary, PhaseBoundary::first_accept);
  const auto& e = find(p, "/usr/sbin/demo");
  EXPECT_EQ(e.syscalls.at(Phase::startup), (std::set<std::string>{"epoll_wait", "socket"}));
  EXPECT_EQ(e.syscalls.at(Phase::serving), (std::set<std::string>{"epoll_wait", "getrusage"}));

  // READY=1 wins over the accept hint.
  auto ready = sys(100, kKey, "sendmsg", {}, 20, 30);
  ready.sockaddr = unix_addr("/run/systemd/notify");
  ready.payload = "STATUS=x\nREADY=1";
  builder.add(ready);
  p = builder.build();
  EXPECT_EQ(p.boundary, PhaseBoundary::ready_notify);
  EXPECT_EQ(find(p, "/usr/sbin/demo").syscalls.at(Phase::startup), (std::set<std::string>{"epoll_wait", "socket"}));

  // An explicit marker wins over both.
  TraceEvent marker;
  marker.kind = TraceEventKind::marker;
  marker.time_ns = 80;
  builder.add(marker);
  p = builder.build();
  EXPECT_EQ(p.boundary, PhaseBoundary::marker);
  EXPECT_EQ(find(p, "/usr/sbin/demo").syscalls.at(Phase::serving), (std::set<std::string>{"epoll_wait"}));
}

TEST_F(BuilderTest, SocketsAddressesAndFlags) {
  builder.add(sys(100, kKey, "socket", {AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0}, 4));
  auto send = sys(100, kKey, "sendto", {4, 0, 4, 0, 1, 28}, 4);
  send.sockaddr = inet6("::1", 5353);
  builder.add(send);
  builder.add(sys(100, kKey, "socket", {AF_INET, SOCK_STREAM, 0}, 5));
  auto bind = sys(100, kKey, "bind", {5}, 0);
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(80);
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind.sockaddr = std::string(reinterpret_cast<const char*>(&in), sizeof(in));
  builder.add(bind);
  builder.add(sys(100, kKey, "listen", {5, 128}, 0));
  builder.add(sys(100, kKey, "mmap", {0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC}, 0x7000));
  builder.add(sys(100, kKey, "unshare", {CLONE_NEWNET | CLONE_NEWNS}, 0));
  // Records carry the credentials at the syscall's exit: after the switch.
  // The events before it (uid 0) tell what it switched from.
  TraceEvent setuid = sys(100, kKey, "setresuid", {1000, 1000, 1000}, 0);
  setuid.uid = 1000;
  builder.add(setuid);
  TraceEvent same = sys(100, kKey, "setgid", {0}, 0);  // already gid 0: no change
  same.uid = 1000;
  builder.add(same);
  builder.add(usage(kKey, "clock_settime", 1, 1));
  builder.set_infer_capabilities(true);

  Profile p = builder.build();
  const auto& e = find(p, "/usr/sbin/demo");
  ASSERT_EQ(e.sockets.size(), 2u);
  EXPECT_EQ(e.sockets[0].family, "AF_INET6");
  EXPECT_EQ(e.sockets[0].type, "SOCK_DGRAM");
  ASSERT_EQ(e.addresses.size(), 3u);
  EXPECT_EQ(e.addresses[0].op, "sendto");
  EXPECT_EQ(e.addresses[0].address, "::1");
  EXPECT_EQ(e.addresses[0].port, 5353);
  EXPECT_EQ(e.addresses[2].op, "listen");
  EXPECT_EQ(e.addresses[2].address, "127.0.0.1");
  EXPECT_EQ(e.addresses[2].port, 80);
  EXPECT_TRUE(e.wx_mapping);
  EXPECT_EQ(e.namespaces_created, (std::set<std::string>{"mnt", "net"}));
  EXPECT_TRUE(e.uid_change);
  EXPECT_EQ(e.uid_targets, std::set<uint32_t>{1000});
  EXPECT_FALSE(e.gid_change);
  EXPECT_TRUE(e.clock_change);
  std::set<std::string> inferred;
  for (const auto& c : e.capabilities) {
    EXPECT_TRUE(c.inferred);
    inferred.insert(c.capability);
  }
  EXPECT_TRUE(inferred.count("CAP_NET_BIND_SERVICE"));
  EXPECT_TRUE(inferred.count("CAP_SETUID"));
  EXPECT_TRUE(inferred.count("CAP_SYS_TIME"));
  EXPECT_FALSE(inferred.count("CAP_SETGID"));
}

// Who keeps root after start-up: a process that switched for good does not;
// one that kept a saved root id, or never switched, does; one that ended
// during start-up does not count.
TEST(ProfileBuilder, RootAfterStartupFollowsEveryUserId) {
  auto run = [](std::array<uint64_t, 6> worker_switch, bool master_serves) {
    FakeInspector inspector;
    ProfileBuilder builder(inspector);
    // An event of `kind` by `pid` at `t`, nothing else set.
    auto bare = [](TraceEventKind kind, int pid, uint64_t t) {
      TraceEvent e;
      e.kind = kind;
      e.pid = e.tid = pid;
      e.time_ns = t;
      return e;
    };
    builder.add(exec_event(100, kKey, "/usr/sbin/demo", 1));
    builder.add(exec_event(90, kChildKey, "/usr/libexec/demo-helper", 1));
    builder.add(bare(TraceEventKind::exit, 90, 3));
    TraceEvent fork = bare(TraceEventKind::fork, 100, 4);
    fork.child_pid = 101;
    builder.add(fork);
    TraceEvent drop = sys(101, kKey, "setresuid", worker_switch, 0, 5);
    drop.uid = 33;
    builder.add(drop);
    if (!master_serves) builder.add(bare(TraceEventKind::exit, 100, 6));  // the parent ends once the child is on its way
    builder.add(bare(TraceEventKind::marker, 0, 10));
    return builder.build();
  };
  // A daemon that forks, switches the child for good and lets the parent go.
  Profile dropped = run({33, 33, 33}, false);
  EXPECT_TRUE(dropped.credentials_tracked);
  EXPECT_TRUE(find(dropped, "/usr/sbin/demo").root_after_startup.empty());
  EXPECT_TRUE(find(dropped, "/usr/libexec/demo-helper").root_after_startup.empty());
  // A root master serving beside its unprivileged worker.
  Profile master = run({33, 33, 33}, true);
  EXPECT_EQ(find(master, "/usr/sbin/demo").root_after_startup, std::set<std::string>{"/usr/sbin/demo"});
  // A switch that keeps root as the saved id can switch back.
  Profile saved = run({33, 33, UINT32_MAX}, false);
  EXPECT_EQ(find(saved, "/usr/sbin/demo").root_after_startup, std::set<std::string>{"/usr/sbin/demo"});
}

TEST(BuilderHelpers, ServiceManagerChildIsKnownByItsNames) {
  // systemd's child for an Exec*= line is "systemd" until it renames itself
  // "(name)", and either until it execs the service.
  for (const char* exe : {"/usr/lib/systemd/systemd", "/lib/systemd/systemd", "(comm (nginx))", "(comm systemd)"})
    EXPECT_TRUE(is_service_manager(exe)) << exe;
  for (const char* exe : {"/usr/sbin/nginx", "(comm nginx)", "(comm systemd-resolve)"})
    EXPECT_FALSE(is_service_manager(exe)) << exe;
}

TEST(BuilderHelpers, SameProgramAcrossMergedUsr) {
  EXPECT_TRUE(same_program("/bin/kill", "/usr/bin/kill"));
  EXPECT_TRUE(same_program("/usr/bin/kill", "/bin/kill"));
  EXPECT_TRUE(same_program("/bin/kill", "/bin/kill"));
  EXPECT_FALSE(same_program("/bin/kill", "/usr/sbin/kill"));
}

// Paths are normalised by util/fs.h's normalize_path (tests/unit/util).
TEST(BuilderHelpers, ParseSockaddr) {
  auto a = parse_sockaddr(unix_addr("/run/x.sock"));
  EXPECT_EQ(a.family, AF_UNIX);
  EXPECT_EQ(a.address, "/run/x.sock");
  std::string abstract = unix_addr(std::string("\0name", 5));
  EXPECT_EQ(parse_sockaddr(abstract).address, "@name");
  EXPECT_EQ(parse_sockaddr("").family, -1);
  EXPECT_EQ(syscall_name(syscall_number("openat")), "openat");
  EXPECT_EQ(sdh::capability_text(21), "CAP_SYS_ADMIN");
  EXPECT_EQ(sdh::capability_text(99), "CAP_99");
  EXPECT_EQ(address_family_name(AF_NETLINK), "AF_NETLINK");
}

}  // namespace
}  // namespace sdh::profile
