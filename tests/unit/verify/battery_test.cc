// SPDX-License-Identifier: GPL-2.0-or-later
// The containment battery as data: every row has a class, an attempt in the
// probe and directives meant to refuse it that the unit model knows; the
// probe's lines parse and compare baseline -> hardened.
#include <gtest/gtest.h>

#include <set>

#include "unit/directives.h"
#include "verify/battery.h"
#include "verify/probe/battery_attempts.h"

using namespace sdh::verify;

TEST(Battery, EveryRowIsTiedToAnAttemptAndToDirectivesThatCloseIt) {
  const auto& attempts = sdh::probe::battery_attempts();
  std::set<std::string> ids, classes;
  for (const auto& r : battery_rows()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate " << r.id;
    classes.insert(r.klass);
    EXPECT_TRUE(attempts.count(r.id)) << r.id << " has no attempt in sdharden-probe";
    EXPECT_FALSE(r.tries.empty()) << r.id;
    ASSERT_FALSE(r.closed_by.empty()) << r.id << " names no directive that closes it";
    for (const auto& key : r.closed_by)
      EXPECT_NE(sdh::unit::find_directive("Service", key, "service"), nullptr)
          << r.id << ": " << key << " is not a directive the unit model knows";
  }
  EXPECT_EQ(attempts.size(), battery_rows().size()) << "an attempt without a row";
  EXPECT_GE(battery_rows().size(), 40u);
  EXPECT_EQ(classes, std::set<std::string>(battery_classes().begin(), battery_classes().end()));
}

TEST(Battery, ParsesJournalLinesAndCountsPerClass) {
  std::string baseline =
      "Nov 30 10:00:01 vm sdharden-probe[77]: battery read-shadow possible -\n"
      "Nov 30 10:00:01 vm sdharden-probe[77]: battery write-etc possible -\n"
      "Nov 30 10:00:01 vm sdharden-probe[77]: battery io-uring possible -\n"
      "Nov 30 10:00:01 vm web[70]: not a battery line\n"
      "Nov 30 10:00:01 vm sdharden-probe[77]: battery no-such-row possible -\n";
  std::string hardened =
      "x: battery read-shadow refused EACCES\nx: battery write-etc refused EROFS\nx: battery io-uring possible -\n"
      "x: battery dev-kmsg n/a ENOENT\n";
  auto b = parse_battery(baseline);
  ASSERT_EQ(b.size(), 3u);
  auto h = parse_battery(hardened);
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[0].detail, "EACCES");
  auto c = compare_battery(b, h);
  EXPECT_TRUE(c.ran);
  EXPECT_EQ(c.possible_baseline(), 3);
  EXPECT_EQ(c.possible_hardened(), 1);
  EXPECT_EQ(c.per_class().at("secrets"), std::make_pair(1, 0));
  EXPECT_EQ(c.per_class().at("kernel"), std::make_pair(1, 1));
  EXPECT_EQ(c.still_possible(), std::vector<std::string>{"set up io_uring"});
  EXPECT_FALSE(compare_battery(b, {}).ran);
}
