// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/sarif.h"

#include <cstdio>

namespace sdh::report {

std::string file_uri(const std::string& path) {
  std::string out = "file://";
  if (path.empty() || path.front() != '/') out = "";  // relative: a URI reference
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c == '@' || c == ':' ||
                 c == '+' || c == ',' || c == '=';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace sdh::report
