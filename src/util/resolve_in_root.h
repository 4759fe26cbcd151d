// SPDX-License-Identifier: GPL-2.0-or-later
// Opening a path inside a directory tree as if that tree were "/", the way
// systemd's chase() does with a root: an absolute symlink restarts at the
// tree's top, ".." stops there, and nothing below can lead outside. For
// --root DIR, OS trees and container roots: what they hold is not ours and
// may point anywhere on the host.
#pragma once

#include <string_view>

#include "util/error.h"

namespace sdh {

enum class InRootMethod {
  automatic,  // openat2(RESOLVE_IN_ROOT) where the kernel has it (5.6+), else the walk
  walk,       // one component at a time with O_NOFOLLOW (tests use it to cover older kernels)
};

// Opens `path` (absolute or relative, both taken from the tree's top) below
// the directory `root_fd` with openat() `flags` (O_PATH, O_RDONLY|O_DIRECTORY,
// O_NOFOLLOW for a final symlink itself...; O_CLOEXEC is added). The fd is
// the caller's. Magic links (/proc/PID/fd/N) are never followed.
Result<int> open_in_root(int root_fd, std::string_view path, int flags, InRootMethod method = InRootMethod::automatic);

// Opens the directory that holds `path`'s last component (resolved in the
// root; O_PATH) and returns it with that component's name, for calls that
// act on a name relative to a directory fd (openat with O_CREAT|O_EXCL,
// renameat, unlinkat, readlinkat): the last component is never followed.
struct ParentInRoot {
  int fd = -1;
  std::string name;
};
Result<ParentInRoot> open_parent_in_root(int root_fd, std::string_view path,
                                         InRootMethod method = InRootMethod::automatic);

// Opens the folder `path` inside the root (O_PATH), creating what is
// missing of it (0755) one level at a time, each level resolved in the root.
Result<int> make_dirs_in_root(int root_fd, std::string_view path, InRootMethod method = InRootMethod::automatic);

}  // namespace sdh
