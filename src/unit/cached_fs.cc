// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit/cached_fs.h"

#include <cerrno>

namespace sdh::unit {

// Most questions a batch asks are about names that do not exist: drop-in
// folders ("g1.service.d" next to every unit, in every search-path folder)
// and the unit's name in search-path folders that are themselves absent.
// One listing of the parent answers all of them for that folder, where a
// stat per name would cost a system call each.
bool CachedFileSystem::known_absent(std::string_view path) const {
  auto slash = path.find_last_of('/');
  if (slash == std::string_view::npos || slash + 1 >= path.size()) return false;
  std::string_view base = path.substr(slash + 1);
  if (base == "." || base == "..") return false;  // never in a listing, yet present
  std::string_view parent = slash == 0 ? std::string_view("/") : path.substr(0, slash);
  auto it = names_.find(parent);
  if (it == names_.end()) {
    const auto& listed = list_dir_locked(parent);
    if (!listed) {
      // A parent that does not exist (or is no folder) has no entries; any
      // other failure (permissions, a loop) proves nothing: ask the inner one.
      int e = listed.error().errno_value();
      return e == ENOENT || e == ENOTDIR;
    }
    it = names_.emplace(std::string(parent), NameSet(listed->begin(), listed->end())).first;
  }
  return it->second.find(base) == it->second.end();
}

Result<std::string> CachedFileSystem::read_file(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  return files_.emplace(path, inner_.read_file(path)).first->second;
}

FileKind CachedFileSystem::lkind_locked(const std::string& path) const {
  if (known_absent(path)) return FileKind::missing;
  auto it = lkind_.find(path);
  if (it != lkind_.end()) return it->second;
  return lkind_.emplace(path, inner_.lkind(path)).first->second;
}

FileKind CachedFileSystem::lkind(const std::string& path) const {
  std::lock_guard lock(mu_);
  return lkind_locked(path);
}

FileKind CachedFileSystem::kind(const std::string& path) const {
  std::lock_guard lock(mu_);
  if (known_absent(path)) return FileKind::missing;
  auto it = kind_.find(path);
  if (it != kind_.end()) return it->second;
  // Where the name itself is no symlink, following it changes nothing: the
  // answer lkind already has (or needs anyway) saves a second stat.
  FileKind l = lkind_locked(path);
  FileKind k = l == FileKind::regular || l == FileKind::directory || l == FileKind::other ? l : inner_.kind(path);
  return kind_.emplace(path, k).first->second;
}

const Result<std::vector<std::string>>& CachedFileSystem::list_dir_locked(std::string_view path) const {
  auto it = dirs_.find(path);
  if (it != dirs_.end()) return it->second;
  return dirs_.emplace(std::string(path), inner_.list_dir(std::string(path))).first->second;
}

Result<std::vector<std::string>> CachedFileSystem::list_dir(const std::string& path) const {
  std::lock_guard lock(mu_);
  return list_dir_locked(path);
}

Result<std::string> CachedFileSystem::read_link(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = links_.find(path);
  if (it != links_.end()) return it->second;
  return links_.emplace(path, inner_.read_link(path)).first->second;
}

const CachedFileSystem::LinkIndex& CachedFileSystem::symlinks_in(const std::string& dir,
                                                                 const std::string& suffix) const {
  std::string key = dir + '\0' + suffix;  // NUL: in no path
  {
    std::lock_guard lock(mu_);
    auto it = link_index_.find(key);
    if (it != link_index_.end()) return it->second;
  }
  LinkIndex index;
  if (auto entries = list_dir(dir)) {
    for (const auto& e : *entries) {
      if (!e.ends_with(suffix)) continue;
      std::string path = dir + "/" + e;
      if (lkind(path) != FileKind::symlink) continue;
      for (int hop = 0; hop < 40 && lkind(path) == FileKind::symlink; ++hop) {
        auto target = read_link(path);
        if (!target) break;
        path = (!target->empty() && (*target)[0] == '/') ? normalize_path(*target)
                                                           : normalize_path(dirname_of(path) + "/" + *target);
      }
      std::string target_name = basename_of(path);
      index.push_back({e, std::move(path), std::move(target_name)});
    }
  }
  std::lock_guard lock(mu_);
  return link_index_.emplace(std::move(key), std::move(index)).first->second;
}

}  // namespace sdh::unit
