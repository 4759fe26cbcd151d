#include "unit/cached_fs.h"

namespace sdh::unit {

FileKind CachedFileSystem::kind(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = kind_.find(path);
  if (it != kind_.end()) return it->second;
  return kind_.emplace(path, inner_.kind(path)).first->second;
}

FileKind CachedFileSystem::lkind(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = lkind_.find(path);
  if (it != lkind_.end()) return it->second;
  return lkind_.emplace(path, inner_.lkind(path)).first->second;
}

Result<std::vector<std::string>> CachedFileSystem::list_dir(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = dirs_.find(path);
  if (it != dirs_.end()) return it->second;
  return dirs_.emplace(path, inner_.list_dir(path)).first->second;
}

Result<std::string> CachedFileSystem::read_link(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = links_.find(path);
  if (it != links_.end()) return it->second;
  return links_.emplace(path, inner_.read_link(path)).first->second;
}

const CachedFileSystem::LinkIndex& CachedFileSystem::symlinks_in(const std::string& dir) const {
  {
    std::lock_guard lock(mu_);
    auto it = link_index_.find(dir);
    if (it != link_index_.end()) return it->second;
  }
  LinkIndex index;
  if (auto entries = list_dir(dir)) {
    for (const auto& e : *entries) {
      std::string path = dir + "/" + e;
      if (lkind(path) != FileKind::symlink) continue;
      for (int hop = 0; hop < 40 && lkind(path) == FileKind::symlink; ++hop) {
        auto target = read_link(path);
        if (!target) break;
        path = (!target->empty() && (*target)[0] == '/') ? normalize_path(*target)
                                                           : normalize_path(dirname_of(path) + "/" + *target);
      }
      index.emplace_back(e, path);
    }
  }
  std::lock_guard lock(mu_);
  return link_index_.emplace(dir, std::move(index)).first->second;
}

}  // namespace sdh::unit
