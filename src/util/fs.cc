// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "util/resolve_in_root.h"

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

bool path_under(const std::string& path, const std::string& dir) {
  if (dir == "/") return !path.empty() && path.front() == '/';
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  if (path.compare(0, d.size(), d) != 0) return false;
  return path.size() == d.size() || path[d.size()] == '/';
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

RealFileSystem::RealFileSystem(std::string root) : root_(std::move(root)) {
  if (root_.empty()) return;
  int fd = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) root_fd_ = std::shared_ptr<const int>(new int(fd), [](const int* f) { ::close(*f), delete f; });
}

Result<int> RealFileSystem::open_path(const std::string& path, bool follow) const {
  int flags = O_PATH | (follow ? 0 : O_NOFOLLOW);
  if (root_.empty()) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return fail("cannot open " + path, errno);
    return fd;
  }
  if (!root_fd_) return fail("cannot open the root directory " + root_, ENOENT);
  return open_in_root(*root_fd_, path, flags, use_openat2_ ? InRootMethod::automatic : InRootMethod::walk);
}

namespace {

struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

const char* kind_name(mode_t m) {
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISCHR(m) || S_ISBLK(m)) return "a device node";
  if (S_ISDIR(m)) return "a directory";
  return "not a regular file";
}

}  // namespace

Result<std::string> RealFileSystem::read_file(const std::string& path) const {
  auto opened = open_path(path, true);
  if (!opened) return fail(opened.error());
  FdGuard pathfd{*opened};
  struct stat st {};
  if (::fstat(pathfd.fd, &st) < 0) return fail("cannot stat " + path, errno);
  // Refused before it is opened for reading: a FIFO would block, a device act.
  if (S_ISDIR(st.st_mode)) return fail("cannot read " + path, EISDIR);
  if (!S_ISREG(st.st_mode)) return fail(std::string("cannot read ") + path + ": it is " + kind_name(st.st_mode));
  if (st.st_size > kMaxFileSize) return fail("file too large: " + path, EFBIG);
  // The O_PATH descriptor, reopened for reading: the same file, not the name again.
  std::string self = "/proc/self/fd/" + std::to_string(pathfd.fd);
  int fd = ::open(self.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return fail("cannot open " + path, errno);
  FdGuard guard{fd};
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
  auto fd = open_path(path, true);
  if (!fd) return FileKind::missing;
  FdGuard guard{*fd};
  struct stat st {};
  if (::fstat(*fd, &st) < 0) return FileKind::missing;
  return kind_of(st);
}

FileKind RealFileSystem::lkind(const std::string& path) const {
  auto fd = open_path(path, false);
  if (!fd) return FileKind::missing;
  FdGuard guard{*fd};
  struct stat st {};
  if (::fstat(*fd, &st) < 0) return FileKind::missing;
  return kind_of(st);
}

Result<std::vector<std::string>> RealFileSystem::list_dir(const std::string& path) const {
  auto opened = open_path(path, true);
  if (!opened) return fail("cannot open directory " + path, opened.error().errno_value());
  FdGuard pathfd{*opened};
  int fd = ::openat(pathfd.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail("cannot open directory " + path, errno);
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return fail("cannot open directory " + path, errno);
  }
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
  auto opened = open_path(path, false);
  if (!opened) return fail("cannot read link " + path, opened.error().errno_value());
  FdGuard guard{*opened};
  char buf[4096];
  ssize_t n = ::readlinkat(*opened, "", buf, sizeof buf - 1);
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
