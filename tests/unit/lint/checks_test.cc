// SPDX-License-Identifier: GPL-2.0-or-later
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lint/lint.h"
#include "unit_builder.h"

namespace sdh::lint {
namespace {

using testing::UnitBuilder;

// Lints with an in-memory file system holding the unit's own text plus
// whatever the test adds; native architecture fixed to x86-64.
struct Linted {
  std::vector<Finding> findings;
  std::vector<Finding> with(const std::string& id) const {
    std::vector<Finding> out;
    for (const auto& f : findings) {
      if (f.rule_id == id) out.push_back(f);
    }
    return out;
  }
  bool has(const std::string& id) const { return !with(id).empty(); }
};

Linted run(UnitBuilder& b, MemoryFileSystem fs = {}) {
  b.install(fs);
  LintOptions o;
  o.native_arch = "x86-64";
  return {lint_unit(b.unit(), fs, o)};
}

TEST(Checks, SyscallFilterWithoutErrnoPointsAtTheFilterLine) {
  UnitBuilder b;
  b.set("ExecStart", "/usr/bin/true").set("SystemCallFilter", "@system-service");
  b.settings().system_call_filter = {true, true, {"read", "write"}};
  auto l = run(b);
  auto hits = l.with("syscall-filter-without-errno");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 3);
  EXPECT_EQ(hits[0].source_line, "SystemCallFilter=@system-service");
  EXPECT_NE(hits[0].fix.find("SystemCallErrorNumber=EPERM"), std::string::npos);
  EXPECT_EQ(hits[0].severity, unit::Severity::warning);

  UnitBuilder ok;
  ok.set("SystemCallFilter", "@system-service").set("SystemCallErrorNumber", "EPERM");
  ok.settings().system_call_filter = {true, true, {"read"}};
  ok.settings().system_call_error_number = "EPERM";
  EXPECT_FALSE(run(ok).has("syscall-filter-without-errno"));
}

TEST(Checks, SetuidHelperUnderImpliedNoNewPrivileges) {
  UnitBuilder b;
  b.set("User", "app").set("ExecStart", "/bin/sh -c \"date | /usr/sbin/sendmail root\"").set("ProtectKernelTunables", "yes");
  b.settings().user = "app";
  b.settings().protect_kernel_tunables = true;
  auto l = run(b);
  auto hits = l.with("no-new-privileges-setuid-helper");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].message.find("sendmail"), std::string::npos);
  EXPECT_NE(hits[0].message.find("ProtectKernelTunables=yes"), std::string::npos);
  EXPECT_EQ(hits[0].location.line, 3);

  // Root keeps CAP_SYS_ADMIN: the same options do not set no_new_privs.
  UnitBuilder root;
  root.set("ExecStart", "/usr/sbin/sendmail -q").set("ProtectKernelTunables", "yes");
  root.settings().protect_kernel_tunables = true;
  EXPECT_FALSE(run(root).has("no-new-privileges-setuid-helper"));

  // Nothing implies no_new_privs: no finding.
  UnitBuilder plain;
  plain.set("User", "app").set("ExecStart", "/usr/bin/sudo -u x true");
  plain.settings().user = "app";
  EXPECT_FALSE(run(plain).has("no-new-privileges-setuid-helper"));

  // DynamicUser implies it; a helper in ExecStartPre is found too.
  UnitBuilder dyn;
  dyn.set("DynamicUser", "yes").set("ExecStartPre", "+-/usr/bin/su -c true nobody").set("ExecStart", "/bin/app");
  dyn.settings().dynamic_user = true;
  auto d = run(dyn).with("no-new-privileges-setuid-helper");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("'su'"), std::string::npos);
}

TEST(Checks, NoNewPrivilegesNoIsOverridden) {
  UnitBuilder b;
  b.set("User", "app").set("NoNewPrivileges", "no").set("RestrictRealtime", "yes");
  b.settings().user = "app";
  b.settings().restrict_realtime = true;
  EXPECT_TRUE(run(b).has("no-new-privileges-overridden"));
  UnitBuilder root;
  root.set("NoNewPrivileges", "no").set("RestrictRealtime", "yes");
  root.settings().restrict_realtime = true;
  EXPECT_FALSE(run(root).has("no-new-privileges-overridden"));
}

TEST(Checks, MemoryDenyWriteExecuteWithJit) {
  UnitBuilder b;
  b.set("ExecStart", "/usr/bin/java -jar /srv/app.jar").set("MemoryDenyWriteExecute", "yes");
  b.settings().memory_deny_write_execute = true;
  auto hits = run(b).with("memory-deny-write-execute-jit");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 3);
  EXPECT_NE(hits[0].message.find("'java'"), std::string::npos);

  UnitBuilder env;
  env.set("ExecStart", "/usr/bin/env node server.js").set("MemoryDenyWriteExecute", "yes");
  env.settings().memory_deny_write_execute = true;
  EXPECT_TRUE(run(env).has("memory-deny-write-execute-jit"));

  UnitBuilder c;
  c.set("ExecStart", "/usr/sbin/nginx -g 'daemon off;'").set("MemoryDenyWriteExecute", "yes");
  c.settings().memory_deny_write_execute = true;
  EXPECT_FALSE(run(c).has("memory-deny-write-execute-jit"));
}

TEST(Checks, PrivateUsersWithSupplementaryGroups) {
  UnitBuilder b;
  b.set("PrivateUsers", "yes").set("SupplementaryGroups", "systemd-journal");
  b.settings().private_users = true;
  b.settings().supplementary_groups = {"systemd-journal"};
  auto hits = run(b).with("private-users-supplementary-groups");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 3);
  b.settings().private_users = false;
  EXPECT_FALSE(run(b).has("private-users-supplementary-groups"));
}

std::string elf_header(unsigned char elf_class, uint16_t machine) {
  std::string h(64, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = static_cast<char>(elf_class);
  h[5] = 1;  // little endian
  h[18] = static_cast<char>(machine & 0xff);
  h[19] = static_cast<char>(machine >> 8);
  return h;
}

TEST(Checks, ForeignArchitectureBinary) {
  MemoryFileSystem fs;
  fs.add_file("/usr/lib/i386-linux-gnu/app/daemon", elf_header(1, 3));
  fs.add_file("/usr/bin/native", elf_header(2, 62));
  fs.add_symlink("/usr/bin/daemon32", "/usr/lib/i386-linux-gnu/app/daemon");
  UnitBuilder b;
  b.set("ExecStartPre", "/usr/bin/native --check").set("ExecStart", "daemon32 --foreground")
      .set("SystemCallArchitectures", "native");
  b.settings().system_call_architectures = {"native"};
  auto hits = run(b, fs).with("syscall-architectures-foreign-binary");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 3);
  EXPECT_NE(hits[0].message.find("x86 binary"), std::string::npos);
  EXPECT_NE(hits[0].fix.find("SystemCallArchitectures=x86"), std::string::npos) << hits[0].fix;
  EXPECT_EQ(hits[0].severity, unit::Severity::error);

  b.settings().system_call_architectures = {"native", "x86"};
  EXPECT_FALSE(run(b, fs).has("syscall-architectures-foreign-binary"));
}

TEST(Checks, AddressFamiliesAgainstNssAndPam) {
  MemoryFileSystem fs;
  fs.add_file("/etc/nsswitch.conf", "# comment\npasswd: files systemd\nhosts: files myhostname dns\n");
  fs.add_file("/etc/pam.d/app", "@include common-session\n");
  fs.add_file("/etc/pam.d/common-session", "session [success=1 default=ignore] pam_ldap.so\nsession optional pam_systemd.so\n");
  UnitBuilder b;
  b.set("RestrictAddressFamilies", "AF_INET AF_INET6");
  b.settings().restrict_address_families = {true, true, {"AF_INET", "AF_INET6"}};
  auto l = run(b, fs);
  auto hits = l.with("address-families-nss-pam");
  ASSERT_EQ(hits.size(), 2u);  // AF_NETLINK (myhostname), AF_UNIX (systemd)
  EXPECT_NE(hits[0].message.find("AF_NETLINK"), std::string::npos);
  EXPECT_NE(hits[1].message.find("AF_UNIX"), std::string::npos);

  UnitBuilder pam;
  pam.set("PAMName", "app").set("RestrictAddressFamilies", "AF_UNIX AF_NETLINK");
  pam.settings().restrict_address_families = {true, true, {"AF_UNIX", "AF_NETLINK"}};
  auto p = run(pam, fs).with("address-families-nss-pam");
  ASSERT_EQ(p.size(), 2u);  // pam_ldap needs AF_INET and AF_INET6
  EXPECT_NE(p[0].message.find("pam_ldap.so"), std::string::npos);

  UnitBuilder deny;
  deny.set("RestrictAddressFamilies", "~AF_PACKET");
  deny.settings().restrict_address_families = {true, false, {"AF_PACKET"}};
  EXPECT_FALSE(run(deny, fs).has("address-families-nss-pam"));
}

TEST(Checks, PrivateDevicesCancelsDeviceAllow) {
  UnitBuilder b;
  b.set("PrivateDevices", "yes").set("DeviceAllow", "/dev/null rw").set("DeviceAllow", "/dev/sda r")
      .set("DeviceAllow", "/dev/dri/card0 rw").set("BindPaths", "/dev/dri");
  b.settings().private_devices = true;
  b.settings().device_policy = unit::DevicePolicy::closed;
  auto hits = run(b).with("private-devices-device-allow");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 4);
  EXPECT_NE(hits[0].message.find("/dev/sda"), std::string::npos);

  // An empty DeviceAllow= resets the list: earlier lines no longer count.
  b.set("DeviceAllow", "");
  EXPECT_FALSE(run(b).has("private-devices-device-allow"));
}

TEST(Checks, ProtectClockWithDevicePolicy) {
  UnitBuilder b;
  b.set("ProtectClock", "yes").set("DeviceAllow", "/dev/ttyUSB0 rw");
  b.settings().protect_clock = true;
  auto l = run(b);
  EXPECT_TRUE(l.has("protect-clock-device-allowlist"));
  EXPECT_TRUE(l.has("device-allow-implies-closed"));
  EXPECT_EQ(l.with("protect-clock-device-allowlist")[0].location.line, 2);

  UnitBuilder alone;
  alone.set("ProtectClock", "yes");
  alone.settings().protect_clock = true;
  EXPECT_FALSE(run(alone).has("protect-clock-device-allowlist"));
}

TEST(Checks, ProtectSystemMakesReadOnlyPathsRedundant) {
  UnitBuilder b;
  b.set("ProtectSystem", "strict").set("StateDirectory", "app")
      .set("ReadOnlyPaths", "/etc/app -/var/lib/app/keys /proc/sys");
  b.settings().protect_system = unit::ProtectSystem::strict;
  auto hits = run(b).with("protect-system-read-only-redundant");
  ASSERT_EQ(hits.size(), 1u);  // /var/lib/app/keys is inside a writable dir; /proc is API
  EXPECT_NE(hits[0].message.find("/etc/app"), std::string::npos) << hits[0].message;
  EXPECT_EQ(hits[0].severity, unit::Severity::note);

  UnitBuilder yes;
  yes.set("ProtectSystem", "yes").set("ReadOnlyPaths", "/etc/app");
  yes.settings().protect_system = unit::ProtectSystem::yes;
  EXPECT_FALSE(run(yes).has("protect-system-read-only-redundant"));
}

TEST(Checks, DynamicUserWithRoot) {
  UnitBuilder b;
  b.set("DynamicUser", "yes").set("User", "root");
  b.settings().dynamic_user = true;
  b.settings().user = "root";
  auto hits = run(b).with("dynamic-user-root");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 3);
  b.settings().user = "app";
  EXPECT_FALSE(run(b).has("dynamic-user-root"));
}

TEST(Checks, FilterModesMixed) {
  UnitBuilder deny;
  deny.set("SystemCallFilter", "~@mount").set("SystemCallFilter", "@privileged").set("SystemCallErrorNumber", "EPERM");
  auto d = run(deny);
  ASSERT_EQ(d.with("syscall-filter-deny-then-allow").size(), 1u);
  EXPECT_EQ(d.with("syscall-filter-deny-then-allow")[0].location.line, 3);
  EXPECT_FALSE(d.has("syscall-filter-allow-then-deny"));

  UnitBuilder allow;
  allow.set("SystemCallFilter", "@system-service").set("SystemCallFilter", "~@resources");
  auto a = run(allow);
  EXPECT_TRUE(a.has("syscall-filter-allow-then-deny"));
  EXPECT_FALSE(a.has("syscall-filter-deny-then-allow"));

  UnitBuilder fam;
  fam.set("RestrictAddressFamilies", "~AF_PACKET").set("RestrictAddressFamilies", "AF_INET");
  EXPECT_TRUE(run(fam).has("address-families-mixed-modes"));
  UnitBuilder same;
  same.set("RestrictAddressFamilies", "AF_UNIX").set("RestrictAddressFamilies", "AF_INET");
  EXPECT_FALSE(run(same).has("address-families-mixed-modes"));
}

TEST(Checks, AmbientCapabilityOutsideBoundingSet) {
  UnitBuilder b;
  b.set("CapabilityBoundingSet", "CAP_NET_RAW").set("AmbientCapabilities", "CAP_NET_BIND_SERVICE");
  b.settings().capability_bounding_set = uint64_t{1} << 13;
  b.settings().ambient_capabilities = uint64_t{1} << 10;
  auto hits = run(b).with("ambient-outside-bounding-set");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].message.find("CAP_NET_BIND_SERVICE"), std::string::npos);
  b.settings().capability_bounding_set |= uint64_t{1} << 10;
  EXPECT_FALSE(run(b).has("ambient-outside-bounding-set"));
}

TEST(Checks, ParserDiagnosticsBecomeFindings) {
  UnitBuilder b;
  b.set("ProtectSytem", "strict");
  // The rule follows the diagnostic's kind, never its words.
  using K = unit::DiagnosticKind;
  auto diag = [&](int line, int col, K kind, const char* msg, const char* hint = "") {
    b.unit().diagnostics.push_back(
        {unit::Severity::warning, kind, {b.unit().fragment_path, line, col}, msg, hint, ""});
  };
  diag(2, 0, K::unknown_directive, "unknown directive ProtectSytem= in [Service], ignored");
  diag(2, 14, K::invalid_value, "invalid value for ProtectHome=, ignored", "use yes, no, read-only or tmpfs");
  diag(2, 0, K::invalid_value, "unknown capability 'CAP_FOO', ignored");
  diag(2, 0, K::syntax, "missing '=', line ignored");
  auto l = run(b);
  ASSERT_EQ(l.findings.size(), 4u);
  EXPECT_EQ(l.findings[0].rule_id, "unknown-directive");
  EXPECT_EQ(l.findings[0].source_line, "ProtectSytem=strict");
  EXPECT_EQ(l.findings[1].rule_id, "invalid-value");
  EXPECT_EQ(l.findings[1].fix, "use yes, no, read-only or tmpfs");
  EXPECT_EQ(l.findings[1].location.column, 14);
  EXPECT_EQ(l.findings[2].rule_id, "invalid-value");
  EXPECT_EQ(l.findings[3].rule_id, "syntax");
}

TEST(Checks, SocketActivatedServiceKeepsIpFamilies) {
  UnitBuilder b;
  b.set("ExecStart", "/usr/sbin/app").set("RestrictAddressFamilies", "AF_UNIX AF_INET");
  b.settings().socket_activated = true;
  b.settings().restrict_address_families = {true, true, {"AF_UNIX", "AF_INET"}};
  auto hits = run(b).with("socket-activated-address-families");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].message.find("AF_INET"), std::string::npos);
  EXPECT_EQ(hits[0].message.find("AF_INET6"), std::string::npos);
  EXPECT_EQ(hits[0].location.line, 3);
  b.settings().restrict_address_families = {true, true, {"AF_UNIX"}};
  EXPECT_FALSE(run(b).has("socket-activated-address-families"));
  b.settings().restrict_address_families = {};
  b.settings().socket_activated = false;
  EXPECT_FALSE(run(b).has("socket-activated-address-families"));
}

TEST(Checks, NotifyServiceNeedsUnixSockets) {
  UnitBuilder b;
  b.set("Type", "notify").set("RestrictAddressFamilies", "AF_INET AF_INET6");
  b.settings().service_type = "notify";
  b.settings().restrict_address_families = {true, true, {"AF_INET", "AF_INET6"}};
  auto hits = run(b).with("notify-without-af-unix");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].location.line, 3);
  // A deny-list naming AF_UNIX refuses it too.
  b.settings().restrict_address_families = {true, false, {"AF_UNIX"}};
  EXPECT_TRUE(run(b).has("notify-without-af-unix"));
  // Allowed, unrestricted, or a service that does not notify: nothing to say.
  b.settings().restrict_address_families = {true, true, {"AF_UNIX", "AF_INET"}};
  EXPECT_FALSE(run(b).has("notify-without-af-unix"));
  b.settings().restrict_address_families = {};
  EXPECT_FALSE(run(b).has("notify-without-af-unix"));
  b.settings().restrict_address_families = {true, true, {"AF_INET"}};
  b.settings().service_type = "simple";
  EXPECT_FALSE(run(b).has("notify-without-af-unix"));
  b.settings().service_type = "notify-reload";
  EXPECT_TRUE(run(b).has("notify-without-af-unix"));
}

TEST(Checks, CleanUnitHasNoFindings) {
  UnitBuilder b;
  b.set("ExecStart", "/usr/bin/app").set("ProtectSystem", "strict").set("NoNewPrivileges", "yes");
  b.settings().protect_system = unit::ProtectSystem::strict;
  b.settings().no_new_privileges = true;
  auto l = run(b);
  EXPECT_TRUE(l.findings.empty()) << l.findings.front().rule_id;
  EXPECT_EQ(worst_severity(l.findings), unit::Severity::note);
}

}  // namespace
}  // namespace sdh::lint
