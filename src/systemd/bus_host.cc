// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/bus_host.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <filesystem>
#include <thread>

#include <fmt/core.h>
#include <systemd/sd-bus.h>

#include "systemd/process.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace sdh::systemd {

namespace {

using namespace std::chrono_literals;
constexpr const char* kDest = "org.freedesktop.systemd1";
constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";

Error bus_error(const std::string& what, sd_bus_error* e, int r) {
  std::string msg = what;
  if (e && sd_bus_error_is_set(e)) msg += std::string(": ") + e->message;
  return Error(msg, r < 0 ? -r : 0);
}

}  // namespace

bool booted_with_systemd() {
  struct stat st;
  return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::unique_ptr<BusHost>> BusHost::connect() {
  if (!booted_with_systemd())
    return fail("PID 1 is not systemd on this machine: use --in container");
  auto host = std::unique_ptr<BusHost>(new BusHost());
  int r = sd_bus_open_system(&host->bus_);
  if (r < 0) return fail(Error("connecting to the system bus", -r));
  host->since_epoch_ = static_cast<long>(time(nullptr));
  host->kmsg_fd_ = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (host->kmsg_fd_ >= 0) lseek(host->kmsg_fd_, 0, SEEK_END);
  host->on_interrupt_ = std::make_unique<interrupt::Cleanup>([raw = host.get()] { raw->cleanup_on_interrupt(); });
  return host;
}

void BusHost::cleanup_on_interrupt() {
  std::set<std::string> units, files;
  {
    std::lock_guard lock(state_mutex_);
    closing_ = true;
    units = started_;
    files = installed_;
  }
  RunOptions o;
  o.timeout = 30s;
  for (const auto& u : units) (void)run_process({"systemctl", "stop", "--no-block", u}, o);
  for (const auto& f : files) unlink(f.c_str());
  (void)run_process({"systemctl", "daemon-reload"}, o);
}

BusHost::~BusHost() {
  (void)shutdown();
  on_interrupt_.reset();
  if (bus_) sd_bus_flush_close_unref(bus_);
  if (kmsg_fd_ >= 0) close(kmsg_fd_);
}

Status BusHost::install_file(const std::string& path, const std::string& content, unsigned mode) {
  {
    std::lock_guard lock(state_mutex_);
    if (closing_) return fail("interrupted: not installing " + path);
  }
  // Through descriptors of each folder (a symlink on the way is refused) and
  // a temp file of random name: the service under test may write where
  // these files go (/run).
  int top = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (top < 0) return fail("opening /", errno);
  auto dir = open_dirs_nofollow(top, dirname_of(path), true);
  close(top);
  if (!dir) return fail(std::move(dir.error()).with_context("writing " + path));
  auto w = replace_file_at(*dir, basename_of(path), content, mode);
  close(*dir);
  if (!w) return fail(std::move(w.error()).with_context("writing " + path));
  std::lock_guard lock(state_mutex_);
  installed_.insert(path);
  return {};
}

Status BusHost::remove_file(const std::string& path) {
  if (unlink(path.c_str()) < 0 && errno != ENOENT) return fail("removing " + path, errno);
  std::lock_guard lock(state_mutex_);
  installed_.erase(path);
  return {};
}

Status BusHost::daemon_reload() {
  sd_bus_error e = SD_BUS_ERROR_NULL;
  int r = sd_bus_call_method(bus_, kDest, kPath, kManager, "Reload", &e, nullptr, "");
  Status s;
  if (r < 0) s = fail(bus_error("daemon-reload", &e, r));
  sd_bus_error_free(&e);
  return s;
}

Status BusHost::unit_job(const char* method, const std::string& unit) {
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  int r = sd_bus_call_method(bus_, kDest, kPath, kManager, method, &e, &reply, "ss", unit.c_str(), "replace");
  Status s;
  if (r < 0) s = fail(bus_error(fmt::format("{} {}", method, unit), &e, r));
  sd_bus_error_free(&e);
  sd_bus_message_unref(reply);
  if (!s) return s;
  return wait_settled(unit);
}

// The job API is asynchronous; polling ActiveState until it leaves the
// transitional states is enough here and avoids a signal subscription.
Status BusHost::wait_settled(const std::string& unit) {
  auto deadline = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto st = active_state(unit);
    if (!st) return fail(st.error());
    if (*st != "activating" && *st != "deactivating" && *st != "reloading") {
      if (*st == "failed") return fail(unit + " failed");
      return {};
    }
    std::this_thread::sleep_for(50ms);
  }
  return fail(unit + " did not settle in time");
}

Status BusHost::start(const std::string& unit) {
  {
    std::lock_guard lock(state_mutex_);
    if (closing_) return fail("interrupted: not starting " + unit);
    started_.insert(unit);
  }
  return unit_job("StartUnit", unit);
}
Status BusHost::stop(const std::string& unit) { return unit_job("StopUnit", unit); }
Status BusHost::restart(const std::string& unit) {
  {
    std::lock_guard lock(state_mutex_);
    if (closing_) return fail("interrupted: not restarting " + unit);
    started_.insert(unit);
  }
  return unit_job("RestartUnit", unit);
}
Status BusHost::reload(const std::string& unit) { return unit_job("ReloadUnit", unit); }

Result<std::string> BusHost::active_state(const std::string& unit) {
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  int r = sd_bus_call_method(bus_, kDest, kPath, kManager, "LoadUnit", &e, &reply, "s", unit.c_str());
  if (r < 0) {
    auto err = bus_error("loading " + unit, &e, r);
    sd_bus_error_free(&e);
    return fail(err);
  }
  const char* path = nullptr;
  r = sd_bus_message_read(reply, "o", &path);
  std::string unit_path = path ? path : "";
  sd_bus_message_unref(reply);
  if (r < 0) return fail(Error("reading LoadUnit reply", -r));
  char* state = nullptr;
  r = sd_bus_get_property_string(bus_, kDest, unit_path.c_str(), "org.freedesktop.systemd1.Unit",
                                 "ActiveState", &e, &state);
  if (r < 0) {
    auto err = bus_error("reading ActiveState of " + unit, &e, r);
    sd_bus_error_free(&e);
    return fail(err);
  }
  std::string out = state;
  free(state);
  return out;
}

Result<ExecResult> BusHost::run(const std::string& command, std::chrono::milliseconds timeout) {
  RunOptions o;
  o.timeout = timeout;
  return run_process({"/bin/sh", "-c", command}, o);
}

Result<ExecResult> BusHost::run_sandboxed(const std::vector<std::string>& assignments,
                                          const std::vector<std::string>& argv,
                                          std::chrono::milliseconds timeout) {
  // systemd-run already knows how every directive maps onto typed D-Bus
  // properties of a transient unit; reuse it rather than duplicate that table.
  std::vector<std::string> cmd = {"systemd-run", "--wait", "--pipe", "--collect", "--quiet",
                                  "--service-type=exec"};
  cmd.push_back(fmt::format("--property=RuntimeMaxSec={}", std::max<long>(1, timeout.count() / 1000)));
  for (const auto& a : assignments) cmd.push_back("--property=" + a);
  cmd.push_back("--");
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  RunOptions o;
  o.timeout = timeout + 5s;
  return run_process(cmd, o);
}

Result<Properties> BusHost::show(const std::string& unit, const std::vector<std::string>& names) {
  std::vector<std::string> argv = {"systemctl", "show", unit};
  for (const auto& n : names) argv.push_back("--property=" + n);
  auto r = run_process(argv, {});
  if (!r) return fail(r.error());
  if (!r->ok()) return fail("systemctl show " + unit + ": " + r->status_text());
  return parse_show_output(r->out);
}

Result<std::string> BusHost::journal(const std::string& unit) {
  auto r = run_process({"journalctl", "--no-pager", "--quiet", "-o", "short-monotonic", "--unit", unit,
                        fmt::format("--since=@{}", since_epoch_)},
                       {});
  if (!r) return fail(r.error());
  return r->out;
}

Result<std::string> BusHost::kernel_log() {
  std::string text;
  if (kmsg_fd_ < 0) return text;
  char buf[8192];
  for (;;) {
    ssize_t n = read(kmsg_fd_, buf, sizeof buf);
    if (n < 0 && errno == EPIPE) continue;
    if (n <= 0) break;
    std::string rec(buf, static_cast<size_t>(n));
    auto semi = rec.find(';');
    text += semi == std::string::npos ? rec : rec.substr(semi + 1);
  }
  return text;
}

Status BusHost::shutdown() {
  if (stopped_ || !bus_) return {};
  stopped_ = true;
  std::set<std::string> units, files;
  {
    std::lock_guard lock(state_mutex_);
    units = started_;
    files = installed_;
  }
  for (const auto& u : units) (void)stop(u);
  for (const auto& path : files) (void)remove_file(path);
  return daemon_reload();
}

HostFactory host_factory() {
  return []() -> Result<std::unique_ptr<ServiceHost>> {
    auto h = BusHost::connect();
    if (!h) return fail(h.error());
    return std::unique_ptr<ServiceHost>(std::move(*h));
  };
}

}  // namespace sdh::systemd
