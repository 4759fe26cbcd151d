// SPDX-License-Identifier: GPL-2.0-or-later
#include <cctype>
#include <fstream>
#include <sstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "lint/rules.h"

namespace sdh::lint {
namespace {

// Every rule is in the man page's list (`lint --disable ID` takes them).

TEST(RuleTable, IdsAreUniqueAndKebabCase) {
  std::set<std::string> seen;
  for (const auto& r : rules()) {
    std::string id = r.id;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate rule id " << id;
    ASSERT_FALSE(id.empty());
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(id.front()))) << id;
    for (char c : id) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                  c == '-')
          << "bad character in rule id " << id;
    }
  }
  EXPECT_GE(seen.size(), 15u);
}

TEST(RuleTable, EveryRuleHasSummaryReasonAndFix) {
  for (const auto& r : rules()) {
    EXPECT_GT(std::string(r.summary).size(), 10u) << r.id;
    EXPECT_GT(std::string(r.reason).size(), 40u) << r.id;
    EXPECT_GT(std::string(r.fix).size(), 15u) << r.id;
  }
}

TEST(RuleTable, OnlySyntaxRulesLackAPredicate) {
  for (const auto& r : rules()) {
    EXPECT_EQ(r.kind == RuleKind::syntax, r.check == nullptr) << r.id;
  }
  for (const char* id : {kRuleUnknownDirective, kRuleInvalidValue, kRuleSyntax}) {
    const Rule* r = find_rule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->kind, RuleKind::syntax);
  }
  EXPECT_EQ(find_rule("no-such-rule"), nullptr);
}

TEST(RuleTable, CoversTheDesignGotchas) {
  // The field gotchas a unit file alone can show (the rest need a profile: gotchas_test.cc).
  for (const char* id : {"protect-clock-device-allowlist", "no-new-privileges-setuid-helper",
                         "syscall-filter-without-errno", "memory-deny-write-execute-jit",
                         "private-users-supplementary-groups", "syscall-architectures-foreign-binary",
                         "address-families-nss-pam", "private-devices-device-allow", "dynamic-user-root"}) {
    EXPECT_NE(find_rule(id), nullptr) << id;
  }
}

}  // namespace
}  // namespace sdh::lint
