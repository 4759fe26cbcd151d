// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/resolve_in_root.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <deque>
#include <string>
#include <vector>

namespace sdh {
namespace {

constexpr int kMaxSymlinks = 40;  // as the kernel and chase()

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

void push_components(std::string_view path, std::deque<std::string>& todo) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  todo.insert(todo.begin(), parts.begin(), parts.end());
}

Result<int> via_openat2(int root_fd, std::string_view path, int flags) {
  std::string rel(path);
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  if (rel.empty()) rel = ".";
  struct open_how how {};
  how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
  if (fd < 0) return fail("cannot open " + std::string(path), errno);
  return static_cast<int>(fd);
}

// The same, a component at a time: each opened with O_NOFOLLOW relative to
// the directory before it, a symlink read and its target's components put
// in front of what is left (from the top for an absolute one).
Result<int> via_walk(int root_fd, std::string_view path, int flags) {
  std::vector<Fd> stack;  // the directories below the root down to the current one
  auto cur = [&] { return stack.empty() ? root_fd : stack.back().get(); };
  std::deque<std::string> todo;
  push_components(path, todo);
  const bool follow_last = !(flags & O_NOFOLLOW);
  int links = 0;
  while (!todo.empty()) {
    std::string comp = std::move(todo.front());
    todo.pop_front();
    if (comp == ".") continue;
    if (comp == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    const bool last = todo.empty();
    Fd fd(::openat(cur(), comp.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) return fail("cannot open " + std::string(path), errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) return fail("cannot stat " + std::string(path), errno);
    if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
      if (++links > kMaxSymlinks) return fail("cannot open " + std::string(path), ELOOP);
      char buf[PATH_MAX];
      ssize_t n = ::readlinkat(fd.get(), "", buf, sizeof buf);
      if (n < 0) return fail("cannot read link in " + std::string(path), errno);
      std::string target(buf, static_cast<size_t>(n));
      if (!target.empty() && target[0] == '/') stack.clear();
      push_components(target, todo);
      continue;
    }
    if (last) {
      int out = ::openat(cur(), comp.c_str(), flags | O_NOFOLLOW | O_CLOEXEC);
      if (out < 0) return fail("cannot open " + std::string(path), errno);
      return out;
    }
    if (!S_ISDIR(st.st_mode)) return fail("cannot open " + std::string(path), ENOTDIR);
    stack.push_back(std::move(fd));
  }
  // The path ends at a directory reached by "..", "." or a link ("/" itself).
  int out = ::openat(cur(), ".", (flags & ~O_NOFOLLOW) | O_CLOEXEC);
  if (out < 0) return fail("cannot open " + std::string(path), errno);
  return out;
}

}  // namespace

Result<int> open_in_root(int root_fd, std::string_view path, int flags, InRootMethod method) {
  if (method == InRootMethod::automatic) {
    auto r = via_openat2(root_fd, path, flags);
    if (r || (r.error().errno_value() != ENOSYS && r.error().errno_value() != EPERM)) return r;
    // ENOSYS: no openat2 before 5.6; EPERM: a seccomp filter refusing it.
  }
  return via_walk(root_fd, path, flags);
}

Result<ParentInRoot> open_parent_in_root(int root_fd, std::string_view path, InRootMethod method) {
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  std::string name = slash == std::string::npos ? p : p.substr(slash + 1);
  std::string dir = slash == std::string::npos ? "." : p.substr(0, slash + 1);
  if (name.empty() || name == "." || name == "..") return fail("no file name in " + p, EINVAL);
  auto fd = open_in_root(root_fd, dir.empty() ? "/" : dir, O_PATH | O_DIRECTORY, method);
  if (!fd) return fail(fd.error());
  return ParentInRoot{*fd, name};
}

Result<int> make_dirs_in_root(int root_fd, std::string_view path, InRootMethod method) {
  auto fd = open_in_root(root_fd, path, O_PATH | O_DIRECTORY, method);
  if (fd || fd.error().errno_value() != ENOENT) return fd;
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  if (slash == std::string::npos || p.empty() || p == "/") return fd;
  auto parent = make_dirs_in_root(root_fd, slash == 0 ? "/" : std::string_view(p).substr(0, slash), method);
  if (!parent) return parent;
  std::string name = p.substr(slash + 1);
  int made = ::mkdirat(*parent, name.c_str(), 0755);
  int err = errno;
  ::close(*parent);
  if (made != 0 && err != EEXIST) return fail("creating " + p, err);
  return open_in_root(root_fd, p, O_PATH | O_DIRECTORY, method);
}

}  // namespace sdh
