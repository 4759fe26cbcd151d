// SPDX-License-Identifier: GPL-2.0-or-later
#include "trace/real_inspector.h"

#include "util/elf_arch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <sstream>
#include <string>
#include <vector>

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
  if (path.empty() || path[0] != '/' || path.rfind("/proc", 0) == 0 || path.rfind("/dev/fd/", 0) == 0 ||
      path.rfind("/dev/std", 0) == 0)
    return "";
  // One component at a time, following only symlinks root owns. realpath()
  // would follow any link: one another account planted in /tmp could name
  // /etc/shadow, and the profile would then grant it.
  std::deque<std::string> todo;
  auto push_front_components = [&](const std::string& p) {
    std::vector<std::string> parts;
    std::istringstream in(p);
    std::string part;
    while (std::getline(in, part, '/'))
      if (!part.empty() && part != ".") parts.push_back(part);
    todo.insert(todo.begin(), parts.begin(), parts.end());
  };
  push_front_components(path);
  std::string done;  // "" is "/"
  int links = 0;
  while (!todo.empty()) {
    std::string part = todo.front();
    todo.pop_front();
    if (part == "..") {
      done = done.substr(0, done.rfind('/'));
      continue;
    }
    std::string next = done + "/" + part;
    struct stat st;
    if (::lstat(next.c_str(), &st) != 0) return "";
    if (!S_ISLNK(st.st_mode)) {
      done = next;
      continue;
    }
    if (st.st_uid != 0 || ++links > 40) return "";
    char target[4096];
    ssize_t n = ::readlink(next.c_str(), target, sizeof target - 1);
    if (n <= 0) return "";
    std::string t(target, static_cast<size_t>(n));
    if (t[0] == '/') done.clear();
    push_front_components(t);
  }
  std::string out = done.empty() ? "/" : done;
  return links == 0 || out == path ? "" : out;
}

}  // namespace sdh::trace
