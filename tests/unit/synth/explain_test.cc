// SPDX-License-Identifier: GPL-2.0-or-later
// The Markdown posture: restricted items, open items with their evidence.
#include <gtest/gtest.h>

#include "fixture_util.h"
#include "synth/explain.h"
#include "synth/synth.h"

namespace sdh::synth {
namespace {

TEST(Explain, OpenItemsCarryTheirEvidence) {
  testing::LoadedFixture fx;
  testing::load_fixture("netd-root", fx);
  ProposeOptions o;
  o.fs = &fx.fs;
  auto plan = propose(fx.unit, fx.profile, o);
  ASSERT_TRUE(plan.has_value());
  // Score the unit with the drop-in applied, then explain it.
  unit::LoadOptions lo;
  lo.extra_dropins.emplace_back("90-sdharden.conf", render_dropin(*plan));
  auto hardened = unit::load_unit(fx.fs, "netd-root.service", lo);
  ASSERT_TRUE(hardened.has_value());
  ProposeOptions o2 = o;
  o2.load_options = lo;  // the scorer must start from the hardened unit too
  auto again = propose(*hardened, fx.profile, o2);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->directives.empty()) << "a second pass must find nothing left to add:\n" << render_dropin(*again);

  ExplainInput in;
  in.unit = &*hardened;
  in.profile = &fx.profile;
  in.plan = &*again;
  auto md = explain_markdown(in);
  ASSERT_TRUE(md.has_value());
  EXPECT_NE(md->find("**Exposure: 2.0"), std::string::npos) << *md;
  EXPECT_NE(md->find("## Restricted"), std::string::npos);
  EXPECT_NE(md->find("## Not restricted"), std::string::npos);
  EXPECT_NE(md->find("## What was observed"), std::string::npos);
  EXPECT_NE(md->find("needed: CAP_NET_BIND_SERVICE used by /usr/sbin/netd"), std::string::npos) << *md;
  EXPECT_NE(md->find("the daemon calls capset"), std::string::npos);
  EXPECT_NE(md->find("clients can come from anywhere"), std::string::npos);
  EXPECT_EQ(md->find("no evidence recorded"), std::string::npos) << *md;
}

TEST(Explain, WithoutProfileSaysSo) {
  testing::LoadedFixture fx;
  testing::load_fixture("localonly", fx);
  ExplainInput in;
  in.unit = &fx.unit;
  auto md = explain_markdown(in);
  ASSERT_TRUE(md.has_value());
  EXPECT_NE(md->find("no profile given"), std::string::npos);
  EXPECT_NE(md->find("**Exposure: 9.6"), std::string::npos);
}

TEST(Explain, EveryAssessorRuleLookupIsConsistent) {
  EXPECT_EQ(rule_for_assessor("PrivateNetwork"), "private-network");
  EXPECT_EQ(rule_for_assessor("SystemCallFilter_clock"), "system-call-filter");
  EXPECT_FALSE(rule_for_assessor("NoSuchItem").has_value());
}

}  // namespace
}  // namespace sdh::synth
