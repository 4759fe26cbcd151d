// SPDX-License-Identifier: GPL-2.0-or-later
// The field gotchas experts know (a directive that breaks a daemon in a way
// the unit file does not show), each on a small profile, with the real
// scorer and the independent checker.
#include <map>

#include <gtest/gtest.h>

#include "compat_checker.h"
#include "synth/rules/rules.h"
#include "synth/synth.h"
#include "unit/loader.h"

namespace sdh::synth {
namespace {

struct Case {
  MemoryFileSystem fs;
  unit::LoadedUnit unit;
  HardeningPlan plan;
  std::string text;
  profile::Profile profile;
};

std::unique_ptr<Case> run(const std::string& unit_body, const profile::Profile& prof,
                          const std::map<std::string, std::string>& other_units = {},
                          const std::vector<std::string>& passed_sockets = {}) {
  auto c = std::make_unique<Case>();
  c->profile = prof;
  c->fs.add_dir("/etc/systemd/system");
  c->fs.add_file("/etc/systemd/system/g.service", "[Service]\nExecStart=/usr/bin/g\n" + unit_body);
  for (const auto& [name, text] : other_units) c->fs.add_file("/etc/systemd/system/" + name, text);
  auto u = unit::load_unit(c->fs, "g.service");
  if (!u) throw std::runtime_error(u.error().to_string());
  c->unit = *u;
  ProposeOptions o;
  o.fs = &c->fs;
  auto plan = propose(c->unit, c->profile, o);
  if (!plan) throw std::runtime_error(plan.error().to_string());
  c->plan = *plan;
  c->text = render_dropin(c->plan);
  testing::CheckInput in;
  in.dropin = c->text;
  in.unit_user = c->unit.settings.user.value_or("");
  in.unit_umask = c->unit.settings.umask;
  for (const auto& [key, exes] : c->unit.settings.unsandboxed_commands)
    in.unsandboxed.insert(in.unsandboxed.end(), exes.begin(), exes.end());
  in.unit_exec_lines = c->unit.settings.exec_lines;
  in.profile = &c->profile;
  in.passed_sockets = passed_sockets;
  auto bad = testing::check_dropin(in);
  std::string all;
  for (const auto& b : bad) all += b + "\n";
  EXPECT_TRUE(bad.empty()) << all << c->text;
  return c;
}

profile::Profile base() {
  profile::Profile p;
  p.architecture = "x86-64";
  p.runs = 1;
  p.events = 500;
  profile::ExecutableProfile e;
  e.path = "/usr/bin/g";
  e.elf_machine = "x86-64";
  e.syscalls[profile::Phase::startup] = {"openat", "read", "close", "mmap", "execve"};
  e.syscalls[profile::Phase::serving] = {"read", "write"};
  e.files.push_back({"/dev/null", profile::kRead | profile::kWrite, true, 'c', 1, 3, 2});
  p.executables.push_back(e);
  return p;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(Gotchas, ProtectClockWithADeviceListsTheDevice) {
  auto p = base();
  p.executables[0].files.push_back({"/dev/ttyUSB0", profile::kRead | profile::kWrite, true, 'c', 188, 0, 40});
  auto c = run("User=g\n", p);
  EXPECT_FALSE(has_line(c->text, "PrivateDevices=yes"));
  EXPECT_NE(c->text.find("PrivateDevices=yes: opens /dev/ttyUSB0"), std::string::npos);
  EXPECT_TRUE(has_line(c->text, "DeviceAllow=/dev/ttyUSB0 rw")) << c->text;
  // The device is listed, so ProtectClock's char-rtc entry cuts nothing off.
  EXPECT_TRUE(has_line(c->text, "ProtectClock=yes"));
}

TEST(Gotchas, SocketActivatedServiceRestrictsFamiliesButNotClients) {
  auto p = base();
  p.executables[0].socket_activation_fds = {3};
  p.executables[0].addresses.push_back({"accept", "AF_INET", "198.51.100.4", 0, 20});
  auto c = run("User=g\n", p);
  // No socket() of its own: no family needed, the passed socket keeps working.
  EXPECT_TRUE(has_line(c->text, "RestrictAddressFamilies=none")) << c->text;
  EXPECT_NE(c->text.find("passed in by socket activation"), std::string::npos);
  EXPECT_FALSE(has_line(c->text, "IPAddressDeny=any"));
}

// The unit's cgroup also holds systemd's own child that sets up the sandbox
// before exec: its mounts, capability use and cgroup writes are not the
// service's, so they must not forbid the directives systemd is applying.
// Every Key=value of a plan, in order.
std::vector<std::string> assignments(const HardeningPlan& plan) {
  std::vector<std::string> out;
  for (const auto& d : plan.directives)
    for (const auto& v : d.values) out.push_back(d.key + "=" + v);
  return out;
}

TEST(Gotchas, PlusCommandLinesRunOutsideTheSandbox) {
  // ExecReload=+/bin/kill: the kill runs with full privileges whatever the
  // drop-in says, so its CAP_KILL is no reason to keep the capability.
  auto p = base();
  profile::ExecutableProfile kill;
  kill.path = "/usr/bin/kill";
  kill.elf_machine = "x86-64";
  kill.syscalls[profile::Phase::serving] = {"kill"};
  kill.capabilities.push_back({"CAP_KILL", true, false, 1});
  p.executables.push_back(kill);
  auto plus = run("ExecReload=+/bin/kill -HUP $MAINPID\n", p);
  EXPECT_TRUE(has_line(plus->text, "CapabilityBoundingSet=")) << plus->text;
  EXPECT_NE(plus->text.find("#   /usr/bin/kill: runs from ExecReload=+, outside the sandbox"), std::string::npos)
      << plus->text;
  // Without the "+" it runs in the sandbox and keeps what it uses.
  auto plain = run("ExecReload=/bin/kill -HUP $MAINPID\n", p);
  EXPECT_TRUE(has_line(plain->text, "CapabilityBoundingSet=CAP_KILL")) << plain->text;
  // A reset of the key forgets its "+" lines.
  auto reset = run("ExecReload=+/bin/kill -HUP $MAINPID\nExecReload=\nExecReload=/bin/kill -HUP $MAINPID\n", p);
  EXPECT_TRUE(has_line(reset->text, "CapabilityBoundingSet=CAP_KILL")) << reset->text;
}

TEST(Gotchas, SystemdPreExecChildDoesNotCount) {
  auto p = base();
  profile::ExecutableProfile mgr;
  mgr.path = "/usr/lib/systemd/systemd";
  mgr.elf_machine = "x86-64";
  mgr.syscalls[profile::Phase::startup] = {"mount", "unshare", "setresuid", "socket", "capset"};
  mgr.mounts = true;
  mgr.namespaces_created = {"mnt"};
  mgr.uid_change = true;
  mgr.sockets.push_back({"AF_UNIX", "SOCK_DGRAM", 0, 1});
  mgr.capabilities.push_back({"CAP_SETUID", true, false, 3});
  mgr.files.push_back({"/sys/fs/cgroup/system.slice/g.service/cgroup.procs", profile::kWrite, false, 0, 0, 0, 1});
  p.executables.push_back(mgr);
  profile::ExecutableProfile child = mgr;  // met before its exec, named by command
  child.path = "(comm (g))";
  p.executables.push_back(child);
  auto with_mgr = run("User=g\n", p);
  auto without = run("User=g\n", base());
  EXPECT_EQ(assignments(with_mgr->plan), assignments(without->plan));
  EXPECT_NE(with_mgr->text.find("#   (comm (g)): systemd's own set-up"), std::string::npos) << with_mgr->text;
  EXPECT_TRUE(has_line(with_mgr->text, "ProtectControlGroups=yes")) << with_mgr->text;
  EXPECT_TRUE(has_line(with_mgr->text, "RestrictNamespaces=yes")) << with_mgr->text;
}

// A control socket bound in /run (unbound's /run/unbound.ctl) is a file the
// service creates: ProtectSystem=strict must leave it writable.
TEST(Gotchas, UnixSocketBoundOnAPathIsAWrite) {
  auto p = base();
  p.executables[0].sockets.push_back({"AF_UNIX", "SOCK_STREAM", 0, 1});
  p.executables[0].addresses.push_back({"bind", "AF_UNIX", "/run/g.ctl", 0, 1});
  auto c = run("User=g\n", p);
  EXPECT_NE(c->text.find("/run"), std::string::npos) << c->text;
  bool writable = has_line(c->text, "ReadWritePaths=-/run") || has_line(c->text, "ReadWritePaths=-/run/g.ctl") ||
                  has_line(c->text, "ReadWritePaths=/run/g.ctl") || has_line(c->text, "ReadWritePaths=/run") ||
                  !has_line(c->text, "ProtectSystem=strict");
  EXPECT_TRUE(writable) << c->text;
}

TEST(Gotchas, PrivateUsersRefusedWithSupplementaryGroups) {
  auto c = run("User=g\nSupplementaryGroups=systemd-journal\n", base());
  EXPECT_FALSE(has_line(c->text, "PrivateUsers=yes"));
  EXPECT_NE(c->text.find("SupplementaryGroups= are not mapped"), std::string::npos) << c->text;
}

TEST(Gotchas, HomeOnlyReadBecomesTmpfsWithBinds) {
  auto p = base();
  p.executables[0].files.push_back({"/home/alice/.config/g.conf", profile::kRead, false, 0, 0, 0, 1});
  auto c = run("User=g\n", p);
  EXPECT_TRUE(has_line(c->text, "ProtectHome=tmpfs")) << c->text;
  EXPECT_TRUE(has_line(c->text, "BindReadOnlyPaths=-/home/alice/.config/g.conf"));
  EXPECT_NE(c->text.find("ProtectHome=yes: uses /home/alice/.config/g.conf"), std::string::npos);
}

TEST(Gotchas, JitLibraryForbidsMemoryDenyWriteExecuteEvenWithoutWxSeen) {
  auto p = base();
  p.executables[0].files.push_back({"/usr/lib/jvm/lib/server/libjvm.so", profile::kRead, false, 0, 0, 0, 1});
  auto c = run("User=g\n", p);
  EXPECT_FALSE(has_line(c->text, "MemoryDenyWriteExecute=yes"));
  EXPECT_NE(c->text.find("Java HotSpot"), std::string::npos);
}

TEST(Gotchas, RootServiceExecutingSetuidKeepsSeccompButNotNoNewPrivileges) {
  // Running as root with CAP_SYS_ADMIN, systemd installs seccomp filters
  // without NoNewPrivileges, so only the explicit setting is refused.
  auto p = base();
  profile::ExecutableProfile helper;
  helper.path = "/usr/bin/su";
  helper.elf_machine = "x86-64";
  helper.setuid_binary = true;
  helper.syscalls[profile::Phase::startup] = {"setuid", "read"};
  helper.capabilities.push_back({"CAP_SETUID", true, false, 1});
  helper.uid_change = true;
  p.executables.push_back(helper);
  auto c = run("", p);
  EXPECT_FALSE(has_line(c->text, "NoNewPrivileges=yes"));
  EXPECT_NE(c->text.find("\nSystemCallFilter="), std::string::npos) << c->text;
  EXPECT_TRUE(has_line(c->text, "CapabilityBoundingSet=CAP_SETUID"));
}

TEST(Gotchas, TmpFilesOfOthersForbidPrivateTmp) {
  auto p = base();
  p.executables[0].addresses.push_back({"connect", "AF_UNIX", "/tmp/.X11-unix/X0", 0, 1});
  p.executables[0].sockets.push_back({"AF_UNIX", "SOCK_STREAM", 0, 1});
  auto c = run("User=g\n", p);
  EXPECT_FALSE(has_line(c->text, "PrivateTmp=yes"));
  EXPECT_NE(c->text.find("PrivateTmp=yes: uses pre-existing /tmp/.X11-unix/X0"), std::string::npos) << c->text;
}

TEST(Gotchas, MemoryAccountingSysAdminChecksAreNotANeed) {
  auto p = base();
  p.executables[0].capabilities.push_back({"CAP_SYS_ADMIN", true, false, 40});
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "DynamicUser=yes")) << c->text;
  EXPECT_NE(c->text.find("CAP_SYS_ADMIN dropped: 40 granted checks"), std::string::npos);
  // ...but a daemon that mounts keeps it.
  p.executables[0].syscalls[profile::Phase::startup].insert("mount");
  p.executables[0].mounts = true;
  auto m = run("", p);
  EXPECT_FALSE(has_line(m->text, "DynamicUser=yes"));
  EXPECT_NE(m->text.find("CapabilityBoundingSet=CAP_SYS_ADMIN"), std::string::npos) << m->text;
}

// A root daemon whose CAP_NET_ADMIN checks came with plain IP sockets (a
// socket option with a fallback, a read of /proc/sys/net) goes without it on
// trial; a netlink socket or a /proc/sys/net write makes it a need.
TEST(Gotchas, NetAdminChecksWithoutNetworkConfigurationAreNotANeed) {
  auto p = base();
  auto& e = p.executables[0];
  e.capabilities.push_back({"CAP_NET_ADMIN", true, false, 3});
  e.capabilities.push_back({"CAP_CHOWN", true, false, 1});
  e.sockets.push_back({"AF_INET", "SOCK_DGRAM", 0, 1});
  e.files.push_back({"/proc/sys/net/core/somaxconn", profile::kRead, false, 0, 0, 0, 1});
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "CapabilityBoundingSet=CAP_CHOWN")) << c->text;
  EXPECT_NE(c->text.find("CAP_NET_ADMIN dropped: 3 granted checks"), std::string::npos) << c->text;
  auto configured = p;
  configured.executables[0].files.push_back({"/proc/sys/net/ipv4/ip_forward", profile::kWrite, false, 0, 0, 0, 1});
  auto w = run("", configured);
  EXPECT_TRUE(has_line(w->text, "CapabilityBoundingSet=CAP_CHOWN CAP_NET_ADMIN")) << w->text;
  p.executables[0].sockets.push_back({"AF_NETLINK", "SOCK_RAW", 0, 1});
  auto n = run("", p);
  EXPECT_TRUE(has_line(n->text, "CapabilityBoundingSet=CAP_CHOWN CAP_NET_ADMIN")) << n->text;
}

// A path socket bound without chmod: under the default umask only its owner
// could write it already, so others may lose read access but the group keeps
// what it had; a daemon that sets its own umask decides its socket's mode.
TEST(Gotchas, SocketsWithoutChmodKeepTheirGroup) {
  auto p = base();
  p.executables[0].addresses.push_back({"bind", "AF_UNIX", "/run/g/g.sock", 0, 1});
  p.executables[0].sockets.push_back({"AF_UNIX", "SOCK_STREAM", 0, 1});
  p.executables[0].files.push_back({"/run/g/g.sock", profile::kCreate, false, 0, 0, 0, 1});
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "UMask=0027")) << c->text;
  EXPECT_NE(c->text.find("UMask=0077: binds /run/g/g.sock without chmod: its group would lose access"),
            std::string::npos) << c->text;
  // A unit that lets its group write (UMask=0002): nothing may be taken.
  auto g = run("UMask=0002\n", p);
  EXPECT_EQ(g->text.find("\nUMask="), std::string::npos) << g->text;
  // The daemon calls umask() itself: its socket mode is its own.
  p.executables[0].syscalls[profile::Phase::startup].insert("umask");
  auto o = run("", p);
  EXPECT_TRUE(has_line(o->text, "UMask=0077")) << o->text;
}

// A directory made directly in a shared folder (snmpd's /var/agentx) is
// granted alone and made first with full privileges, never the folder.
TEST(Gotchas, ADirectoryMadeInASharedFolderIsGrantedAlone) {
  auto p = base();
  p.executables[0].files.push_back({"/var/agentx", profile::kCreate, false, 0, 0, 0, 1});
  p.executables[0].files.push_back({"/var/agentx/master", profile::kCreate | profile::kWrite, false, 0, 0, 0, 1});
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "ProtectSystem=strict")) << c->text;
  EXPECT_TRUE(has_line(c->text, "ReadWritePaths=-/var/agentx")) << c->text;
  EXPECT_FALSE(has_line(c->text, "ReadWritePaths=-/var")) << c->text;
  EXPECT_TRUE(has_line(c->text, "ExecStartPre=+/usr/bin/install -d /var/agentx")) << c->text;
  // A file made there (not a directory) keeps the old grant: nothing to pre-make.
  auto f = base();
  f.executables[0].files.push_back({"/opt/app.lock", profile::kCreate | profile::kWrite, false, 0, 0, 0, 1});
  auto d = run("", f);
  EXPECT_EQ(d->text.find("ExecStartPre="), std::string::npos) << d->text;
}

// CAP_SETPCAP serves a daemon's own drop of capabilities (knot's
// capng_apply()): moot under the narrowed bounding set, left out on trial.
TEST(Gotchas, SetpcapForDroppingCapabilitiesIsLeftOutOnTrial) {
  auto p = base();
  p.executables[0].capabilities.push_back({"CAP_SETPCAP", true, false, 38});
  p.executables[0].capabilities.push_back({"CAP_KILL", true, false, 1});
  p.executables[0].syscalls[profile::Phase::startup].insert({"capset", "prctl"});
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "CapabilityBoundingSet=CAP_KILL")) << c->text;
  EXPECT_NE(c->text.find("CAP_SETPCAP dropped: 38 granted checks, which come from dropping capabilities"),
            std::string::npos) << c->text;
}

// A socket-activated daemon takes clients through its socket units: an IP
// allow-list is safe only when none of them listens on IP, found through
// NAME.socket, an alias's socket (Alias=) or Sockets=.
TEST(Gotchas, PassedSocketsDecideTheIpAllowList) {
  auto p = base();
  p.executables[0].socket_activation_fds = {3};
  p.executables[0].sockets.push_back({"AF_UNIX", "SOCK_DGRAM", 0, 1});
  auto unknown = run("", p);
  EXPECT_FALSE(has_line(unknown->text, "IPAddressDeny=any")) << unknown->text;
  EXPECT_NE(unknown->text.find("clients of the passed sockets are unknown"), std::string::npos);

  const std::string install = "[Install]\nAlias=logd.service\n";
  auto local = run(install, p, {{"logd.socket", "[Socket]\nListenDatagram=/run/logd.sock\n"}},
                   {"/run/logd.sock"});
  EXPECT_TRUE(has_line(local->text, "IPAddressDeny=any")) << local->text;
  EXPECT_NE(local->text.find("the passed sockets are not IP: logd.socket ListenDatagram=/run/logd.sock"),
            std::string::npos) << local->text;

  auto ip = run("Sockets=web.socket\n", p,
                {{"web.socket", "[Socket]\nListenStream=/run/web.sock\nListenStream=8080\n"}},
                {"/run/web.sock", "8080"});
  EXPECT_FALSE(has_line(ip->text, "IPAddressDeny=any")) << ip->text;
  EXPECT_NE(ip->text.find("web.socket ListenStream=8080: clients can come from anywhere"), std::string::npos);

  // A socket of the same name that starts another service is not this one's.
  auto other = run("", p, {{"g.socket", "[Socket]\nListenDatagram=/run/g.sock\nService=h.service\n"}});
  EXPECT_FALSE(has_line(other->text, "IPAddressDeny=any")) << other->text;
}

// A daemon that opens PAM sessions for login accounts passes its sandbox on
// to them: nothing that would break sudo, homes or the users' programs.
profile::Profile session_daemon(bool runs_shells) {
  auto p = base();
  auto& e = p.executables[0];
  e.files.push_back({"/etc/pam.d/g", profile::kRead, false, 0, 0, 0, 2});
  e.uid_change = e.gid_change = true;
  e.uid_targets = {1000};
  e.gid_targets = {1000};
  e.syscalls[profile::Phase::serving].insert({"setresuid", "setresgid", "setgroups"});
  e.capabilities.push_back({"CAP_SETUID", true, false, 2});
  e.capabilities.push_back({"CAP_SETGID", true, false, 2});
  if (runs_shells) {
    profile::ExecutableProfile sh;
    sh.path = "/bin/bash";
    sh.elf_machine = "x86-64";
    sh.syscalls[profile::Phase::serving] = {"read", "write", "execve"};
    p.executables.push_back(sh);
  }
  return p;
}

TEST(Gotchas, SessionsKeepWhatSudoAndTheUsersNeed) {
  auto c = run("", session_daemon(true));
  for (const char* key : {"NoNewPrivileges=", "ProtectHome=", "CapabilityBoundingSet=", "SystemCallFilter=",
                          "RestrictSUIDSGID=", "ProtectSystem=", "MemoryDenyWriteExecute=", "PrivateNetwork=",
                          "InaccessiblePaths=", "UMask="})
    EXPECT_EQ(("\n" + c->text).find(std::string("\n") + key), std::string::npos) << key << "\n" << c->text;
  EXPECT_NE(c->text.find("starts login sessions (uses PAM (/etc/pam.d/g) and switches to the login account 1000; "
                         "executes /bin/bash)"),
            std::string::npos)
      << c->text;
  EXPECT_NE(c->text.find("NoNewPrivileges=yes: starts login sessions: sessions inherit it: sudo"), std::string::npos)
      << c->text;
  // What serving no login accounts would allow is said, and scores lower.
  ASSERT_TRUE(c->plan.beyond_dropin.has_value()) << c->text;
  EXPECT_LT(c->plan.beyond_dropin->exposure_tenths, c->plan.exposure_after_tenths);
  EXPECT_NE(c->text.find("# Beyond this drop-in: serving no login accounts"), std::string::npos) << c->text;
  EXPECT_NE(c->text.find("#   - the login sessions it starts: uses PAM"), std::string::npos) << c->text;
}

TEST(Gotchas, SessionsThatRunNoCommandsKeepTheFilter) {
  auto p = session_daemon(false);
  // The test login uploads into its home: every login's home is writable.
  p.executables[0].files.push_back({"/home/alice/up.bin", profile::kCreate | profile::kWrite, false, 0, 0, 0, 3});
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "ReadWritePaths=-/home")) << c->text;
  EXPECT_EQ(c->text.find("/home/alice"), std::string::npos) << c->text;
  EXPECT_EQ(c->text.find("\nProtectHome="), std::string::npos) << c->text;
  EXPECT_NE(c->text.find("\nSystemCallFilter="), std::string::npos) << c->text;
  EXPECT_NE(c->text.find("\nProtectSystem="), std::string::npos) << c->text;
  // Such a session runs only the daemon's own code, which the profile saw:
  // no setuid helper run, no setuid file made, so both restrictions hold.
  EXPECT_TRUE(has_line(c->text, "NoNewPrivileges=yes")) << c->text;
  EXPECT_TRUE(has_line(c->text, "RestrictSUIDSGID=yes")) << c->text;
  // ProtectHome= stays out, but root's home, which no session used, is hidden.
  EXPECT_NE(c->text.find("\nInaccessiblePaths=-/etc/ssh"), std::string::npos) << c->text;
  EXPECT_NE(c->text.find(" -/root\n"), std::string::npos) << c->text;
  // A session daemon that runs PAM's setuid helper (unix_chkpwd) keeps it working.
  auto helper = session_daemon(false);
  profile::ExecutableProfile chkpwd;
  chkpwd.path = "/usr/sbin/unix_chkpwd";
  chkpwd.elf_machine = "x86-64";
  chkpwd.setuid_binary = true;
  chkpwd.started_by = {"/usr/bin/g"};
  helper.executables.push_back(chkpwd);
  auto d = run("", helper);
  EXPECT_FALSE(has_line(d->text, "NoNewPrivileges=yes")) << d->text;
  EXPECT_NE(d->text.find("unix_chkpwd"), std::string::npos) << d->text;
}

// A start helper (ExecStartPost=) that needs root for what it does (a script
// that runs update-alternatives): it keeps its privileges through "+", and
// the sandbox fits the daemon alone.
profile::Profile with_post_helper(bool trees_known) {
  auto p = base();
  p.executables[0].started_by = {"/usr/bin/g"};
  profile::ExecutableProfile post;
  post.path = "/usr/lib/g/post-start";
  post.elf_machine = "x86-64";
  post.syscalls[profile::Phase::startup] = {"execve", "read"};
  profile::ExecutableProfile alt;
  alt.path = "/usr/bin/update-alternatives";
  alt.elf_machine = "x86-64";
  alt.syscalls[profile::Phase::startup] = {"openat", "rename", "symlink"};
  alt.files.push_back({"/etc/alternatives/g.sock", profile::kCreate | profile::kRename, false, 0, 0, 0, 2});
  alt.files.push_back({"/var/log/alternatives.log", profile::kWrite, false, 0, 0, 0, 1});
  if (trees_known) {
    post.started_by = {"/usr/lib/g/post-start"};
    alt.started_by = {"/usr/lib/g/post-start"};
  }
  p.executables.push_back(post);
  p.executables.push_back(alt);
  return p;
}

TEST(Gotchas, StartHelpersKeepTheirPrivilegesThroughPlus) {
  const std::string unit = "ExecStartPost=-/usr/lib/g/post-start install\n";
  auto c = run(unit, with_post_helper(true));
  EXPECT_TRUE(has_line(c->text, "ExecStartPost=")) << c->text;
  EXPECT_TRUE(has_line(c->text, "ExecStartPost=+-/usr/lib/g/post-start install")) << c->text;
  EXPECT_EQ(c->text.find("/etc/alternatives"), std::string::npos) << c->text;
  EXPECT_TRUE(has_line(c->text, "ProtectSystem=strict") || has_line(c->text, "DynamicUser=yes")) << c->text;
  EXPECT_NE(c->text.find("/usr/bin/update-alternatives: runs from ExecStartPost=+"), std::string::npos) << c->text;
  // Without the process trees the helper cannot be told from the daemon:
  // its writes are granted inside the sandbox instead, at a higher score.
  auto d = run(unit, with_post_helper(false));
  EXPECT_FALSE(has_line(d->text, "ExecStartPost=+-/usr/lib/g/post-start install")) << d->text;
  EXPECT_LT(c->plan.exposure_after_tenths, d->plan.exposure_after_tenths);
}

// The daemon's own binary also runs from ExecStartPre= and ExecReload= (a
// configuration test, "sshd -t"). A reload in the workload runs /bin/kill
// from ExecReload= as well, and the plan may re-list those lines with "+";
// the daemon's events still make the proposal (issue 22: they were all set
// aside as "runs from ExecReload=+", and the plan was made from nothing).
TEST(Gotchas, TheDaemonsOwnBinaryInAPlusLineDoesNotHideTheDaemon) {
  const std::string unit = "ExecStartPre=/usr/bin/g -t\nExecReload=/usr/bin/g -t\nExecReload=/bin/kill -HUP $MAINPID\n";
  auto daemon = base();
  daemon.executables[0].started_by = {"/usr/bin/g"};
  daemon.executables[0].sockets.push_back({"AF_INET6", "SOCK_STREAM", 0, 2});
  daemon.executables[0].syscalls[profile::Phase::serving].insert({"accept4", "sendmsg", "setsockopt"});
  auto reloaded = daemon;
  profile::ExecutableProfile kill;
  kill.path = "/bin/kill";
  kill.elf_machine = "x86-64";
  kill.started_by = {"/bin/kill"};
  kill.syscalls[profile::Phase::serving] = {"kill", "execve"};
  kill.capabilities.push_back({"CAP_KILL", true, false, 1});  // a reason to run it outside the sandbox
  kill.files.push_back({"/etc/g/reloaded", profile::kWrite | profile::kCreate, false, 0, 0, 0, 1});
  reloaded.executables.push_back(kill);
  auto plain = run(unit, daemon);
  auto with_reload = run(unit, reloaded);
  EXPECT_EQ(with_reload->plan.syscalls.observed_all, plain->plan.syscalls.observed_all) << with_reload->text;
  EXPECT_GT(with_reload->plan.syscalls.observed_all, 0u);
  for (const auto& d : plain->plan.directives) {
    // Command lines differ by design (re-listed with "+"), and so may what is
    // executable once /bin/kill runs outside: every other line is the same.
    if (d.key.rfind("Exec", 0) == 0 || d.key == "NoExecPaths") continue;
    auto it = std::find_if(with_reload->plan.directives.begin(), with_reload->plan.directives.end(),
                           [&](const Directive& x) { return x.key == d.key; });
    ASSERT_NE(it, with_reload->plan.directives.end()) << d.key << "\n" << with_reload->text;
    EXPECT_EQ(it->values, d.values) << d.key << "\n" << with_reload->text;
  }
  EXPECT_NE(with_reload->text.find("AF_INET6"), std::string::npos) << with_reload->text;
  EXPECT_EQ(with_reload->text.find("/usr/bin/g: runs from"), std::string::npos) << with_reload->text;
  // The helper lines did move out of the sandbox, and only kill's tree with them.
  EXPECT_TRUE(has_line(with_reload->text, "ExecReload=+/bin/kill -HUP $MAINPID")) << with_reload->text;
  EXPECT_NE(with_reload->text.find("/bin/kill: runs from ExecReload=+"), std::string::npos) << with_reload->text;
}

// A lock file in /run/lock: the folder is everyone's (Debian's /run/lock is
// world-writable and sticky). RuntimeDirectory=lock would take it over and
// systemd would delete it at stop (issue 25).
TEST(Gotchas, ASharedRunFolderIsNeverTheDaemonsRuntimeDirectory) {
  auto p = base();
  p.executables[0].started_by = {"/usr/bin/g"};
  p.executables[0].files.push_back({"/run/lock/g.lock", profile::kCreate | profile::kWrite, false, 0, 0, 0, 1});
  p.executables[0].files.push_back({"/run/g/g.sock", profile::kCreate | profile::kWrite, false, 0, 0, 0, 1});
  auto c = run("", p);
  EXPECT_EQ(c->text.find("RuntimeDirectory=lock"), std::string::npos) << c->text;
  EXPECT_NE(c->text.find("RuntimeDirectory=g"), std::string::npos) << c->text;
  using rules::managed_directory;
  EXPECT_FALSE(managed_directory("/run/lock/g.lock").has_value());
  EXPECT_FALSE(managed_directory("/run/user/1000/x").has_value());
  EXPECT_FALSE(managed_directory("/run/systemd/notify").has_value());
  EXPECT_FALSE(managed_directory("/var/lib/systemd/timesync/clock").has_value());
  EXPECT_FALSE(managed_directory("/var/cache/systemd/x").has_value());
  EXPECT_EQ(managed_directory("/run/g/g.sock")->second, "g");
  // The system's own parts of /run (the journal's, udev's, D-Bus's, POSIX
  // shared memory, credentials): one table with grant.cc's (unit/semantics.h),
  // where before this rule would have made RuntimeDirectory=dbus.
  for (const char* other : {"/run/dbus/x.pid", "/run/log/journal/x", "/run/udev/data/x", "/run/shm/x",
                            "/run/credentials/x.service/k"})
    EXPECT_FALSE(managed_directory(other).has_value()) << other;
}

// Only the programs run may be executed; a script's interpreter is one of
// them, and "#!/usr/bin/env" makes the list uncertain (writable folders
// are then noexec instead).
TEST(Gotchas, ExecPathsNameTheProgramsAndTheirInterpreters) {
  auto p = base();
  p.executables[0].started_by = {"/usr/bin/g"};
  auto c = run("", p);
  EXPECT_TRUE(has_line(c->text, "NoExecPaths=/ -/tmp -/var/tmp -/dev/shm -/run")) << c->text;
  // Every library folder stays executable, the 32-bit ones too (issue 25:
  // /usr/lib32 was in one library list and missing from this one).
  EXPECT_TRUE(has_line(c->text, "ExecPaths=/usr/bin/g /usr/lib -/lib -/usr/lib64 -/lib64 -/usr/lib32 -/lib32 "
                                "-/usr/libx32 -/libx32"))
      << c->text;
  // systemd mounts each NoExecPaths= entry on its own, and ProtectSystem=strict
  // then leaves it writable: /run, never written, is made read-only again
  // (not the private /tmp, nor /dev/shm under the API /dev).
  // Even a dynamic user: Debian's /run/lock is everyone's.
  EXPECT_TRUE(has_line(c->text, "ReadOnlyPaths=-/run")) << c->text;
  // A root service gets no program list: each ExecPaths= entry would be a
  // mount that ProtectSystem=strict leaves writable, its programs and
  // libraries open to rewriting. The folders it may write are noexec instead.
  auto as_root = base();
  as_root.executables[0].started_by = {"/usr/bin/g"};
  as_root.executables[0].files.push_back({"/etc/shadow", profile::kRead, false, 0, 0, 0, 1});
  auto r = run("", as_root);
  ASSERT_TRUE(has_line(r->text, "ProtectSystem=strict")) << r->text;
  ASSERT_EQ(r->text.find("\nDynamicUser=yes"), std::string::npos) << r->text;
  EXPECT_EQ(r->text.find("\nExecPaths="), std::string::npos) << r->text;
  EXPECT_TRUE(has_line(r->text, "NoExecPaths=-/dev/shm -/run -/tmp -/var/tmp")) << r->text;
  EXPECT_TRUE(has_line(r->text, "ReadOnlyPaths=-/run")) << r->text;
  // A daemon that writes its PID file in /run may write /run: no such line.
  auto pid = as_root;
  pid.executables[0].files.push_back({"/run/g.pid", profile::kCreate | profile::kWrite, false, 0, 0, 0, 1});
  auto w = run("", pid);
  EXPECT_TRUE(has_line(w->text, "ReadWritePaths=-/run")) << w->text;
  EXPECT_EQ(w->text.find("\nReadOnlyPaths="), std::string::npos) << w->text;
  // A library opened outside the library folders stays mappable as code.
  auto local = base();
  local.executables[0].started_by = {"/usr/bin/g"};
  local.executables[0].files.push_back({"/usr/local/lib/libg.so.1", profile::kRead, false, 0, 0, 0, 1});
  auto l = run("", local);
  EXPECT_TRUE(has_line(l->text, "ExecPaths=/usr/bin/g /usr/local/lib/libg.so.1 /usr/lib -/lib -/usr/lib64 -/lib64 "
                                "-/usr/lib32 -/lib32 -/usr/libx32 -/libx32"))
      << l->text;
  auto script = base();
  script.executables[0].interpreter = "/usr/bin/perl";
  auto s = run("", script);
  EXPECT_TRUE(has_line(s->text, "ExecPaths=/usr/bin/g /usr/bin/perl /usr/lib -/lib -/usr/lib64 -/lib64 -/usr/lib32 "
                                "-/lib32 -/usr/libx32 -/libx32"))
      << s->text;
  auto env = base();
  env.executables[0].interpreter = "/usr/bin/env";
  auto e = run("", env);
  EXPECT_FALSE(has_line(e->text, "NoExecPaths=/ -/tmp -/var/tmp -/dev/shm -/run")) << e->text;
  EXPECT_NE(e->text.find("\nNoExecPaths=-"), std::string::npos) << e->text;
}

}  // namespace
}  // namespace sdh::synth
