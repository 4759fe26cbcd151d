// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/error.h"

#include <cstring>

namespace sdh {

std::string Error::to_string() const {
  std::string out;
  for (auto it = context_.rbegin(); it != context_.rend(); ++it) {
    out += *it;
    out += ": ";
  }
  out += message_;
  if (errno_ != 0) {
    out += ": ";
    out += std::strerror(errno_);
  }
  return out;
}

}  // namespace sdh
