// SPDX-License-Identifier: GPL-2.0-or-later
// Unit templates as upstream projects ship them (app.service.in): build
// systems fill @bindir@-style placeholders at install time. Filled here with
// the paths a Debian package installs to, so that lint and score see what
// the installed unit will say, line for line.
#pragma once

#include <string>
#include <vector>

namespace sdh::unit {

struct FilledTemplate {
  std::string text;                        // same lines, placeholders replaced
  std::vector<std::string> filled;         // "@bindir@=/usr/bin", in order of first use
  std::vector<std::string> left;           // placeholders with no known value, as written
};

// Replaces @NAME@ (autoconf, meson, CMake's @CMAKE_INSTALL_FULL_NAME@) where
// NAME is an installation directory; `package` fills the pkg* ones
// (@pkglibexecdir@ -> /usr/libexec/PACKAGE).
FilledTemplate fill_placeholders(const std::string& text, const std::string& package);

}  // namespace sdh::unit
