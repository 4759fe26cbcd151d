// SPDX-License-Identifier: GPL-2.0-or-later
// Consistency of the knowledge base and its data tables.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "exposure/assess.h"
#include "synth/evidence.h"
#include "unit/directives.h"
#include "synth/explain.h"
#include "synth/knowledge.h"
#include "synth/syscall_groups.h"

namespace sdh::synth {
namespace {

TEST(KnowledgeBase, RulesAreWellFormedAndUnique) {
  std::set<std::string> ids;
  for (const auto& r : knowledge_base()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate rule " << r.id;
    EXPECT_NE(r.decide, nullptr) << r.id;
    EXPECT_FALSE(r.keys.empty()) << r.id;
    EXPECT_FALSE(r.forbidden_by.empty()) << r.id << " must say what forbids it";
  }
  EXPECT_GE(ids.size(), 30u);
}

TEST(KnowledgeBase, EveryExposureItemHasARuleAndEveryRuleItemExists) {
  for (auto version : {unit::known_release(252), unit::newest_release()}) {
    unit::UnitSettings s;
    auto a = exposure::assess(s, version);
    std::set<std::string> fields;
    for (const auto& it : a.items) fields.insert(it.json_field);
    ASSERT_GT(fields.size(), 50u);
    for (const auto& f : fields) {
      if (f == "Delegate") continue;  // sdharden never changes delegation
      EXPECT_TRUE(rule_for_assessor(f).has_value()) << "no knowledge-base rule moves exposure item " << f;
    }
    for (const auto& r : knowledge_base()) {
      for (const auto& f : r.assessors) EXPECT_TRUE(fields.count(f)) << r.id << " names unknown item " << f;
    }
  }
}

// Each rule file lists its own rules; their order numbers put the whole
// knowledge base in the optimiser's order, identity and privileges first.
TEST(KnowledgeBase, RulesAreInOneOrderWithoutTies) {
  const auto& kb = knowledge_base();
  ASSERT_GE(kb.size(), 39u);
  std::set<int> orders;
  for (size_t i = 0; i < kb.size(); ++i) {
    EXPECT_GT(kb[i].order, 0) << kb[i].id;
    EXPECT_TRUE(orders.insert(kb[i].order).second) << kb[i].id << " shares order " << kb[i].order;
    if (i > 0) {
      EXPECT_LT(kb[i - 1].order, kb[i].order);
    }
  }
  EXPECT_EQ(kb.front().id, "user");
  EXPECT_EQ(kb.back().id, "root-directory");
}

TEST(KnowledgeBase, SeccompStyleRulesImplyNoNewPrivileges) {
  // systemd sets NoNewPrivileges for these when the service lacks CAP_SYS_ADMIN:
  // the directive registry says so, and the optimiser reads it.
  const std::set<std::string> expected = {
      "SystemCallFilter", "SystemCallArchitectures", "RestrictAddressFamilies", "PrivateDevices",
      "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock", "ProtectHostname",
      "MemoryDenyWriteExecute", "LockPersonality", "RestrictRealtime", "RestrictNamespaces", "RestrictSUIDSGID"};
  std::set<std::string> got;
  for (const auto& key : knowledge_base_keys())
    if (unit::implies_no_new_privileges(key)) got.insert(key);
  EXPECT_EQ(got, expected);
}

TEST(KnowledgeBase, CoversTheDirectivesOfTheIssue) {
  auto keys = knowledge_base_keys();
  std::set<std::string> have(keys.begin(), keys.end());
  for (const char* k :
       {"User", "DynamicUser", "SupplementaryGroups", "CapabilityBoundingSet", "AmbientCapabilities", "NoNewPrivileges",
        "SystemCallFilter", "SystemCallErrorNumber", "SystemCallArchitectures", "RestrictAddressFamilies",
        "IPAddressDeny", "IPAddressAllow", "SocketBindAllow", "SocketBindDeny", "PrivateNetwork", "PrivateDevices",
        "DevicePolicy", "DeviceAllow", "PrivateTmp", "PrivateMounts", "PrivateUsers", "ProtectSystem", "ReadWritePaths",
        "StateDirectory", "CacheDirectory", "LogsDirectory", "RuntimeDirectory", "ProtectHome", "BindReadOnlyPaths",
        "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock",
        "ProtectHostname", "ProtectProc", "ProcSubset", "MemoryDenyWriteExecute", "LockPersonality",
        "RestrictRealtime", "RestrictNamespaces", "RestrictSUIDSGID", "KeyringMode", "RemoveIPC", "UMask",
        "NotifyAccess"}) {
    EXPECT_TRUE(have.count(k)) << k;
  }
}

// Each rule's decision for one release, on the unit's defaults (root) and `ev`.
RuleOutcome decide_for(const std::string& rule_id, const Evidence& ev, unit::SystemdVersion version) {
  static const unit::UnitSettings unit;
  static const std::vector<Directive> plan;
  static const SystemFacts facts;
  for (const auto& r : knowledge_base())
    if (r.id == rule_id) return r.decide(Context{ev, unit, plan, version, facts});
  throw std::logic_error("no rule " + rule_id);
}

std::vector<std::string> option_lines(const RuleOutcome& o) {
  std::vector<std::string> out;
  for (const auto& opt : o.options)
    for (const auto& d : opt.directives) out.push_back(d.key + "=" + d.values.back());
  return out;
}

// A root daemon that only overrides file permissions: a full user namespace
// breaks it; from 257 on the identity mapping does not, and only then is it offered.
TEST(KnowledgeBase, PrivateUsersIdentityWhereOnlyAFullNamespaceBreaks) {
  Evidence ev;
  ev.capabilities["CAP_DAC_OVERRIDE"] = Witness{{"/usr/sbin/d"}, 3};
  auto old = decide_for("private-users", ev, unit::known_release(254));
  EXPECT_TRUE(option_lines(old).empty());
  ASSERT_EQ(old.not_set.size(), 1u);
  EXPECT_EQ(option_lines(decide_for("private-users", ev, unit::known_release(257))),
            std::vector<std::string>{"PrivateUsers=identity"});
  // A capability that acts outside the files (a low port) blocks both.
  ev.capabilities["CAP_NET_BIND_SERVICE"] = Witness{{"/usr/sbin/d"}, 1};
  EXPECT_TRUE(option_lines(decide_for("private-users", ev, unit::newest_release())).empty());
}

// The host name is set: refused everywhere, contained from 262 on.
TEST(KnowledgeBase, ProtectHostnamePrivateOnlyWhereTheReleaseHasIt) {
  Evidence ev;
  ev.flags["hostname_change"] = Witness{{"/usr/sbin/d"}, 1};
  EXPECT_TRUE(option_lines(decide_for("protect-hostname", ev, unit::known_release(257))).empty());
  EXPECT_EQ(option_lines(decide_for("protect-hostname", ev, unit::known_release(262))),
            std::vector<std::string>{"ProtectHostname=private"});
}

// A BPF file system of its own from the release that has one, unless the
// daemon calls bpf() or uses /sys/fs/bpf.
TEST(KnowledgeBase, PrivateBpfWhereTheReleaseHasItAndBpfIsUnused) {
  Evidence ev;
  EXPECT_TRUE(option_lines(decide_for("private-bpf", ev, unit::known_release(257))).empty());
  EXPECT_EQ(option_lines(decide_for("private-bpf", ev, unit::known_release(262))),
            std::vector<std::string>{"PrivateBPF=yes"});
  ev.syscalls_all.insert("bpf");
  auto used = decide_for("private-bpf", ev, unit::known_release(262));
  EXPECT_TRUE(option_lines(used).empty());
  ASSERT_EQ(used.not_set.size(), 1u);
  EXPECT_NE(used.not_set[0].reason.find("bpf()"), std::string::npos);
}

TEST(SyscallGroups, EmbeddedTablesParseAndHoldTheScoredGroups) {
  for (auto version : {unit::known_release(252), unit::newest_release()}) {
    const auto& g = SyscallGroups::builtin(version);
    for (const auto& name : scored_syscall_groups()) {
      EXPECT_TRUE(g.has(name)) << name;
      EXPECT_FALSE(g.members(name).empty()) << name;
    }
    const auto& service = g.members("@system-service");
    for (const auto& s : g.members("@default")) EXPECT_TRUE(service.count(s)) << s;
    EXPECT_TRUE(g.members("@privileged").count("setuid"));
    auto expanded = g.expand({"@clock", "read"});
    EXPECT_TRUE(expanded.count("settimeofday"));
    EXPECT_TRUE(expanded.count("read"));
  }
}

TEST(SyscallGroups, ParseRejectsGarbage) {
  EXPECT_FALSE(SyscallGroups::parse("group\tdirect\tflat\nnot-a-group\n").has_value());
  auto ok = SyscallGroups::parse("group\tdirect\tflat\n@x\ta b\ta b\n");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->members("@x").size(), 2u);
}

TEST(Evidence, Formatting) {
  EXPECT_EQ(thousands(41213), "41,213");
  EXPECT_EQ(thousands(7), "7");
  EXPECT_EQ(thousands(1000000), "1,000,000");
  EXPECT_EQ(systemd_arch("i386"), "x86");
  EXPECT_EQ(systemd_arch("aarch64"), "arm64");
  EXPECT_TRUE(path_under("/var/lib/x/y", "/var/lib/x"));
  EXPECT_FALSE(path_under("/var/lib/xy", "/var/lib/x"));
  EXPECT_TRUE(is_pseudo_device("/dev/null"));
  EXPECT_FALSE(is_pseudo_device("/dev/rtc0"));
}

}  // namespace
}  // namespace sdh::synth
