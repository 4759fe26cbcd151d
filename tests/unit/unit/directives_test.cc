// SPDX-License-Identifier: GPL-2.0-or-later
// The directive registry is the single source of how a boolean or a path
// list reaches UnitSettings: every such row is bound to its field, and an
// assignment through the real loader sets, clears and resets that field.
#include <gtest/gtest.h>

#include "unit/directives.h"
#include "unit/loader.h"

namespace sdh::unit {
namespace {

LoadedUnit load(const DirectiveInfo& d, const std::string& lines) {
  MemoryFileSystem fs;
  std::string section = d.scope == DirectiveScope::unit ? "Unit" : "Service";
  fs.add_file("/etc/systemd/system/t.service",
              "[" + section + "]\n" + lines + (section == "Service" ? "" : "[Service]\n") + "ExecStart=/bin/true\n");
  auto u = load_unit(fs, "t.service");
  if (!u) throw std::runtime_error(u.error().to_string());
  return *u;
}

TEST(DirectiveRegistry, EveryBooleanAndPathListRowIsBoundAndRoundTrips) {
  int booleans = 0, lists = 0;
  for (const auto& d : directive_table()) {
    bool is_bool = d.rule == ParseRule::boolean || d.rule == ParseRule::boolean_fatal;
    bool is_list = d.rule == ParseRule::path_list || d.rule == ParseRule::ip_filter_path;
    EXPECT_EQ(d.flag != nullptr, is_bool) << d.name << ": a boolean row needs its field, and only a boolean row";
    EXPECT_EQ(d.list != nullptr, is_list) << d.name << ": a path-list row needs its field, and only such a row";
    if (is_bool && d.flag) {
      ++booleans;
      EXPECT_TRUE(load(d, d.name + "=yes\n").settings.*(d.flag)) << d.name;
      EXPECT_FALSE(load(d, d.name + "=yes\n" + d.name + "=no\n").settings.*(d.flag)) << d.name;
    }
    if (is_list && d.list) {
      ++lists;
      auto two = load(d, d.name + "=/srv/a\n" + d.name + "=/srv/b\n").settings.*(d.list);
      EXPECT_EQ(two.size(), d.accumulation == Accumulation::accumulates ? 2u : 1u) << d.name;
      EXPECT_TRUE((load(d, d.name + "=/srv/a\n" + d.name + "=\n").settings.*(d.list)).empty())
          << d.name << ": the empty assignment resets";
    }
  }
  EXPECT_GE(booleans, 18);
  EXPECT_GE(lists, 15);
}

}  // namespace
}  // namespace sdh::unit
