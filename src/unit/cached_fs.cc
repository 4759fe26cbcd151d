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

}  // namespace sdh::unit
