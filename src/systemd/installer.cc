// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/installer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "systemd/bus_host.h"
#include "systemd/process.h"
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

Status fsync_dir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail("opening " + dir, errno);
  int r = fsync(fd);
  int e = errno;
  close(fd);
  if (r < 0) return fail("fsync " + dir, e);
  return {};
}

Status mkdirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(fmt::format("creating {}: {}", dir, ec.message()));
  return {};
}

// Writes `content` to a dot-named temp file beside `path`, fsyncs it,
// renames it over `path`, fsyncs the directory. `on_written` runs between
// the write and the rename (the kill-test hook).
Status atomic_write(const std::string& path, const std::string& content, const std::function<void()>& on_written) {
  std::filesystem::path p(path);
  std::string dir = p.parent_path().string();
  std::string tmp = dir + "/." + p.filename().string() + ".tmp-" + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail("creating " + tmp, errno);
  if (auto w = write_all(fd, content, tmp); !w) {
    close(fd);
    unlink(tmp.c_str());
    return w;
  }
  if (fsync(fd) < 0) {
    int e = errno;
    close(fd);
    unlink(tmp.c_str());
    return fail("fsync " + tmp, e);
  }
  close(fd);
  if (on_written) on_written();
  if (rename(tmp.c_str(), path.c_str()) < 0) {
    int e = errno;
    unlink(tmp.c_str());
    return fail("renaming " + tmp + " to " + path, e);
  }
  return fsync_dir(dir);
}

// Leftovers of an earlier apply that was killed before its rename.
void remove_stale_temps(const std::string& dir, const std::string& name) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string f = e.path().filename().string();
    if (f.rfind("." + name + ".tmp-", 0) == 0) std::filesystem::remove(e.path(), ec);
  }
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("reading " + path, errno);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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
  std::string dir = req.root + "/etc/systemd/system/" + req.unit + ".d";
  rep.path = dir + "/" + req.dropin_name;
  std::string backup_dir = req.root + "/var/lib/sdharden/backup/" + req.unit;
  rep.backup_path = backup_dir + "/" + req.dropin_name + ".prev";
  std::string absent_marker = backup_dir + "/" + req.dropin_name + ".absent";
  if (auto s = mkdirs(dir); !s) return fail(s.error());
  if (auto s = mkdirs(backup_dir); !s) return fail(s.error());
  remove_stale_temps(dir, req.dropin_name);
  remove_stale_temps(backup_dir, req.dropin_name + ".prev");

  // 1: keep the previous state (the drop-in, or the fact there was none).
  step(1, kill_step);
  struct stat st;
  rep.had_previous = lstat(rep.path.c_str(), &st) == 0;
  std::string previous;
  if (rep.had_previous) {
    auto old = read_file(rep.path);
    if (!old) return fail(old.error());
    previous = *old;
    if (auto s = atomic_write(rep.backup_path, previous, {}); !s) return fail(s.error());
    unlink(absent_marker.c_str());
    rep.steps.push_back("kept the previous drop-in as " + rep.backup_path);
  } else {
    if (auto s = atomic_write(absent_marker, "", {}); !s) return fail(s.error());
    unlink(rep.backup_path.c_str());
    rep.steps.push_back("noted that there was no previous drop-in (" + absent_marker + ")");
  }

  // 2-3: the new drop-in replaces the old one in a single rename.
  if (auto s = atomic_write(rep.path, req.dropin_text, [&] { step(2, kill_step); }); !s) return fail(s.error());
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
    Status s = rep.had_previous ? atomic_write(rep.path, previous, {})
                                : (unlink(rep.path.c_str()) == 0 || errno == ENOENT ? fsync_dir(dir)
                                                                                    : fail("removing " + rep.path, errno));
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
