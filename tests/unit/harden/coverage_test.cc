// SPDX-License-Identifier: GPL-2.0-or-later
// Every directive the synthesiser may emit is either tested by a negative
// control when verified, or has a stated reason why no control can test it:
// a new rule without either fails here.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "synth/knowledge.h"
#include "verify/controls.h"

namespace sdh {
namespace {

TEST(Coverage, EveryKnowledgeBaseKeyHasAControlOrAReason) {
  auto probed = verify::keys_with_control();
  std::set<std::string> with(probed.begin(), probed.end());
  const auto& without = verify::keys_without_control();
  for (const auto& rule : synth::knowledge_base())
    for (const auto& key : rule.keys) {
      bool covered = with.count(key) || without.count(key);
      EXPECT_TRUE(covered) << "rule " << rule.id << " emits " << key
                           << ", which no negative control tests and no reason excuses";
      EXPECT_FALSE(with.count(key) && without.count(key)) << key << " is both probed and excused";
    }
  // The controls cover the classes a drop-in restricts most.
  for (const char* key : {"RestrictAddressFamilies", "ProtectSystem", "CapabilityBoundingSet", "SystemCallFilter",
                          "NoNewPrivileges", "PrivateTmp", "PrivateDevices", "RestrictNamespaces", "User"})
    EXPECT_TRUE(with.count(key)) << key;
}

}  // namespace
}  // namespace sdh
