// SPDX-License-Identifier: GPL-2.0-or-later
// Turning the command line's UNIT, --dropin and --check into VerifyOptions:
// a unit name is used as the host knows it; a path to a unit file is
// installed into the host under its base name.
#pragma once

#include <string>

#include "util/error.h"
#include "util/fs.h"
#include "verify/verify.h"

namespace sdh::verify {

Result<VerifyOptions> load_target(const FileSystem& fs, const std::string& unit_arg,
                                  const std::string& dropin_path, const std::string& check);

// "nginx" -> "nginx.service"; names with a known suffix are kept.
std::string unit_name_from(const std::string& arg);

}  // namespace sdh::verify
