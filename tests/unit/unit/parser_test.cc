// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "unit/parser.h"
#include "unit/specifiers.h"

namespace sdh::unit {
namespace {

std::vector<Assignment> parse(const std::string& text, std::vector<Diagnostic>* d = nullptr) {
  std::vector<Diagnostic> diags;
  auto r = parse_unit_file(text, "/x.service", diags).assignments;
  if (d) *d = diags;
  return r;
}

TEST(Parser, CommentsContinuationsAndWhitespace) {
  auto a = parse("# c\n[Service]\n  ; c\nUser = svc  \nExecStart=/bin/a \\\n# inside\n  --flag\nX=1 # not a comment\n");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].key, "User");
  EXPECT_EQ(a[0].value, "svc");
  EXPECT_EQ(a[1].value, "/bin/a    --flag");  // backslash becomes a space
  EXPECT_EQ(a[2].value, "1 # not a comment");
  EXPECT_EQ(a[2].location.line, 8);
}

TEST(Parser, MalformedLinesAreDiagnosedAndSkipped) {
  std::vector<Diagnostic> d;
  auto a = parse("User=outside\n[Service]\nnoequals\n=novalue\nUser=ok\n", &d);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].value, "ok");
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d[1].location.line, 3);
}

TEST(Parser, FatalInputs) {
  std::vector<Diagnostic> d;
  EXPECT_TRUE(parse_unit_file("[Service\n", "/f", d).fatal);
  EXPECT_TRUE(parse_unit_file("[Service]\nUser=\xff\xfe\n", "/f", d).fatal);
  EXPECT_TRUE(parse_unit_file("[Service]\nUser=" + std::string(2 << 20, 'a') + "\n", "/f", d).fatal);
  // Unterminated continuation at end of file still yields the assignment.
  auto a = parse("[Service]\nUser=a \\");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].value, "a");
}

TEST(Specifiers, InstanceAndPrefix) {
  SpecifierContext c;
  c.unit_name = "foo-bar@a-b.service";
  EXPECT_EQ(*expand_specifiers("%n %N %p %i %I %j %f %%", c),
            "foo-bar@a-b.service foo-bar@a-b foo-bar a-b a/b bar /a/b %");
  EXPECT_EQ(*expand_specifiers("%t %S %C %L %E %T %V", c), "/run /var/lib /var/cache /var/log /etc /tmp /var/tmp");
  EXPECT_FALSE(expand_specifiers("%Q", c).has_value());
}

}  // namespace
}  // namespace sdh::unit
