// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/strings.h"

#include <gtest/gtest.h>

namespace sdh {
namespace {

TEST(Strings, SplitKeepsEmptyFields) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(words("  a\tb \n c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(trim(" \t x y\r\n"), "x y");
}

TEST(Strings, ToNumberTakesOnlyWholeNumbersThatFit) {
  EXPECT_EQ(to_number<unsigned>("1023"), 1023u);
  EXPECT_EQ(to_number<uint32_t>("c000003e", 16), 0xc000003eu);
  EXPECT_FALSE(to_number<unsigned>(""));
  EXPECT_FALSE(to_number<unsigned>("12x"));
  EXPECT_FALSE(to_number<unsigned>("-1"));
  EXPECT_FALSE(to_number<uint32_t>("99999999999999999999"));
  EXPECT_FALSE(to_number<int>("2147483648"));
}

TEST(Strings, LinesOfAndTheLastLines) {
  EXPECT_EQ(lines_of("a\nb\n"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(lines_of("a\n\nb"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(lines_of("").empty());
  EXPECT_EQ(last_lines("1\n2\n3\n4", 2), "3\n4");
  EXPECT_EQ(last_lines("1\n2", 5), "1\n2");
  EXPECT_EQ(last_lines("only", 1), "only");
}

}  // namespace
}  // namespace sdh
