// SPDX-License-Identifier: GPL-2.0-or-later
// The file-system seam: pure modules read files only through FileSystem, so
// tests (and the synthesiser's what-if scoring) can use an in-memory tree.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace sdh {

enum class FileKind { missing, regular, directory, symlink, other };

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::string> read_file(const std::string& path) const = 0;
  // Kind of `path` after following symlinks (missing when it dangles or loops).
  virtual FileKind kind(const std::string& path) const = 0;
  // Kind of `path` itself, without following a final symlink.
  virtual FileKind lkind(const std::string& path) const = 0;
  // Entry names (not paths) of a directory, unsorted.
  virtual Result<std::vector<std::string>> list_dir(const std::string& path) const = 0;
  // Target of a symlink, as stored.
  virtual Result<std::string> read_link(const std::string& path) const = 0;
};

// The real file system, optionally below a root directory (--root DIR).
// Below a root every path is resolved inside it, as systemd's chase() does
// with a root: an absolute symlink is relative to the root and ".." stops
// at it (openat2() with RESOLVE_IN_ROOT, or a walk of one component at a
// time where the kernel lacks it), so an image cannot make sdharden read
// the host. Only regular files are read: a FIFO, device or socket is refused
// before it is opened for reading (a FIFO would block, a device act).
class RealFileSystem final : public FileSystem {
 public:
  explicit RealFileSystem(std::string root = "");
  Result<std::string> read_file(const std::string& path) const override;
  FileKind kind(const std::string& path) const override;
  FileKind lkind(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  Result<std::string> read_link(const std::string& path) const override;
  // Tests: resolve below the root without openat2(), as on an older kernel.
  void force_walk_for_tests() { use_openat2_ = false; }

  // Opens `path` (O_PATH, O_NOFOLLOW on the last component when `follow` is
  // false) inside the root, or on the host without one. The fd is the caller's.
  Result<int> open_path(const std::string& path, bool follow) const;

 private:
  Result<int> walk(const std::string& path, bool follow) const;
  std::string root_;
  std::shared_ptr<const int> root_fd_;  // O_PATH of the root; shared by copies
  bool use_openat2_ = true;
};

// An in-memory tree for tests and what-if scoring. Paths are absolute.
class MemoryFileSystem final : public FileSystem {
 public:
  void add_file(const std::string& path, std::string content);
  void add_symlink(const std::string& path, std::string target);
  void add_dir(const std::string& path);
  Result<std::string> read_file(const std::string& path) const override;
  FileKind kind(const std::string& path) const override;
  FileKind lkind(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  Result<std::string> read_link(const std::string& path) const override;

 private:
  std::optional<std::string> resolve(const std::string& path, int depth) const;
  std::map<std::string, std::string> files_;
  std::map<std::string, std::string> links_;
  std::map<std::string, bool> dirs_;
};

// Another file system with some files' contents replaced (paths as the base
// sees them; a replaced file must exist there): `lint app.service.in` reads
// the template with its placeholders filled in, everything else as it is.
class OverlayFileSystem final : public FileSystem {
 public:
  explicit OverlayFileSystem(const FileSystem& base) : base_(base) {}
  void replace(const std::string& path, std::string content) { replaced_[path] = std::move(content); }
  Result<std::string> read_file(const std::string& path) const override;
  FileKind kind(const std::string& path) const override { return base_.kind(path); }
  FileKind lkind(const std::string& path) const override { return base_.lkind(path); }
  Result<std::vector<std::string>> list_dir(const std::string& path) const override { return base_.list_dir(path); }
  Result<std::string> read_link(const std::string& path) const override { return base_.read_link(path); }

 private:
  const FileSystem& base_;
  std::map<std::string, std::string> replaced_;
};

// Lexically normalises an absolute path ("//a/./b/../c" -> "/a/c").
std::string normalize_path(const std::string& path);
std::string dirname_of(const std::string& path);
// `path` is `dir` or below it, component-wise ("/a/bc" is not under "/a/b");
// a trailing slash of `dir` is ignored, and every absolute path is under "/".
bool path_under(const std::string& path, const std::string& dir);
std::string basename_of(const std::string& path);

}  // namespace sdh
