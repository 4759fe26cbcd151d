// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/fs.h"

namespace sdh {

Result<void> write_all(int fd, const std::string& text, const std::string& what) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("writing " + what, errno);
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

std::string random_suffix() {
  unsigned char bytes[8] = {};
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) out += {kHex[b >> 4], kHex[b & 15]};
  return out;
}

Result<void> replace_file_at(int dir_fd, const std::string& name, const std::string& text, mode_t mode,
                             const std::function<void()>& before_rename) {
  int fd = -1;
  std::string tmp;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = "." + name + ".tmp-" + random_suffix();
    fd = ::openat(dir_fd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0 && errno != EEXIST) return fail("creating a temporary file for " + name, errno);
  }
  if (fd < 0) return fail("creating a temporary file for " + name, EEXIST);
  // The umask must not loosen or tighten what the caller asked for.
  Result<void> written = ::fchmod(fd, mode) == 0 ? write_all(fd, text, tmp) : fail("chmod " + tmp, errno);
  if (written && ::fsync(fd) != 0) written = fail("syncing " + tmp, errno);
  if (::close(fd) != 0 && written) written = fail("closing " + tmp, errno);
  if (written && before_rename) before_rename();
  if (written && ::renameat(dir_fd, tmp.c_str(), dir_fd, name.c_str()) != 0)
    written = fail("renaming " + tmp + " to " + name, errno);
  if (!written) {
    ::unlinkat(dir_fd, tmp.c_str(), 0);
    return written;
  }
  if (::fsync(dir_fd) != 0 && errno != EINVAL && errno != EBADF) return fail("syncing the folder of " + name, errno);
  return {};
}

Result<int> open_dirs_nofollow(int root_fd, const std::string& rel, bool create) {
  int cur = ::openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cur < 0) return fail("opening the top folder", errno);
  size_t i = 0;
  std::string walked;
  while (i < rel.size()) {
    size_t j = rel.find('/', i);
    if (j == std::string::npos) j = rel.size();
    std::string comp = rel.substr(i, j - i);
    i = j + 1;
    if (comp.empty() || comp == ".") continue;
    walked += "/" + comp;
    if (comp == "..") {
      ::close(cur);
      return fail("refusing \"..\" in " + rel, EINVAL);
    }
    if (create && ::mkdirat(cur, comp.c_str(), 0755) != 0 && errno != EEXIST) {
      int e = errno;
      ::close(cur);
      return fail("creating " + walked, e);
    }
    int next = ::openat(cur, comp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    if (next < 0) {
      struct stat st {};
      bool link = ::fstatat(cur, comp.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      ::close(cur);
      if (link) return fail(walked + " is a symlink; refusing to write through it", ELOOP);
      return fail("opening " + walked, e);
    }
    ::close(cur);
    cur = next;
  }
  return cur;
}

Result<void> write_file_atomically(const std::string& path, const std::string& text, unsigned mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail("cannot write " + path, EISDIR);
    if (!S_ISREG(st.st_mode)) {
      int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) return fail("opening " + path, errno);
      auto written = write_all(fd, text, path);
      ::close(fd);
      return written;
    }
    mode = st.st_mode & 07777;
  }
  std::string dir = path.find('/') == std::string::npos ? "." : dirname_of(path);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return fail("opening the folder of " + path, errno);
  auto r = replace_file_at(dir_fd, basename_of(path), text, mode);
  ::close(dir_fd);
  if (!r) return fail(std::move(r.error()).with_context("writing " + path));
  return {};
}

}  // namespace sdh
