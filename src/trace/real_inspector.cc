// SPDX-License-Identifier: GPL-2.0-or-later
#include "trace/real_inspector.h"

#include "util/elf_arch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace sdh::trace {

namespace {

// Reads up to n bytes from the start of a file.
std::string head(const std::string& path, size_t n) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return "";
  std::string buf(n, '\0');
  ssize_t got = ::pread(fd, buf.data(), n, 0);
  ::close(fd);
  buf.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return buf;
}

}  // namespace

std::optional<profile::FileFacts> RealInspector::inspect(const std::string& path) const {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  profile::FileFacts f;
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    f.is_device = true;
    f.device_type = S_ISCHR(st.st_mode) ? 'c' : 'b';
    f.major = major(st.st_rdev);
    f.minor = minor(st.st_rdev);
  }
  f.setid = S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID));
  return f;
}

std::string RealInspector::interpreter(const std::string& path) const {
  std::string h = head(path, 256);
  if (h.size() < 2 || h[0] != '#' || h[1] != '!') return "";
  size_t start = h.find_first_not_of(" \t", 2);
  if (start == std::string::npos) return "";
  size_t end = h.find_first_of(" \t\n", start);
  return h.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string RealInspector::elf_machine(const std::string& path) const {
  std::string h = head(path, 256);
  if (h.size() >= 2 && h[0] == '#' && h[1] == '!') {
    // A script: the interpreter is what runs (one level, like the kernel's common case).
    size_t start = h.find_first_not_of(" \t", 2);
    if (start == std::string::npos) return "";
    size_t end = h.find_first_of(" \t\n", start);
    return elf_machine(h.substr(start, end == std::string::npos ? std::string::npos : end - start));
  }
  return elf_architecture(h).value_or("");
}

std::string RealInspector::resolve(const std::string& path) const {
  // /proc/self and /dev/fd are magic links: resolved here they would name
  // sdharden's own files, not the daemon's.
  if (path.rfind("/proc", 0) == 0 || path.rfind("/dev/fd/", 0) == 0 || path.rfind("/dev/std", 0) == 0) return "";
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return "";
  std::string out(real);
  std::free(real);
  return out == path ? "" : out;
}

}  // namespace sdh::trace
