// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

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


Result<void> write_file_atomically(const std::string& path, const std::string& text, unsigned mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return fail("cannot write " + path, EISDIR);
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fail("opening " + path, errno);
    auto written = write_all(fd, text, path);
    ::close(fd);
    return written;
  }
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail("creating " + tmp, errno);
  auto written = write_all(fd, text, tmp);
  if (written && ::fsync(fd) != 0) written = fail("syncing " + tmp, errno);
  if (::close(fd) != 0 && written) written = fail("closing " + tmp, errno);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) {
    written = fail("renaming " + tmp + " to " + path, errno);
  }
  if (!written) ::unlink(tmp.c_str());
  return written;
}

}  // namespace sdh
