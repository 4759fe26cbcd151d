// SPDX-License-Identifier: GPL-2.0-or-later
// A FileSystem decorator that remembers every answer (kind, lkind, list_dir,
// read_link, file contents). Scoring many units in one run asks the same
// questions about the same search-path folders over and over, and reads the
// same shared drop-ins ("service.d/*.conf") once per unit. Only for runs
// during which the tree does not change.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "util/fs.h"

namespace sdh::unit {

class CachedFileSystem final : public FileSystem {
 public:
  explicit CachedFileSystem(const FileSystem& inner) : inner_(inner) {}
  Result<std::string> read_file(const std::string& path) const override;
  FileKind kind(const std::string& path) const override;
  FileKind lkind(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  Result<std::string> read_link(const std::string& path) const override;

  // A symlink directly in a folder: its name, the final path its chain leads
  // to, and that path's last component (what the loader compares).
  struct Link {
    std::string name;
    std::string target_path;
    std::string target_name;
  };
  using LinkIndex = std::vector<Link>;
  // The symlinks directly in `dir` whose names end in `suffix` (".service"),
  // computed once per folder and suffix: the loader asks this for every unit,
  // and only names of the unit's type can be its aliases.
  const LinkIndex& symlinks_in(const std::string& dir, const std::string& suffix) const;

 private:
  // Lookups by string_view, so that asking about a name builds no string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;
  using NameSet = std::unordered_set<std::string, Hash, std::equal_to<>>;

  // The unlocked halves of the public calls (they call each other).
  FileKind lkind_locked(const std::string& path) const;
  const Result<std::vector<std::string>>& list_dir_locked(std::string_view path) const;
  // True when the parent folder's listing shows no entry of that name, or
  // the parent itself does not exist.
  bool known_absent(std::string_view path) const;

  const FileSystem& inner_;
  mutable std::mutex mu_;
  // Answers for names that exist (or whose parent could not be listed);
  // absent names are answered from names_ and not stored one by one.
  mutable Map<FileKind> kind_, lkind_;
  mutable Map<Result<std::vector<std::string>>> dirs_;
  mutable Map<Result<std::string>> links_, files_;
  mutable Map<LinkIndex> link_index_;  // by dir + NUL + suffix
  mutable Map<NameSet> names_;  // folder -> entries
};

}  // namespace sdh::unit
