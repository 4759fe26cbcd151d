// A FileSystem decorator that remembers metadata lookups (kind, lkind,
// list_dir, read_link). Scoring many units in one run asks the same
// questions about the same search-path folders over and over; file contents
// are still read every time. Only for runs during which the tree does not change.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "util/fs.h"

namespace sdh::unit {

class CachedFileSystem final : public FileSystem {
 public:
  explicit CachedFileSystem(const FileSystem& inner) : inner_(inner) {}
  Result<std::string> read_file(const std::string& path) const override { return inner_.read_file(path); }
  FileKind kind(const std::string& path) const override;
  FileKind lkind(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  Result<std::string> read_link(const std::string& path) const override;

  // The symlinks directly in `dir`, each with the final path its chain leads
  // to (computed once per folder: the loader asks this for every unit).
  using LinkIndex = std::vector<std::pair<std::string, std::string>>;
  const LinkIndex& symlinks_in(const std::string& dir) const;

 private:
  // True when the parent folder's listing shows no entry of that name.
  bool known_absent(const std::string& path) const;
  const FileSystem& inner_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, FileKind> kind_, lkind_;
  mutable std::unordered_map<std::string, Result<std::vector<std::string>>> dirs_;
  mutable std::unordered_map<std::string, Result<std::string>> links_;
  mutable std::unordered_map<std::string, LinkIndex> link_index_;
  mutable std::unordered_map<std::string, std::unordered_set<std::string>> names_;  // folder -> entries
};

}  // namespace sdh::unit
