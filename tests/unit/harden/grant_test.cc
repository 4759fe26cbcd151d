// SPDX-License-Identifier: GPL-2.0-or-later
// The grant rules: one path, syscall, family, capability, device or
// namespace for a denied operation; step down or removal otherwise.
#include <gtest/gtest.h>

#include "synth/grant.h"

using namespace sdh::synth;

namespace {

HardeningPlan plan_with(std::initializer_list<std::pair<std::string, std::string>> ds) {
  HardeningPlan p;
  for (const auto& [k, v] : ds) {
    Directive d;
    d.key = k;
    d.values = {v};
    d.justification = "because";
    p.directives.push_back(d);
  }
  return p;
}

Denial denial(const std::string& syscall, const std::string& path, const std::string& error, const std::string& text,
              const std::string& family = "") {
  return {syscall, path, family, error, text};
}

}  // namespace

TEST(Grant, WriteToAFileGrantsTheFileAndCreationItsFolder) {
  auto p = plan_with({{"ProtectSystem", "strict"}});
  auto w = narrowest_grants(p, {"ProtectSystem"}, {denial("openat", "/var/lib/web/db", "EROFS", "openat(AT_FDCWD, \"/var/lib/web/db\", O_RDWR)")}, {});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].relax, "ReadWritePaths=-/var/lib/web/db");
  EXPECT_EQ(w[0].kind, GrantKind::path);
  auto c = narrowest_grants(p, {"ProtectSystem"}, {denial("renameat2", "/var/lib/web/db.tmp", "EROFS", "renameat2(...)")}, {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].relax, "ReadWritePaths=-/var/lib/web");
}

TEST(Grant, NeverOpensASharedFolderWhole) {
  auto p = plan_with({{"ProtectSystem", "strict"}});
  // A file created directly in /etc: no folder grant, a step down instead.
  auto g = narrowest_grants(p, {"ProtectSystem"}, {denial("openat", "/etc/web.conf", "EROFS", "openat(AT_FDCWD, \"/etc/web.conf\", O_WRONLY|O_CREAT, 0644)")}, {});
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].relax, "ProtectSystem");
  EXPECT_EQ(g[0].kind, GrantKind::step_down);
}

TEST(Grant, TriedGrantsEscalate) {
  auto p = plan_with({{"ProtectSystem", "strict"}});
  std::vector<Denial> d = {denial("openat", "/run/web/pid", "EROFS", "openat(AT_FDCWD, \"/run/web/pid\", O_WRONLY|O_CREAT)")};
  EXPECT_EQ(narrowest_grants(p, {"ProtectSystem"}, d, {})[0].relax, "ReadWritePaths=-/run/web");
  EXPECT_EQ(narrowest_grants(p, {"ProtectSystem"}, d, {"ReadWritePaths=-/run/web"})[0].relax, "RuntimeDirectory=web");
  auto last = narrowest_grants(p, {"ProtectSystem"}, d, {"ReadWritePaths=-/run/web", "RuntimeDirectory=web"});
  EXPECT_EQ(last[0].relax, "ProtectSystem");
  auto none = plan_with({{"MemoryDenyWriteExecute", "yes"}});
  auto m = narrowest_grants(none, {"MemoryDenyWriteExecute"}, {denial("mprotect", "", "EACCES", "mprotect(0x.., 4096, PROT_READ|PROT_EXEC)")}, {});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, GrantKind::remove);
}

TEST(Grant, SyscallFamilyNamespaceDeviceAndAddress) {
  auto p = plan_with({{"SystemCallFilter", "@system-service"}, {"RestrictAddressFamilies", "AF_UNIX"},
                      {"RestrictNamespaces", "yes"}, {"DevicePolicy", "closed"}, {"IPAddressDeny", "any"}});
  EXPECT_EQ(narrowest_grants(p, {"SystemCallFilter"}, {denial("ptrace", "", "SIGSYS", "ptrace()")}, {})[0].relax,
            "SystemCallFilter=ptrace");
  EXPECT_EQ(narrowest_grants(p, {"RestrictAddressFamilies"},
                             {denial("socket", "", "EAFNOSUPPORT", "socket(AF_INET6, SOCK_DGRAM, 0)", "AF_INET6")}, {})[0]
                .relax,
            "RestrictAddressFamilies=AF_INET6");
  EXPECT_EQ(narrowest_grants(p, {"RestrictNamespaces"},
                             {denial("unshare", "", "EPERM", "unshare(CLONE_NEWNS|CLONE_NEWUTS)")}, {})[0].relax,
            "RestrictNamespaces=mnt uts");
  auto dev = narrowest_grants(p, {"DevicePolicy"}, {denial("openat", "/dev/net/tun", "EPERM", "openat(AT_FDCWD, \"/dev/net/tun\", O_RDWR)")}, {});
  EXPECT_EQ(dev[0].relax, "DeviceAllow=/dev/net/tun rw");
  EXPECT_EQ(dev[0].kind, GrantKind::device);
  EXPECT_EQ(narrowest_grants(p, {"IPAddressDeny"},
                             {denial("connect", "", "EPERM",
                                     "connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"192.0.2.1\")}, 16)")},
                             {})[0]
                .relax,
            "IPAddressAllow=192.0.2.1");
  auto ex = plan_with({{"NoExecPaths", "/"}, {"ExecPaths", "/usr/sbin/web /usr/lib"}});
  auto e = narrowest_grants(ex, {"NoExecPaths"},
                            {denial("execve", "/usr/lib/web/helper", "EACCES", "execve(\"/usr/lib/web/helper\", ...)")}, {});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].relax, "ExecPaths=/usr/lib/web/helper");
  EXPECT_EQ(e[0].kind, GrantKind::path);
  // A culprit the plan does not hold gets nothing (it is the unit's own).
  EXPECT_TRUE(narrowest_grants(p, {"PrivateNetwork"}, {}, {}).empty());
}

TEST(Grant, CapabilityOfACall) {
  EXPECT_EQ(capability_for(denial("setgroups", "", "EPERM", "setgroups(1, [33])")), "CAP_SETGID");
  EXPECT_EQ(capability_for(denial("chown", "/run/x", "EPERM", "chown(\"/run/x\", 33, 33)")), "CAP_CHOWN");
  EXPECT_EQ(capability_for(denial("bind", "", "EACCES", "bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"0.0.0.0\")}, 16)")),
            "CAP_NET_BIND_SERVICE");
  EXPECT_EQ(capability_for(denial("bind", "", "EACCES", "bind(3, {sa_family=AF_INET, sin_port=htons(8080)}, 16)")), "");
  EXPECT_EQ(capability_for(denial("openat", "/etc/ssl/private/k.pem", "EACCES", "openat(AT_FDCWD, \"/etc/ssl/private/k.pem\", O_RDONLY)")),
            "CAP_DAC_READ_SEARCH");
  EXPECT_EQ(capability_for(denial("setuid", "", "EAGAIN", "setuid(33)")), "");
  // A daemon that insists on dropping its own bounding set (left out on trial).
  EXPECT_EQ(capability_for(denial("prctl", "", "EPERM", "prctl(PR_CAPBSET_DROP, CAP_CHOWN)")), "CAP_SETPCAP");
  auto p = plan_with({{"CapabilityBoundingSet", "CAP_NET_BIND_SERVICE"}});
  auto g = narrowest_grants(p, {"CapabilityBoundingSet"}, {denial("setgroups", "", "EPERM", "setgroups(1, [33])")}, {});
  EXPECT_EQ(g[0].relax, "CapabilityBoundingSet=CAP_SETGID");
  EXPECT_EQ(g[0].kind, GrantKind::capability);
}

TEST(Grant, RelaxAdmitsACallADenyLineWouldRefuse) {
  HardeningPlan p;
  Directive d;
  d.key = "SystemCallFilter";
  d.values = {"@system-service", "~@privileged @resources"};
  d.justification = "observed";
  p.directives.push_back(d);
  auto r = relax(p, "SystemCallFilter=setuid", "setuid() refused");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->directives[0].values, (std::vector<std::string>{"@system-service", "~@privileged @resources", "setuid"}));
  // In a deny-list the call leaves the list.
  p.directives[0].values = {"~@mount ptrace kexec_load"};
  r = relax(p, "SystemCallFilter=ptrace", "ptrace() refused");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->directives[0].values, (std::vector<std::string>{"~@mount kexec_load"}));
}
