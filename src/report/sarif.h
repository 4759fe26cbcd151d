// SPDX-License-Identifier: GPL-2.0-or-later
// Helpers shared by the SARIF 2.1.0 writers (lint and audit).
#pragma once

#include <string>

namespace sdh::report {

// A file path as a SARIF artifact URI ("file:///etc/x%20y.service").
std::string file_uri(const std::string& path);

inline constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
inline constexpr const char* kToolUri = "https://github.com/sdharden/sdharden";

}  // namespace sdh::report
