// SPDX-License-Identifier: GPL-2.0-or-later
// Writing files so that they are never seen half-written and cannot be
// redirected: a temporary file of unpredictable name is created with
// O_EXCL|O_NOFOLLOW beside the target, relative to a directory descriptor,
// fsynced and renamed over the target; nothing is ever written through a
// symlink someone planted.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "util/error.h"

namespace sdh {

// Writes all of `text` to `fd`, retrying short writes and EINTR; `what`
// names the file in the error.
Result<void> write_all(int fd, const std::string& text, const std::string& what);

// Writes `text` to a temporary file beside `path`, fsyncs it and renames it
// over `path`, so a reader (or a crash) sees the old content or the new, never
// a mix. When `path` exists and is not a regular file (/dev/stdout, a FIFO,
// /dev/null), it is written in place instead: renaming over a device node
// would replace the node itself. An existing file keeps its mode.
Result<void> write_file_atomically(const std::string& path, const std::string& text, unsigned mode = 0644);

// The same inside the directory `dir_fd`: `name` is replaced by a temp file
// (".NAME.tmp-RANDOM", a dot-file systemd does not read) created O_EXCL and
// O_NOFOLLOW with `mode`; `before_rename` runs between the write and the
// rename (a test hook). The directory is fsynced after the rename.
Result<void> replace_file_at(int dir_fd, const std::string& name, const std::string& text, mode_t mode,
                             const std::function<void()>& before_rename = {});

// Opens the folder `rel` (relative, "a/b/c") below the directory `root_fd`
// one component at a time with O_NOFOLLOW, creating missing ones (0755) when
// `create`; a symlink anywhere on the way is refused. The fd is the caller's.
Result<int> open_dirs_nofollow(int root_fd, const std::string& rel, bool create);

// An unpredictable suffix for temporary names (getrandom).
std::string random_suffix();

}  // namespace sdh
