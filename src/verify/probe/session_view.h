// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden-probe's "session" operation: what a login session started from
// here would inherit, one "session KEY VALUE" line per fact
// (verify/session.h reads them). Nothing is changed to find out.
#pragma once

#include <string>

namespace sdh::probe {

// Prints the session view to stdout and appends it to `out_path` ("" none).
void print_session_view(const std::string& out_path);

}  // namespace sdh::probe
