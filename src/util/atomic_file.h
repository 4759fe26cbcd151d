// SPDX-License-Identifier: GPL-2.0-or-later
// Writing a user's output file so that it is never seen half-written.
#pragma once

#include <string>

#include "util/error.h"

namespace sdh {

// Writes `text` to a temporary file beside `path`, fsyncs it and renames it
// over `path`, so a reader (or a crash) sees the old content or the new, never
// a mix. When `path` exists and is not a regular file (/dev/stdout, a FIFO,
// /dev/null), it is written in place instead: renaming over a device node
// would replace the node itself.
// Writes all of `text` to `fd`, retrying short writes and EINTR; `what`
// names the file in the error.
Result<void> write_all(int fd, const std::string& text, const std::string& what);

Result<void> write_file_atomically(const std::string& path, const std::string& text, unsigned mode = 0644);

}  // namespace sdh
