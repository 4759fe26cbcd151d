// SPDX-License-Identifier: GPL-2.0-or-later
// A root daemon that only needs its package account's files gets a static
// User= (redis: the Debian package runs it as redis); anything else keeps root.
#include <gtest/gtest.h>

#include "compat_checker.h"
#include "synth/host_changes.h"
#include "synth/static_user.h"
#include "synth/synth.h"
#include "unit/loader.h"

namespace sdh::synth {
namespace {

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# a comment\n"
    "broken line\n"
    "redis:x:104:107::/var/lib/redis:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const char* kGroup =
    "root:x:0:\n"
    "adm:x:4:redis\n"
    "redis:x:107:\n"
    "nogroup:x:65534:\n";

SystemFacts redis_facts() {
  SystemFacts f;
  f.accounts = parse_accounts(kPasswd, kGroup);
  auto dir = [&](const std::string& p, uint32_t uid, uint32_t gid, uint32_t mode) {
    f.files[p] = {uid, gid, mode, true};
  };
  auto file = [&](const std::string& p, uint32_t uid, uint32_t gid, uint32_t mode) {
    f.files[p] = {uid, gid, mode, false};
  };
  dir("/", 0, 0, 0755);
  dir("/etc", 0, 0, 0755);
  dir("/etc/redis", 104, 107, 02770);
  file("/etc/redis/redis.conf", 104, 107, 0640);
  dir("/usr", 0, 0, 0755);
  dir("/usr/lib", 0, 0, 0755);
  file("/usr/lib/libc.so.6", 0, 0, 0644);
  dir("/var", 0, 0, 0755);
  dir("/var/lib", 0, 0, 0755);
  dir("/var/lib/redis", 104, 107, 0750);
  dir("/var/log", 0, 0, 0755);
  dir("/var/log/redis", 104, 4, 02750);
  return f;
}

profile::Profile redis_profile() {
  profile::Profile p;
  p.architecture = "x86-64";
  p.runs = 1;
  p.events = 300;
  profile::ExecutableProfile e;
  e.path = "/usr/bin/redis-server";
  e.elf_machine = "x86-64";
  e.syscalls[profile::Phase::startup] = {"openat", "read", "close", "mmap", "execve", "rename"};
  e.syscalls[profile::Phase::serving] = {"read", "write"};
  e.files.push_back({"/etc/redis/redis.conf", profile::kRead, false, 0, 0, 0, 2});
  e.files.push_back({"/usr/lib/libc.so.6", profile::kRead, false, 0, 0, 0, 1});
  e.files.push_back({"/var/lib/redis/temp-1.rdb", profile::kWrite | profile::kCreate | profile::kRename, false, 0,
                     0, 0, 1});
  e.files.push_back({"/var/lib/redis/dump.rdb", profile::kRename, false, 0, 0, 0, 1});
  e.files.push_back({"/var/log/redis/redis-server.log", profile::kWrite | profile::kCreate, false, 0, 0, 0, 1});
  e.files.push_back({"/proc/self/stat", profile::kRead, false, 0, 0, 0, 1});
  e.files.push_back({"/proc/sys/net/core/somaxconn", profile::kRead, false, 0, 0, 0, 1});
  for (const char* c : {"CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_NET_ADMIN"})
    e.capabilities.push_back({c, true, false, 5});
  p.executables.push_back(e);
  return p;
}

struct Run {
  MemoryFileSystem fs;
  HardeningPlan plan;
  std::string text;
};

std::unique_ptr<Run> propose_with(const profile::Profile& prof, const SystemFacts& facts,
                                  const std::string& unit_text = "[Service]\nExecStart=/usr/bin/redis-server\n",
                                  const std::string& static_user_refused = "") {
  auto r = std::make_unique<Run>();
  r->fs.add_dir("/etc/systemd/system");
  r->fs.add_file("/etc/systemd/system/redis.service", unit_text);
  auto u = unit::load_unit(r->fs, "redis.service");
  if (!u) throw std::runtime_error(u.error().to_string());
  ProposeOptions o;
  o.fs = &r->fs;
  o.facts = facts;
  o.static_user_refused = static_user_refused;
  auto plan = propose(*u, prof, o);
  if (!plan) throw std::runtime_error(plan.error().to_string());
  r->plan = *plan;
  r->text = render_dropin(r->plan);
  testing::CheckInput in;
  in.dropin = r->text;
  in.unit_exec_lines = u->settings.exec_lines;
  in.profile = &prof;
  in.facts = &facts;
  auto bad = testing::check_dropin(in);
  std::string all;
  for (const auto& b : bad) all += b + "\n";
  EXPECT_TRUE(bad.empty()) << all << r->text;
  return r;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(SystemFacts, ParsesAccountsAndGroups) {
  auto accounts = parse_accounts(kPasswd, kGroup);
  ASSERT_EQ(accounts.size(), 3u);  // the comment and the broken line are skipped
  SystemFacts f;
  f.accounts = accounts;
  const Account* r = f.account("redis");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->uid, 104u);
  EXPECT_EQ(r->group, "redis");
  EXPECT_EQ(r->groups, (std::set<uint32_t>{4, 107}));  // adm lists redis as a member
  EXPECT_EQ(f.account(uint32_t{65534})->name, "nobody");
  EXPECT_EQ(f.account("nosuch"), nullptr);
}

TEST(SystemFacts, PermitsFollowsOwnerGroupOtherAndSearchesAncestors) {
  auto f = redis_facts();
  const Account& redis = *f.account("redis");
  const Account& nobody = *f.account("nobody");
  EXPECT_TRUE(permits(f, redis, "/etc/redis/redis.conf", 4));
  EXPECT_FALSE(permits(f, redis, "/etc/redis/redis.conf", 1));
  EXPECT_FALSE(permits(f, nobody, "/etc/redis/redis.conf", 4));  // /etc/redis is 2770: no search
  EXPECT_TRUE(permits(f, redis, "/var/log/redis", 3));            // owner
  EXPECT_TRUE(permits(f, nobody, "/usr/lib/libc.so.6", 4));       // other
  EXPECT_FALSE(permits(f, nobody, "/usr/lib/libc.so.6", 2));
  EXPECT_FALSE(permits(f, redis, "/var/lib/redis/missing", 4));   // absent file
  f.files["/var/log/redis"].uid = 0;                               // root:adm 2750: group adm
  EXPECT_TRUE(permits(f, redis, "/var/log/redis", 4 | 1));
  EXPECT_FALSE(permits(f, redis, "/var/log/redis", 2));
}

TEST(StaticUser, RootDaemonOnItsAccountsFilesRunsAsThatAccount) {
  auto r = propose_with(redis_profile(), redis_facts());
  EXPECT_TRUE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "Group=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "CapabilityBoundingSet=")) << r->text;
  EXPECT_TRUE(has_line(r->text, "PrivateUsers=yes")) << r->text;
  EXPECT_NE(r->text.find("CAP_NET_ADMIN dropped: 5 granted checks but no netlink"), std::string::npos) << r->text;
  // /var/lib/redis is redis:redis: systemd may hand it over. /var/log/redis
  // is redis:adm: LogsDirectory= would chown it to redis:redis.
  EXPECT_TRUE(has_line(r->text, "StateDirectory=redis")) << r->text;
  EXPECT_FALSE(has_line(r->text, "LogsDirectory=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "ReadWritePaths=-/var/log/redis")) << r->text;
  // The same evidence without owner facts keeps root and the capabilities.
  auto root = propose_with(redis_profile(), SystemFacts{});
  EXPECT_FALSE(has_line(root->text, "User=redis"));
  EXPECT_LT(r->plan.exposure_after_tenths, root->plan.exposure_after_tenths);
}

TEST(StaticUser, WriteToARootFileKeepsRoot) {
  auto p = redis_profile();
  auto f = redis_facts();
  f.files["/etc/motd"] = {0, 0, 0644, false};
  p.executables[0].files.push_back({"/etc/motd", profile::kWrite, false, 0, 0, 0, 1});
  auto r = propose_with(p, f);
  EXPECT_FALSE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_NE(r->text.find("User=redis: as redis it could not write /etc/motd"), std::string::npos) << r->text;
}

TEST(StaticUser, RootServiceLeavesAnotherUsersStateDirectoryAlone) {
  // Started as root, switching to redis and using a capability no account
  // should hold: it stays root, and StateDirectory= would chown
  // /var/lib/redis to root.
  auto p = redis_profile();
  auto& e = p.executables[0];
  e.uid_change = true;
  e.uid_targets = {104};
  e.capabilities.push_back({"CAP_SYS_MODULE", true, false, 1});
  auto r = propose_with(p, redis_facts());
  EXPECT_FALSE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_FALSE(has_line(r->text, "StateDirectory=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "ReadWritePaths=-/var/lib/redis")) << r->text;
  // Without owner facts nothing is known to change: StateDirectory= as before.
  EXPECT_TRUE(has_line(propose_with(p, SystemFacts{})->text, "StateDirectory=redis"));
}

TEST(StaticUser, PrivilegedCapabilityOrIdentityChangeKeepsRoot) {
  // A capability that makes an account root in all but name keeps root.
  auto p = redis_profile();
  p.executables[0].capabilities.push_back({"CAP_SYS_MODULE", true, false, 1});
  auto r = propose_with(p, redis_facts());
  EXPECT_FALSE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_NE(r->text.find("uses CAP_SYS_MODULE"), std::string::npos) << r->text;

  auto q = redis_profile();
  q.executables[0].uid_change = true;
  auto s = propose_with(q, redis_facts());
  EXPECT_FALSE(has_line(s->text, "User=redis")) << s->text;

  // A netlink socket makes CAP_NET_ADMIN a real need: the account keeps it,
  // ambient, as Debian's knot.service keeps CAP_SETPCAP.
  auto n = redis_profile();
  n.executables[0].sockets.push_back({"AF_NETLINK", "SOCK_RAW", 0, 1});
  auto t = propose_with(n, redis_facts());
  EXPECT_TRUE(has_line(t->text, "User=redis")) << t->text;
  EXPECT_TRUE(has_line(t->text, "AmbientCapabilities=CAP_NET_ADMIN")) << t->text;
  EXPECT_TRUE(has_line(t->text, "CapabilityBoundingSet=CAP_NET_ADMIN")) << t->text;
}

TEST(StaticUser, DaemonThatSwitchesToAnAccountItselfIsStartedAsIt) {
  auto p = redis_profile();
  auto& e = p.executables[0];
  e.uid_change = e.gid_change = true;
  e.uid_targets = {104};
  e.gid_targets = {107};
  e.capabilities.push_back({"CAP_SETUID", true, false, 1});
  e.capabilities.push_back({"CAP_SETGID", true, false, 2});
  auto r = propose_with(p, redis_facts());
  EXPECT_TRUE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "Group=redis")) << r->text;
  EXPECT_NE(r->text.find("switches to redis itself"), std::string::npos) << r->text;
  EXPECT_TRUE(has_line(r->text, "CapabilityBoundingSet=")) << r->text;

  // Switching to two users, or to root, names no single account.
  e.uid_targets = {104, 65534};
  EXPECT_FALSE(has_line(propose_with(p, redis_facts())->text, "User=redis"));
  // Another capability is kept as an ambient one of the account.
  e.uid_targets = {104};
  e.capabilities.push_back({"CAP_NET_BIND_SERVICE", true, false, 1});
  auto amb = propose_with(p, redis_facts());
  EXPECT_TRUE(has_line(amb->text, "User=redis")) << amb->text;
  EXPECT_TRUE(has_line(amb->text, "AmbientCapabilities=CAP_NET_BIND_SERVICE")) << amb->text;
}

// memcached's shape: a wrapper that refuses to start unless root, then the
// daemon switches to its account for good. Refused as a static User=, the
// account still runs it: User= with the Exec lines kept as root ("!").
TEST(OwnSwitch, DaemonThatMustStartAsRootRunsUnderItsAccountWithItsStartKept) {
  auto p = redis_profile();
  p.credentials_tracked = true;
  auto& e = p.executables[0];
  e.uid_change = e.gid_change = true;
  e.uid_targets = {104};
  e.gid_targets = {107};
  e.capabilities.push_back({"CAP_SETUID", true, false, 1});
  e.capabilities.push_back({"CAP_SETGID", true, false, 2});
  const std::string unit = "[Service]\nExecStartPre=/usr/bin/redis-check\nExecStart=/usr/bin/redis-server\n"
                           "ExecReload=+/bin/kill -HUP $MAINPID\n";
  const std::string refused = "started as redis it fails: the unit does not start";
  auto r = propose_with(p, redis_facts(), unit, refused);
  EXPECT_TRUE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "Group=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "ExecStart=!/usr/bin/redis-server")) << r->text;
  EXPECT_TRUE(has_line(r->text, "ExecStartPre=!/usr/bin/redis-check")) << r->text;
  EXPECT_EQ(r->text.find("ExecReload="), std::string::npos) << "a \"+\" line needs nothing" << r->text;
  // It still starts as root: what it uses then stays in the bounding set.
  auto caps = std::find_if(r->plan.directives.begin(), r->plan.directives.end(),
                           [](const Directive& d) { return d.key == "CapabilityBoundingSet"; });
  ASSERT_NE(caps, r->plan.directives.end()) << r->text;
  EXPECT_NE(caps->values.back().find("CAP_SETUID"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("User=redis from the start: " + refused), std::string::npos) << r->text;

  // Without the refusal, started as redis is tighter and wins.
  auto plain = propose_with(p, redis_facts(), unit);
  EXPECT_EQ(plain->text.find("ExecStart=!"), std::string::npos) << plain->text;
  EXPECT_TRUE(has_line(plain->text, "User=redis")) << plain->text;

  // A process of the daemon that keeps root after start-up (a root master
  // beside its workers): User= would misstate it.
  auto master = p;
  master.executables[0].root_after_startup = {"/usr/bin/redis-server"};
  auto m = propose_with(master, redis_facts(), unit, refused);
  EXPECT_FALSE(has_line(m->text, "User=redis")) << m->text;
  EXPECT_NE(m->text.find("/usr/bin/redis-server keeps a root user id after start-up"), std::string::npos) << m->text;

  // A profile that did not follow user ids cannot show it.
  auto old = p;
  old.credentials_tracked = false;
  auto o = propose_with(old, redis_facts(), unit, refused);
  EXPECT_FALSE(has_line(o->text, "User=redis")) << o->text;
}

// The ephemeral root: the OS trees whole and read-only, the daemon's own
// folders in shared ones bound in (writable where it writes), nothing else.
TEST(EphemeralRoot, BindsTheOsTreesAndWhatTheDaemonUsed) {
  auto r = propose_with(redis_profile(), redis_facts());
  EXPECT_TRUE(has_line(r->text, "RuntimeDirectory=redis-root")) << r->text;
  EXPECT_TRUE(has_line(r->text, "RootDirectory=/run/redis-root")) << r->text;
  EXPECT_TRUE(has_line(r->text, "BindReadOnlyPaths=/usr /etc -/bin -/sbin -/lib -/lib64 -/lib32 -/libx32")) << r->text;
  EXPECT_TRUE(has_line(r->text, "BindPaths=-/var/lib/redis -/var/log/redis")) << r->text;
  EXPECT_EQ(r->text.find("RootDirectory=: "), std::string::npos) << r->text;
  // As redis, it cannot rewrite what the root's program list makes
  // executable: the OS trees are noexec but for its programs and libraries.
  ASSERT_TRUE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_NE(r->text.find("\nNoExecPaths=+/ -+/tmp -+/var/tmp -+/etc"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find(" -+/usr -+/bin -+/sbin\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("\nExecPaths=+/usr/bin/redis-server"), std::string::npos) << r->text;

  // A daemon that mounts (or a lost event) keeps the host's root, and says why.
  auto m = redis_profile();
  m.executables[0].mounts = true;
  auto mounted = propose_with(m, redis_facts());
  EXPECT_FALSE(has_line(mounted->text, "RootDirectory=/run/redis-root")) << mounted->text;
  EXPECT_NE(mounted->text.find("RootDirectory=: mounts file systems"), std::string::npos) << mounted->text;
}

// nginx's shape: started as root, binds port 80, switches to its account
// itself, writes its PID file into root's /run and its temporary folders
// into root's /var/lib/nginx.
profile::Profile web_profile() {
  auto p = redis_profile();
  auto& e = p.executables[0];
  e.uid_change = e.gid_change = true;
  e.uid_targets = {104};
  e.gid_targets = {107};
  for (const char* c : {"CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_NET_BIND_SERVICE"})
    e.capabilities.push_back({c, true, false, 1});
  e.addresses.push_back({"bind", "AF_INET", "0.0.0.0", 80, 1});
  for (const char* sc : {"setgroups", "setgid", "setuid", "chown"}) e.syscalls[profile::Phase::startup].insert(sc);
  e.files.push_back({"/run/web.pid", profile::kRead | profile::kWrite | profile::kCreate | profile::kDelete, false,
                     0, 0, 0, 2});
  e.files.push_back({"/var/lib/web/body", profile::kCreate | profile::kChown, false, 0, 0, 0, 1});
  return p;
}

SystemFacts web_facts() {
  auto f = redis_facts();
  f.files["/run"] = {0, 0, 0755, true};
  f.files["/var/lib/web"] = {0, 0, 0755, true};
  return f;
}

const char* kWebUnit =
    "[Service]\nType=forking\nPIDFile=/run/web.pid\nExecStartPre=/usr/bin/redis-server --test\n"
    "ExecStart=/usr/bin/redis-server\n";

TEST(StaticUser, PrivilegedPortIsAnAmbientCapabilityOfTheAccount) {
  auto r = propose_with(web_profile(), web_facts(), kWebUnit);
  EXPECT_TRUE(has_line(r->text, "User=redis")) << r->text;
  EXPECT_TRUE(has_line(r->text, "AmbientCapabilities=CAP_NET_BIND_SERVICE")) << r->text;
  EXPECT_TRUE(has_line(r->text, "CapabilityBoundingSet=CAP_NET_BIND_SERVICE")) << r->text;
  EXPECT_NE(r->text.find("binds port 80, below 1024"), std::string::npos) << r->text;
  // The capability only works in the host's user namespace.
  EXPECT_FALSE(has_line(r->text, "PrivateUsers=yes")) << r->text;
  // The switch's calls are moot for a daemon started as the account: no
  // @privileged call is left in the allow-list.
  EXPECT_NE(r->text.find("setuid, setgid, setgroups, chown left out: root used them only to become redis"),
            std::string::npos)
      << r->text;
  auto filter = r->text.substr(r->text.find("\nSystemCallFilter=") + 1);
  filter = filter.substr(0, filter.find('\n'));
  for (const char* sc : {" setuid", " setgid", " setgroups", " chown"})
    EXPECT_EQ((filter + " ").find(std::string(sc) + " "), std::string::npos) << filter;
  // Kept as root (no facts): the calls stay allowed.
  auto root = propose_with(web_profile(), SystemFacts{}, kWebUnit);
  EXPECT_NE(root->text.find(" setuid"), std::string::npos) << root->text;
}

TEST(StaticUser, PidFileInRootsRunIsCreatedForTheAccountBeforeTheUnitsOwnLines) {
  auto r = propose_with(web_profile(), web_facts(), kWebUnit);
  // Reset, create, then the unit's own line again: it may open the file too.
  auto at = r->text.find("ExecStartPre=\nExecStartPre=+/usr/bin/install -m 0644 -o redis -g redis /dev/null "
                         "/run/web.pid\nExecStartPre=/usr/bin/redis-server --test\n");
  EXPECT_NE(at, std::string::npos) << r->text;
  EXPECT_TRUE(has_line(r->text, "ReadWritePaths=-/run")) << r->text;
  // root:root /var/lib/web is handed to the account: nobody else could write it.
  EXPECT_TRUE(has_line(r->text, "StateDirectory=web")) << r->text;

  // A PID file left by an instance running on this machine changes nothing.
  auto running = web_facts();
  running.files["/run/web.pid"] = {0, 0, 0644, false};
  EXPECT_TRUE(has_line(propose_with(web_profile(), running, kWebUnit)->text, "User=redis"));

  // Without a PIDFile= the removal at exit would fail as redis: root stays.
  auto plain = propose_with(web_profile(), web_facts(), "[Service]\nExecStart=/usr/bin/redis-server\n");
  EXPECT_FALSE(has_line(plain->text, "User=redis")) << plain->text;
  EXPECT_NE(plain->text.find("create /run/web.pid in /run"), std::string::npos) << plain->text;

  // A socket bound in /run cannot be created ahead: root stays.
  auto sock = web_profile();
  sock.executables[0].addresses.push_back({"bind", "AF_UNIX", "/run/web.ctl", 0, 1});
  auto s = propose_with(sock, web_facts(), kWebUnit);
  EXPECT_FALSE(has_line(s->text, "User=redis")) << s->text;

  // What the socket costs is said: the plan started as redis, scored, and
  // what a change outside the drop-in must remove.
  ASSERT_TRUE(s->plan.beyond_dropin.has_value()) << s->text;
  EXPECT_EQ(s->plan.beyond_dropin->user, "redis");
  EXPECT_LT(s->plan.beyond_dropin->exposure_tenths, s->plan.exposure_after_tenths);
  EXPECT_NE(s->text.find("# Beyond this drop-in: started as redis, the service would score 9.6 -> "),
            std::string::npos)
      << s->text;
  EXPECT_NE(s->text.find("#   - as redis it could not create /run/web.ctl in /run"), std::string::npos) << s->text;
  // The plan beyond is kept as a trial for auto to verify: started as
  // redis, its User= line saying what verification must show.
  ASSERT_TRUE(s->plan.beyond_dropin->trial);
  const auto& trial = *s->plan.beyond_dropin->trial;
  EXPECT_EQ(trial.exposure_after_tenths, s->plan.beyond_dropin->exposure_tenths);
  EXPECT_FALSE(trial.beyond_dropin.has_value());
  auto user = std::find_if(trial.directives.begin(), trial.directives.end(),
                           [](const synth::Directive& d) { return d.key == "User"; });
  ASSERT_NE(user, trial.directives.end());
  EXPECT_EQ(user->values.back(), "redis");
  EXPECT_NE(user->justification.find("a trial as redis"), std::string::npos) << user->justification;
  EXPECT_NE(user->justification.find("create /run/web.ctl in /run"), std::string::npos) << user->justification;
  // Nothing to say when the static user is in the drop-in already.
  EXPECT_FALSE(propose_with(web_profile(), web_facts(), kWebUnit)->plan.beyond_dropin.has_value());

  // A /var/lib/web that another account may write is not handed over.
  auto f = web_facts();
  f.files["/var/lib/web"].mode = 0775;
  auto g = propose_with(web_profile(), f, kWebUnit);
  EXPECT_FALSE(has_line(g->text, "User=redis")) << g->text;
}

TEST(StaticUser, CandidateIsTheOwnerOfTheWritesNeverNobody) {
  auto f = redis_facts();
  Evidence ev = digest(redis_profile());
  auto a = analyse_static_user(ev, f, UnitSetup{});
  ASSERT_NE(a.account, nullptr);
  EXPECT_EQ(a.account->name, "redis");
  EXPECT_TRUE(a.usable());
  for (auto& [path, facts] : f.files)
    if (facts.uid == 104) facts.uid = 65534;
  auto b = analyse_static_user(ev, f, UnitSetup{});
  EXPECT_FALSE(b.usable());
  EXPECT_EQ(b.account, nullptr);
}

}  // namespace
}  // namespace sdh::synth

namespace sdh::synth {
namespace {

// snmpd's agentx folder: made at start directly in /var, with its master
// socket inside. As redis (the owner of what else it touches) it could not
// create the folder in root's /var; the plan makes it first for the
// account ("+"), and the header says the folder changes owner when it exists.
TEST(StaticUser, AFolderMadeInASharedFolderIsMadeForTheAccountFirst) {
  auto prof = redis_profile();
  prof.executables[0].files.push_back({"/var/agentx", profile::kCreate, false, 0, 0, 0, 1});
  prof.executables[0].files.push_back({"/var/agentx/master", profile::kCreate | profile::kDelete, false, 0, 0, 0, 1});
  auto absent = propose_with(prof, redis_facts());
  EXPECT_TRUE(has_line(absent->text, "User=redis")) << absent->text;
  EXPECT_TRUE(has_line(absent->text, "ExecStartPre=+/usr/bin/install -d -o 104 -g 107 /var/agentx")) << absent->text;
  EXPECT_TRUE(absent->plan.host_changes.empty()) << absent->text;  // made new: nothing of the machine's changes

  auto facts = redis_facts();
  facts.files["/var/agentx"] = {0, 0, 0755, true};
  auto existing = propose_with(prof, facts);
  EXPECT_TRUE(has_line(existing->text, "User=redis")) << existing->text;
  EXPECT_TRUE(has_line(existing->text, "ExecStartPre=+/usr/bin/install -d -m 0755 -o 104 -g 107 /var/agentx"))
      << existing->text;
  EXPECT_NE(existing->text.find("# Host change: /var/agentx: root:root -> redis:redis, the folder alone\n"),
            std::string::npos)
      << existing->text;

  // A folder others may write is never taken, and its mode is kept: redis
  // creates in it by its modes, and nothing of the machine's changes.
  facts.files["/var/agentx"] = {0, 0, 01777, true};
  auto shared = propose_with(prof, facts);
  EXPECT_TRUE(has_line(shared->text, "ExecStartPre=+/usr/bin/install -d -m 1777 /var/agentx")) << shared->text;
  EXPECT_TRUE(shared->plan.host_changes.empty()) << shared->text;
  // Another account's folder that it may not write: root stays.
  facts.files["/var/agentx"] = {105, 105, 0755, true};
  auto others = propose_with(prof, facts);
  EXPECT_FALSE(has_line(others->text, "User=redis")) << others->text;
}

TEST(HostChanges, ManagedDirectoriesAndSetUpFoldersThatChangeOwner) {
  auto facts = redis_facts();
  facts.files["/var/lib/web"] = {0, 0, 0755, true};
  facts.files["/var/agentx"] = {0, 0, 0755, true};
  HardeningPlan plan;
  plan.directives.push_back({"Service", "User", {"redis"}, "", "user"});
  plan.directives.push_back({"Service", "StateDirectory", {"web redis"}, "", "filesystem"});
  plan.directives.push_back(
      {"Service", "ExecStartPre", {"", "+/usr/bin/install -d -o 104 -g 107 /var/agentx"}, "", "filesystem"});
  unit::UnitSettings unit;
  auto changes = host_owner_changes(plan, unit, facts);
  // /var/lib/redis is redis:redis already: no change.
  EXPECT_EQ(changes, (std::vector<std::string>{"/var/lib/web: root:root -> redis:redis, with everything in it",
                                               "/var/agentx: root:root -> redis:redis, the folder alone"}));
  plan.directives[0] = {"Service", "DynamicUser", {"yes"}, "", "user"};
  plan.directives.pop_back();
  changes = host_owner_changes(plan, unit, facts);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_NE(changes[0].find("moved to /var/lib/private/web"), std::string::npos) << changes[0];
  EXPECT_TRUE(host_owner_changes(plan, unit, SystemFacts{}).empty());
}

TEST(StaticUser, FindsTheDaemonsOwnOptionToSwitchToItsAccount) {
  MemoryFileSystem fs;
  fs.add_dir("/etc/systemd/system");
  auto load = [&](const std::string& text) {
    fs.add_file("/etc/systemd/system/named.service", text);
    auto u = unit::load_unit(fs, "named.service");
    if (!u) throw std::runtime_error(u.error().to_string());
    return *u;
  };
  SystemFacts facts;
  auto u = load("[Service]\nEnvironmentFile=-/etc/default/named\nExecStart=/usr/sbin/named -f $OPTIONS\n");
  EXPECT_EQ(own_user_option(u, facts, "bind"), std::nullopt);  // no file read
  facts.environment_files["/etc/default/named"] = "# OPTIONS=\"-u root\"\n# -u bind in a comment\nOPTIONS=\"-u bind\"\n";
  EXPECT_EQ(own_user_option(u, facts, "bind"), "`-u bind` in /etc/default/named");
  EXPECT_EQ(own_user_option(u, facts, "bin"), std::nullopt);  // a word, not a prefix
  facts.environment_files.clear();
  EXPECT_EQ(own_user_option(load("[Service]\nExecStart=/usr/bin/memcached --user=memcache -m 64\n"), facts, "memcache"),
            "`--user=memcache` in ExecStart=");
  EXPECT_EQ(own_user_option(load("[Service]\nEnvironment=\"ARGS=-p 11211 -umemcache\"\nExecStart=/usr/bin/m $ARGS\n"),
                            facts, "memcache"),
            "`-umemcache` in Environment=");
  EXPECT_EQ(own_user_option(load("[Service]\nExecStart=/usr/bin/m bind\n"), facts, "bind"), std::nullopt);
}

}  // namespace
}  // namespace sdh::synth
