// SPDX-License-Identifier: GPL-2.0-or-later
// The "%x" specifiers systemd expands in unit files, as far as they can be
// known offline (no running manager needed).
#pragma once

#include <string>

#include "util/error.h"
#include "util/fs.h"

namespace sdh::unit {

struct SpecifierContext {
  std::string unit_name;      // "foo@bar.service"
  std::string fragment_path;  // for %y / %Y
  bool user_manager = false;
  // Host facts: read from `fs` (/etc/hostname, /etc/machine-id) only when a
  // specifier needs them, else these defaults.
  const FileSystem* fs = nullptr;
  std::string hostname = "localhost";
  std::string machine_id;
  std::string boot_id;
  std::string kernel_release;
  std::string architecture = "x86-64";
};

// Expands every specifier in `text`. Unknown specifiers are an error (as in
// systemd, which then ignores or refuses the assignment depending on the key).
Result<std::string> expand_specifiers(const std::string& text, const SpecifierContext& ctx);

}  // namespace sdh::unit
