// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace sdh {
namespace {

FileKind kind_of(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return FileKind::regular;
  if (S_ISDIR(st.st_mode)) return FileKind::directory;
  if (S_ISLNK(st.st_mode)) return FileKind::symlink;
  return FileKind::other;
}

// Unit files are small; anything beyond this is not a unit file and reading it
// whole would only waste memory (systemd itself caps lines, not files).
constexpr off_t kMaxFileSize = 64L * 1024 * 1024;

}  // namespace

std::string normalize_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
    } else if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(std::move(part));
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

std::string dirname_of(const std::string& path) {
  auto pos = path.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return path.substr(0, pos);
}

std::string basename_of(const std::string& path) {
  auto pos = path.find_last_of('/');
  return pos == std::string::npos ? path : path.substr(pos + 1);
}

Result<std::string> RealFileSystem::read_file(const std::string& path) const {
  int fd = ::open(host_path(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot open " + path, errno);
  std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { ::close(*f); });
  struct stat st {};
  if (::fstat(fd, &st) < 0) return fail("cannot stat " + path, errno);
  if (S_ISDIR(st.st_mode)) return fail("cannot read " + path, EISDIR);
  if (st.st_size > kMaxFileSize) return fail("file too large: " + path, EFBIG);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot read " + path, errno);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (static_cast<off_t>(out.size()) > kMaxFileSize) return fail("file too large: " + path, EFBIG);
  }
  return out;
}

FileKind RealFileSystem::kind(const std::string& path) const {
  struct stat st {};
  if (::stat(host_path(path).c_str(), &st) < 0) return FileKind::missing;
  return kind_of(st);
}

FileKind RealFileSystem::lkind(const std::string& path) const {
  struct stat st {};
  if (::lstat(host_path(path).c_str(), &st) < 0) return FileKind::missing;
  return kind_of(st);
}

Result<std::vector<std::string>> RealFileSystem::list_dir(const std::string& path) const {
  DIR* d = ::opendir(host_path(path).c_str());
  if (!d) return fail("cannot open directory " + path, errno);
  std::vector<std::string> out;
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    out.push_back(std::move(name));
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) return fail("cannot read directory " + path, err);
  return out;
}

Result<std::string> RealFileSystem::read_link(const std::string& path) const {
  char buf[4096];
  ssize_t n = ::readlink(host_path(path).c_str(), buf, sizeof buf - 1);
  if (n < 0) return fail("cannot read link " + path, errno);
  return std::string(buf, static_cast<size_t>(n));
}

void MemoryFileSystem::add_file(const std::string& path, std::string content) {
  auto p = normalize_path(path);
  files_[p] = std::move(content);
  for (auto d = dirname_of(p); d != "/"; d = dirname_of(d)) dirs_[d] = true;
  dirs_["/"] = true;
}

void MemoryFileSystem::add_symlink(const std::string& path, std::string target) {
  auto p = normalize_path(path);
  links_[p] = std::move(target);
  for (auto d = dirname_of(p); d != "/"; d = dirname_of(d)) dirs_[d] = true;
  dirs_["/"] = true;
}

void MemoryFileSystem::add_dir(const std::string& path) {
  auto p = normalize_path(path);
  for (auto d = p; d != "/"; d = dirname_of(d)) dirs_[d] = true;
  dirs_["/"] = true;
}

// Follows symlinks in the final component only; 40 hops like the kernel.
std::optional<std::string> MemoryFileSystem::resolve(const std::string& path, int depth) const {
  if (depth > 40) return std::nullopt;
  auto p = normalize_path(path);
  auto it = links_.find(p);
  if (it == links_.end()) return p;
  const std::string& t = it->second;
  std::string next = (!t.empty() && t[0] == '/') ? t : dirname_of(p) + "/" + t;
  return resolve(next, depth + 1);
}

Result<std::string> MemoryFileSystem::read_file(const std::string& path) const {
  auto r = resolve(path, 0);
  if (!r) return fail("cannot open " + path, ELOOP);
  auto it = files_.find(*r);
  if (it == files_.end()) {
    if (dirs_.count(*r)) return fail("cannot read " + path, EISDIR);
    return fail("cannot open " + path, ENOENT);
  }
  return it->second;
}

FileKind MemoryFileSystem::kind(const std::string& path) const {
  auto r = resolve(path, 0);
  if (!r) return FileKind::missing;
  if (files_.count(*r)) return FileKind::regular;
  if (dirs_.count(*r)) return FileKind::directory;
  return FileKind::missing;
}

FileKind MemoryFileSystem::lkind(const std::string& path) const {
  auto p = normalize_path(path);
  if (links_.count(p)) return FileKind::symlink;
  if (files_.count(p)) return FileKind::regular;
  if (dirs_.count(p)) return FileKind::directory;
  return FileKind::missing;
}

Result<std::vector<std::string>> MemoryFileSystem::list_dir(const std::string& path) const {
  auto r = resolve(path, 0);
  if (!r || !dirs_.count(*r)) return fail("cannot open directory " + path, ENOENT);
  std::string prefix = *r == "/" ? "/" : *r + "/";
  std::vector<std::string> out;
  auto collect = [&](const auto& m) {
    for (auto it = m.lower_bound(prefix); it != m.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      std::string rest = it->first.substr(prefix.size());
      if (!rest.empty() && rest.find('/') == std::string::npos) out.push_back(rest);
    }
  };
  collect(files_);
  collect(links_);
  collect(dirs_);
  return out;
}

Result<std::string> MemoryFileSystem::read_link(const std::string& path) const {
  auto it = links_.find(normalize_path(path));
  if (it == links_.end()) return fail("not a symlink: " + path, EINVAL);
  return it->second;
}

Result<std::string> OverlayFileSystem::read_file(const std::string& path) const {
  if (auto it = replaced_.find(path); it != replaced_.end()) return it->second;
  return base_.read_file(path);
}

}  // namespace sdh
