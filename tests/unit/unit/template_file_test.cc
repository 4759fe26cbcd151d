// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/template_file.h"

#include <gtest/gtest.h>

#include "unit/loader.h"

namespace sdh::unit {
namespace {

TEST(TemplateFile, FillsInstallationDirectoriesLineForLine) {
  auto f = fill_placeholders(
      "[Service]\nExecStart=@bindir@/app --conf @sysconfdir@/app.conf\n"
      "ExecStartPre=@CMAKE_INSTALL_FULL_LIBEXECDIR@/app-pre\nExecReload=@pkglibexecdir@/reload @VERSION@\n"
      "Description=getty@tty1 for mail@example.org\n",
      "app");
  EXPECT_EQ(f.text,
            "[Service]\nExecStart=/usr/bin/app --conf /etc/app.conf\nExecStartPre=/usr/libexec/app-pre\n"
            "ExecReload=/usr/libexec/app/reload @VERSION@\nDescription=getty@tty1 for mail@example.org\n");
  EXPECT_EQ(f.filled, (std::vector<std::string>{"@bindir@=/usr/bin", "@sysconfdir@=/etc",
                                                "@CMAKE_INSTALL_FULL_LIBEXECDIR@=/usr/libexec",
                                                "@pkglibexecdir@=/usr/libexec/app"}));
  EXPECT_EQ(f.left, (std::vector<std::string>{"@VERSION@"}));
}

TEST(TemplateFile, AFileLoadsUnderAnotherName) {
  MemoryFileSystem fs;
  fs.add_file("/src/contrib/app.service.in", "[Service]\nExecStart=/usr/bin/app\nUser=%p\n");
  LoadOptions o;
  o.as_name = "app.service";
  auto u = load_unit(fs, "/src/contrib/app.service.in", o);
  ASSERT_TRUE(u.has_value()) << u.error().to_string();
  EXPECT_EQ(u->name, "app.service");
  EXPECT_EQ(u->fragment_path, "/src/contrib/app.service.in");
  EXPECT_EQ(u->settings.user, "app");
  // Without a name, the file's own is not a unit name.
  EXPECT_FALSE(load_unit(fs, "/src/contrib/app.service.in").has_value());
}

}  // namespace
}  // namespace sdh::unit
