#include "unit/cached_fs.h"

namespace sdh::unit {

// Most questions a batch asks are about drop-in folders that do not exist
// ("g1.service.d" next to every unit, in every search-path folder). One
// listing of the parent answers all of them for that folder, where a stat
// per name would cost a system call each.
bool CachedFileSystem::known_absent(const std::string& path) const {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash + 1 >= path.size()) return false;
  std::string parent = slash == 0 ? "/" : path.substr(0, slash);
  auto it = names_.find(parent);
  if (it == names_.end()) {
    std::unordered_set<std::string> names;
    auto listed = inner_.list_dir(parent);
    // An unreadable or missing parent proves nothing: fall back to stat.
    if (!listed) return false;
    names.insert(listed->begin(), listed->end());
    it = names_.emplace(parent, std::move(names)).first;
  }
  return it->second.count(path.substr(slash + 1)) == 0;
}

FileKind CachedFileSystem::kind(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = kind_.find(path);
  if (it != kind_.end()) return it->second;
  FileKind k = known_absent(path) ? FileKind::missing : inner_.kind(path);
  return kind_.emplace(path, k).first->second;
}

FileKind CachedFileSystem::lkind(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = lkind_.find(path);
  if (it != lkind_.end()) return it->second;
  FileKind k = known_absent(path) ? FileKind::missing : inner_.lkind(path);
  return lkind_.emplace(path, k).first->second;
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
