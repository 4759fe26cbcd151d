// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/installer.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/core.h>

#include "systemd/bus_host.h"
#include "systemd/process.h"
#include "unit/unit_name.h"
#include "util/atomic_file.h"

namespace sdh::systemd {

namespace {

using namespace std::chrono_literals;

int kill_at() {
  const char* v = getenv("SDHARDEN_APPLY_KILL_AT");
  return v ? std::atoi(v) : 0;
}

void step(int n, int kill_step) {
  if (n == kill_step) raise(SIGKILL);
}

// An open folder of the tree, by descriptor: every write below goes
// through it, so a symlink planted in the tree cannot send a write
// elsewhere (open_dirs_nofollow refuses one anywhere on the way).
struct Folder {
  int fd = -1;
  std::string shown;  // the path, for messages
  Folder() = default;
  Folder(int f, std::string s) : fd(f), shown(std::move(s)) {}
  Folder(Folder&& o) noexcept : fd(std::exchange(o.fd, -1)), shown(std::move(o.shown)) {}
  Folder& operator=(Folder&&) = delete;
  ~Folder() {
    if (fd >= 0) close(fd);
  }
};

Result<Folder> open_folder(int root_fd, const std::string& root, const std::string& rel) {
  auto fd = open_dirs_nofollow(root_fd, rel, true);
  if (!fd) return fail(std::move(fd.error()).with_context("in " + (root.empty() ? "/" : root)));
  return Folder(*fd, root + "/" + rel);
}

// The current content and mode of `name` in `dir`; nullopt when absent. A
// symlink or anything but a regular file is refused, never followed.
struct Existing {
  std::string text;
  mode_t mode = 0644;
};
Result<std::optional<Existing>> read_existing(const Folder& dir, const std::string& name) {
  // O_PATH first: a device or FIFO planted there is refused before it is opened.
  int pathfd = openat(dir.fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (pathfd < 0) {
    if (errno == ENOENT) return std::optional<Existing>{};
    return fail("opening " + dir.shown + "/" + name, errno);
  }
  struct stat st {};
  if (fstat(pathfd, &st) < 0 || !S_ISREG(st.st_mode)) {
    bool link = S_ISLNK(st.st_mode);
    close(pathfd);
    if (link) return fail(dir.shown + "/" + name + " is a symlink; refusing to read or replace it", ELOOP);
    return fail(dir.shown + "/" + name + " is not a regular file");
  }
  int fd = open(("/proc/self/fd/" + std::to_string(pathfd)).c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC);
  close(pathfd);
  if (fd < 0) return fail("opening " + dir.shown + "/" + name, errno);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      return fail("reading " + dir.shown + "/" + name, e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return std::optional<Existing>{Existing{std::move(out), st.st_mode & 07777}};
}

// Leftovers of an earlier apply that was killed before its rename.
void remove_stale_temps(const Folder& dir, const std::string& name) {
  int fd = openat(dir.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  DIR* d = fdopendir(fd);
  if (!d) {
    close(fd);
    return;
  }
  std::vector<std::string> stale;
  while (struct dirent* e = readdir(d)) {
    std::string f = e->d_name;
    if (f.rfind("." + name + ".tmp-", 0) == 0) stale.push_back(f);
  }
  closedir(d);
  for (const auto& f : stale) unlinkat(dir.fd, f.c_str(), 0);
}

Status systemctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"systemctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions o;
  o.timeout = 120s;
  auto r = run_process(argv, o);
  if (!r) return fail(r.error());
  if (!r->ok()) return fail(fmt::format("systemctl {}: {}: {}", args[0], r->status_text(), r->err));
  return {};
}

}  // namespace

Result<ApplyReport> apply_dropin(const ApplyRequest& req) {
  const int kill_step = kill_at();
  ApplyReport rep;
  auto name = unit::parse_unit_name(req.unit);
  if (!name || req.unit.find('/') != std::string::npos || req.unit[0] == '.')
    return fail("not a valid unit name: \"" + req.unit + "\"");
  if (req.dropin_name.find('/') != std::string::npos || req.dropin_name.empty() || req.dropin_name[0] == '.')
    return fail("not a valid drop-in name: " + req.dropin_name);
  const std::string root = req.root.empty() ? "" : req.root;
  int root_fd = open(root.empty() ? "/" : root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return fail("opening " + (root.empty() ? std::string("/") : root), errno);
  Folder top(root_fd, root);
  auto dir = open_folder(top.fd, root, "etc/systemd/system/" + req.unit + ".d");
  if (!dir) return fail(dir.error());
  auto backup_dir = open_folder(top.fd, root, "var/lib/sdharden/backup/" + req.unit);
  if (!backup_dir) return fail(backup_dir.error());
  rep.path = dir->shown + "/" + req.dropin_name;
  const std::string prev_name = req.dropin_name + ".prev", absent_name = req.dropin_name + ".absent";
  rep.backup_path = backup_dir->shown + "/" + prev_name;
  remove_stale_temps(*dir, req.dropin_name);
  remove_stale_temps(*backup_dir, prev_name);

  // 1: keep the previous state (the drop-in, or the fact there was none).
  step(1, kill_step);
  auto old = read_existing(*dir, req.dropin_name);
  if (!old) return fail(old.error());
  rep.had_previous = old->has_value();
  std::string previous;
  mode_t mode = 0644;
  if (rep.had_previous) {
    previous = (*old)->text;
    mode = (*old)->mode;  // the backup, and the new drop-in, keep the old one's mode
    if (auto s = replace_file_at(backup_dir->fd, prev_name, previous, mode); !s) return fail(s.error());
    unlinkat(backup_dir->fd, absent_name.c_str(), 0);
    rep.steps.push_back("kept the previous drop-in as " + rep.backup_path);
  } else {
    if (auto s = replace_file_at(backup_dir->fd, absent_name, "", 0644); !s) return fail(s.error());
    unlinkat(backup_dir->fd, prev_name.c_str(), 0);
    rep.steps.push_back("noted that there was no previous drop-in (" + backup_dir->shown + "/" + absent_name + ")");
  }

  // 2-3: the new drop-in replaces the old one in a single rename.
  if (auto s = replace_file_at(dir->fd, req.dropin_name, req.dropin_text, mode, [&] { step(2, kill_step); }); !s)
    return fail(s.error());
  step(3, kill_step);
  rep.steps.push_back("installed " + rep.path);

  if (!req.root.empty() || !booted_with_systemd()) {
    rep.steps.push_back(!req.root.empty()
                            ? "--root given: skipped daemon-reload, restart and check"
                            : "PID 1 is not systemd here: skipped daemon-reload, restart and check");
    return rep;
  }

  auto rollback = [&](const std::string& why) -> Result<ApplyReport> {
    step(6, kill_step);
    Status s = rep.had_previous ? replace_file_at(dir->fd, req.dropin_name, previous, mode)
               : unlinkat(dir->fd, req.dropin_name.c_str(), 0) == 0 || errno == ENOENT
                   ? (fsync(dir->fd), Status{})
                   : fail("removing " + rep.path, errno);
    if (!s) return fail(std::move(s.error()).with_context("rolling back after: " + why));
    (void)systemctl({"daemon-reload"});
    (void)systemctl({"restart", req.unit});
    std::this_thread::sleep_for(1500ms);  // back to serving before we return
    rep.rolled_back = true;
    rep.steps.push_back("rolled back (" + why + ")");
    return rep;
  };

  step(4, kill_step);
  if (auto s = systemctl({"daemon-reload"}); !s) return rollback(s.error().to_string());
  if (auto s = systemctl({"restart", req.unit}); !s) return rollback(s.error().to_string());
  rep.reloaded = true;
  rep.steps.push_back("daemon-reload, restarted " + req.unit);
  step(5, kill_step);
  // Like verify: the service must still be up after a settle time (a
  // Type=simple unit is "started" before it listens).
  std::this_thread::sleep_for(1500ms);
  if (auto s = systemctl({"is-active", "--quiet", req.unit}); !s) return rollback(req.unit + " did not stay active");
  if (!req.check.empty()) {
    RunOptions o;
    o.timeout = 60s;
    auto r = run_process({"/bin/sh", "-c", req.check}, o);
    if (!r || !r->ok()) return rollback("the check failed: " + (r ? r->status_text() : r.error().to_string()));
  }
  rep.check_passed = true;
  rep.steps.push_back(req.check.empty() ? "no check given" : "check passed");
  return rep;
}

}  // namespace sdh::systemd
