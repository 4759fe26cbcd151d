// SPDX-License-Identifier: GPL-2.0-or-later
// The file-system seam: pure modules read files only through FileSystem, so
// tests (and the synthesiser's what-if scoring) can use an in-memory tree.
#pragma once

#include <map>
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
class RealFileSystem final : public FileSystem {
 public:
  explicit RealFileSystem(std::string root = "") : root_(std::move(root)) {}
  Result<std::string> read_file(const std::string& path) const override;
  FileKind kind(const std::string& path) const override;
  FileKind lkind(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  Result<std::string> read_link(const std::string& path) const override;

 private:
  std::string host_path(const std::string& path) const { return root_ + path; }
  std::string root_;
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
std::string basename_of(const std::string& path);

}  // namespace sdh
