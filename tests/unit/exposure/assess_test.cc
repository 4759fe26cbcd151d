// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include <set>

#include "exposure/assess.h"
#include "exposure/assessors.h"

namespace sdh::exposure {
namespace {

using unit::SystemdVersion;
using unit::known_release;
using unit::newest_release;

TEST(Tables, ConsistentAcrossVersions) {
  for (auto v : unit::all_releases()) {
    const auto& t = assessor_table(v);
    ASSERT_EQ(t.size(), 81u);
    std::set<std::string> ids, fields;
    for (const auto& a : t) {
      EXPECT_GT(a.weight, 0u) << a.id;
      EXPECT_GT(a.range, 0u) << a.id;
      EXPECT_TRUE(ids.insert(a.id).second) << a.id;
      EXPECT_TRUE(fields.insert(a.json_field).second) << a.json_field;
    }
  }
  // Every release so far kept systemd 252's assessors, weights and order.
  const auto& a = assessor_table(known_release(252));
  for (auto v : unit::all_releases()) {
    const auto& b = assessor_table(v);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].weight, b[i].weight) << a[i].id;
  }
}

TEST(Assess, EveryAssessorHasARule) {
  unit::UnitSettings s;
  for (auto v : unit::all_releases())
    for (const auto& it : assess(s, v).items)
      EXPECT_NE(it.description, "no rule for this assessor in this build") << it.id;
}

TEST(Assess, DefaultServiceAndFormula) {
  unit::UnitSettings s;  // a bare root service
  auto a = assess(s, known_release(252));
  EXPECT_EQ(a.exposure_text(), "9.6");  // as systemd-analyze prints for ExecStart only
  uint64_t sum = 0, w = 0;
  for (const auto& it : a.items)
    if (it.applicable) {
      sum += it.contribution();
      w += it.weight;
    }
  EXPECT_EQ(a.exposure_tenths, static_cast<int>((sum * 100 + w - 1) / w));
  EXPECT_EQ(a.band, Band::unsafe);
}

TEST(Assess, NotApplicableRules) {
  unit::UnitSettings s;
  s.default_dependencies = false;
  auto a = assess(s, known_release(252));
  int na = 0;
  for (const auto& it : a.items) na += !it.applicable;
  EXPECT_EQ(na, 6);  // 4 early-boot exclusions + 2 root-only exclusions
  s.user = "svc";
  s.default_dependencies = true;
  a = assess(s, known_release(252));
  for (const auto& it : a.items) EXPECT_TRUE(it.applicable) << it.id;
}

// The item with this JSON field: it must exist, so a renamed field fails
// the test instead of skipping its assertions.
const Item& item(const Assessment& a, const std::string& field) {
  auto it = std::find_if(a.items.begin(), a.items.end(), [&](const Item& i) { return i.json_field == field; });
  if (it == a.items.end()) throw std::runtime_error("no assessor item " + field);
  return *it;
}

TEST(Assess, SyscallFilterAllowList) {
  unit::UnitSettings s;
  s.system_call_filter.configured = true;
  s.system_call_filter.allow_list = true;
  s.system_call_filter.names = {"read", "write", "swapon"};
  auto a = assess(s, known_release(252));
  EXPECT_EQ(item(a, "SystemCallFilter_swap").badness, 9u);
  EXPECT_EQ(item(a, "SystemCallFilter_mount").badness, 0u);
}

TEST(Policy, OverridesWeightAndExcludes) {
  auto p = policy_from_json(R"({"PrivateNetwork": {"weight": 0}, "UMask": {"range": 20}, "X": 5})", "p.json");
  ASSERT_TRUE(p.has_value());
  unit::UnitSettings s;
  auto a = assess(s, known_release(252), &*p);
  EXPECT_FALSE(item(a, "PrivateNetwork").applicable);
  EXPECT_EQ(item(a, "UMask").range, 20u);
  EXPECT_FALSE(policy_from_json("[1", "bad.json").has_value());
}

// A number too large for any type is an error of the file, not an exception
// that escapes (found by fuzz_inputs).
TEST(Policy, OverflowingNumberIsAnError) {
  auto p = policy_from_json(R"({"UMask": {"weight": 30888e8888}})", "big.json");
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().to_string().find("big.json"), std::string::npos);
}

}  // namespace
}  // namespace sdh::exposure
