// SPDX-License-Identifier: GPL-2.0-or-later
// Findings a unit file waives itself, and rules disabled by the caller.
#include <gtest/gtest.h>

#include "lint/lint.h"

namespace sdh::lint {
namespace {

TEST(Waivers, ACommentWaivesTheNextLineOrTheWholeFile) {
  auto w = waivers_in(
      "# sdharden: ignore=rule-a\n"
      "[Unit]\nDescription=x\n"
      "[Service]\n"
      "# sdharden: ignore=rule-b,rule-c\n"
      "# another comment\n"
      "\n"
      "ExecStart=/bin/true\n"
      "User=root\n"
      "; sdharden: ignore=rule-d  because we must\n"
      "Group=root\n");
  EXPECT_TRUE(w.waives("rule-a", 3));
  EXPECT_TRUE(w.waives("rule-a", 99));
  EXPECT_TRUE(w.waives("rule-b", 8));
  EXPECT_TRUE(w.waives("rule-c", 8));
  EXPECT_FALSE(w.waives("rule-b", 9));
  EXPECT_TRUE(w.waives("rule-d", 11));
  EXPECT_FALSE(w.waives("because", 11));
  EXPECT_FALSE(w.waives("rule-e", 8));
}

TEST(Waivers, LintDropsDisabledAndWaivedFindings) {
  MemoryFileSystem fs;
  const std::string body = "[Service]\nExecStart=/bin/true\nDynamicUser=yes\nUser=root\n";
  fs.add_file("/etc/systemd/system/a.service", body);
  auto u = unit::load_unit(fs, "a.service");
  ASSERT_TRUE(u.has_value());
  auto all = lint_unit(*u, fs);
  ASSERT_FALSE(all.empty());
  const std::string rule = all.front().rule_id;
  const int line = all.front().location.line;
  ASSERT_GT(line, 1) << rule;  // on a directive, so a comment can stand before it
  LintOptions off;
  off.disabled = {rule};
  for (const auto& f : lint_unit(*u, fs, off)) EXPECT_NE(f.rule_id, rule);
  // The same through a comment on the line before the finding.
  std::string text;
  int n = 0;
  for (const auto& l : {std::string("[Service]"), std::string("ExecStart=/bin/true"), std::string("DynamicUser=yes"),
                        std::string("User=root")}) {
    if (++n == line) text += "# sdharden: ignore=" + rule + "\n";
    text += l + "\n";
  }
  fs.add_file("/etc/systemd/system/b.service", text);
  auto b = unit::load_unit(fs, "b.service");
  ASSERT_TRUE(b.has_value());
  for (const auto& f : lint_unit(*b, fs)) EXPECT_FALSE(f.rule_id == rule && f.location.line == line + 1) << rule;
}

}  // namespace
}  // namespace sdh::lint
