// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "util/strings.h"
#include "verify/dropin.h"

using namespace sdh::verify;

TEST(Dropin, ParsesSectionsCommentsAndContinuations) {
  auto d = parse_dropin("# c\n[Service]\nProtectSystem=strict\n; c\nRestrictAddressFamilies=AF_UNIX \\\n  AF_INET\n[Unit]\nX = y\n");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->size(), 3u);
  EXPECT_EQ((*d)[0].assignment(), "ProtectSystem=strict");
  EXPECT_EQ((*d)[0].line, 3);
  // As systemd reads a continuation: the backslash becomes a blank, the next line's indentation stays.
  EXPECT_EQ(sdh::words((*d)[1].value), (std::vector<std::string>{"AF_UNIX", "AF_INET"}));
  EXPECT_EQ((*d)[2].section, "Unit");
  EXPECT_EQ((*d)[2].assignment(), "X=y");
}

TEST(Dropin, RejectsGarbageAndOrphanAssignments) {
  EXPECT_FALSE(parse_dropin("[Service]\nthis is not an assignment\n"));
  EXPECT_FALSE(parse_dropin("Key=value\n"));
}

TEST(Dropin, RenderRoundTrips) {
  auto d = parse_dropin("[Service]\nA=1\n[Unit]\nB=2\n[Service]\nC=3\n");
  ASSERT_TRUE(d);
  auto again = parse_dropin(render_dropin(*d));
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ(service_assignments(*again), (std::vector<std::string>{"A=1", "C=3"}));
}

TEST(Dropin, ListsWhoseEntriesRestrictAreBisectedEntryByEntry) {
  auto ds = *parse_dropin(
      "[Service]\nInaccessiblePaths=-/etc/ssh -/etc/ssl/private\nReadWritePaths=/var/a /var/b\n"
      "ReadOnlyPaths=\"/srv/a b\" /srv/c\nNoExecPaths=/tmp\n");
  auto split = one_entry_per_line(ds);
  std::vector<std::string> lines;
  for (const auto& d : split) lines.push_back(d.assignment());
  EXPECT_EQ(lines, (std::vector<std::string>{"InaccessiblePaths=-/etc/ssh", "InaccessiblePaths=-/etc/ssl/private",
                                             "ReadWritePaths=/var/a /var/b", "ReadOnlyPaths=\"/srv/a b\" /srv/c",
                                             "NoExecPaths=/tmp"}));
  EXPECT_EQ(split[1].line, 2);
}
