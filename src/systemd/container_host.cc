// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/container_host.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "systemd/container_network.h"
#include "unit/value_syntax.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/resolve_in_root.h"

namespace sdh::systemd {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The container's init: the child of nspawn living in a new PID namespace.
int find_leader(int nspawn_pid) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.empty() || !isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::string status = read_text("/proc/" + name + "/status");
    auto ppid_at = status.find("\nPPid:\t");
    if (ppid_at == std::string::npos) continue;
    if (std::atoi(status.c_str() + ppid_at + 7) != nspawn_pid) continue;
    auto ns_at = status.find("\nNSpid:\t");
    if (ns_at == std::string::npos) continue;
    std::string nspid = status.substr(ns_at + 8, status.find('\n', ns_at + 8) - ns_at - 8);
    // Two PIDs: one here, one (1) inside the container.
    if (nspid.find('\t') != std::string::npos && nspid.substr(nspid.rfind('\t') + 1) == "1")
      return std::stoi(name);
  }
  return -1;
}

std::atomic<int> container_counter{0};

// Our own cgroup in each hierarchy that a container's systemd writes to:
// name=systemd (v1 tracking) and the unified v2 tree, mounted at either
// /sys/fs/cgroup/unified (hybrid) or /sys/fs/cgroup (pure v2).
std::vector<std::string> own_cgroup_dirs() {
  std::vector<std::string> dirs;
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  bool pure_v2 = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
  while (std::getline(in, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string ctrl = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (path == "/") path = "";
    if (ctrl == "name=systemd") dirs.push_back("/sys/fs/cgroup/systemd" + path);
    else if (ctrl.empty()) dirs.push_back((pure_v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified") + path);
  }
  return dirs;
}

// Depth-first rmdir of a cgroup subtree (control files go with their dir).
void remove_cgroup_tree(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_directory(ec) && !e.is_symlink(ec)) remove_cgroup_tree(e.path().string());
  rmdir(dir.c_str());
}

}  // namespace

Result<std::unique_ptr<ContainerHost>> ContainerHost::boot(const ContainerOptions& options) {
  if (geteuid() != 0) return fail("booting a systemd container needs root");
  if (access("/usr/bin/systemd-nspawn", X_OK) != 0)
    return fail("systemd-nspawn not found (install systemd-container)");
  auto host = std::unique_ptr<ContainerHost>(new ContainerHost());
  host->options_ = options;
  host->machine_ = fmt::format("sdh-{}-{}", getpid(), container_counter++);
  // First: whatever of the below exists when a signal comes is taken down.
  host->on_interrupt_ = std::make_unique<interrupt::Cleanup>([raw = host.get()] { (void)raw->shutdown(); });
  std::string log_template = fmt::format("/tmp/sdharden-nspawn-{}-XXXXXX", getpid());
  int log_fd = mkstemp(log_template.data());
  if (log_fd < 0) return fail("creating the container's console log", errno);
  {
    std::lock_guard lock(host->shutdown_mutex_);
    host->log_path_ = log_template;
  }
  // Kernel log cursor: everything read later happened during this container.
  host->kmsg_fd_ = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (host->kmsg_fd_ >= 0) lseek(host->kmsg_fd_, 0, SEEK_END);

  // Nothing written inside leaks back. This machine's root: /usr read-only
  // (volatile) and throw-away layers over /etc and /var (nspawn refuses
  // --volatile=overlay for the host's root). An OS tree: one throw-away layer
  // over all of it (its --overlay= lower paths would not resolve there).
  std::vector<std::string> args = {"systemd-nspawn", "--quiet", "--register=no", "--keep-unit",
                                   "--console=pipe", "--directory=" + options.root,
                                   "--machine=" + host->machine_};
  if (options.root == "/")
    args.insert(args.end(), {"--volatile=yes", "--overlay=/etc::/etc", "--overlay=/var::/var"});
  else
    args.push_back("--volatile=overlay");
  if (options.private_network) args.push_back("--private-network");
  // The host's name, so that it resolves inside as it does outside (through
  // the host's /etc/hosts, which the container sees).
  if (char name[256] = {}; gethostname(name, sizeof name - 1) == 0 && unit::valid_host_name(name))
    args.push_back(std::string("--hostname=") + name);
  for (const auto& b : options.bind_ro) args.push_back("--bind-ro=" + b);
  for (const auto& b : options.bind) args.push_back("--bind=" + b);
  args.insert(args.end(), {"--boot", "systemd.firstboot=off", "systemd.unit=" + options.target});

  // Without registering, nspawn puts the container's payload below its own
  // cgroup: give every container a cgroup of its own so two of them never
  // share /payload/system.slice/... (tests run in parallel).
  for (const auto& base : own_cgroup_dirs()) {
    // Leftovers of an sdharden that was killed (its container powered off
    // through PDEATHSIG, but nobody removed the cgroups).
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(base, ec)) {
      std::string n = e.path().filename().string();
      if (n.rfind("sdh-", 0) != 0) continue;
      std::string pid_text = n.substr(4, n.find('-', 4) - 4);
      if (!pid_text.empty() && access(("/proc/" + pid_text).c_str(), F_OK) != 0) remove_cgroup_tree(e.path().string());
    }
    std::string dir = base + "/" + host->machine_;
    if (mkdir(dir.c_str(), 0755) == 0) {
      std::lock_guard lock(host->shutdown_mutex_);
      host->cgroups_.push_back(dir);
    }
  }
  auto started = Clock::now();
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return fail("fork", errno);
  }
  if (pid == 0) {
    interrupt::restore_in_child();
    setpgid(0, 0);
    // If sdharden dies (even SIGKILL), nspawn gets SIGTERM and powers the
    // container off; nspawn in turn takes its container down if it dies.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);  // sdharden died before the line above
    for (const auto& dir : host->cgroups_) {
      int fd = open((dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
      if (fd >= 0) {
        (void)!write(fd, "0", 1);
        close(fd);
      }
    }
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/usr/bin/systemd-nspawn", argv.data());
    _exit(127);
  }
  close(log_fd);
  {
    std::lock_guard lock(host->shutdown_mutex_);
    host->nspawn_pid_ = pid;
  }

  auto deadline = started + options.boot_timeout;
  auto boot_failure = [&](const std::string& what) {
    std::string log = read_text(host->log_path_);
    if (log.size() > 2000) log = log.substr(log.size() - 2000);
    return Error(fmt::format("{}; container console:\n{}", what, log));
  };
  while (host->leader_ < 0) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      host->nspawn_pid_ = -1;
      host->stopped_ = true;
      return fail(boot_failure("systemd-nspawn exited during boot"));
    }
    if (Clock::now() > deadline) return fail(boot_failure("container did not start in time"));
    host->leader_ = find_leader(pid);
    if (host->leader_ < 0) std::this_thread::sleep_for(10ms);
  }
  // Interfaces before the manager inside starts services (systemd is only
  // beginning to run in the leader at this point).
  if (options.private_network) {
    auto interfaces = host_interfaces();
    // The container's own resolv.conf (an OS tree's is read inside the tree).
    RealFileSystem tree(options.root == "/" ? "" : options.root);
    auto resolv = tree.read_file("/etc/resolv.conf");
    const std::vector<std::string> servers = resolv ? nameservers(*resolv) : std::vector<std::string>{};
    if (auto st = configure_network(host->leader_, interface_script(interfaces)); st)
      host->environment_ = describe(interfaces);
    else
      host->environment_ = "private network: loopback only (" + st.error().to_string() + ")";
    // Apart: a failing address here leaves the interfaces above in place.
    if (!servers.empty())
      if (auto st = configure_network(host->leader_, nameserver_script(servers)); !st)
        host->environment_ += "; nameserver addresses: " + st.error().to_string();
    if (!servers.empty()) {
      auto stub = NameserverStub::start(host->leader_, servers);
      if (stub) {
        std::lock_guard lock(host->shutdown_mutex_);
        host->nameserver_ = std::move(*stub);
        host->environment_ += fmt::format("; its nameservers ({}) answer inside: no such name", fmt::join(servers, " "));
      } else {
        host->environment_ += "; name lookups fail (" + stub.error().to_string() + ")";
      }
    }
  } else {
    host->environment_ = "the host's network";
  }
  // Ready when the manager inside reports running (or degraded: some unit
  // of the host's own set failed, which does not concern us).
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return fail(boot_failure("container's systemd did not finish booting in time"));
    auto r = host->inside({"systemctl", "is-system-running"}, std::min<std::chrono::milliseconds>(left, 5000ms));
    if (r) {
      std::string state = r->out.substr(0, r->out.find('\n'));
      if (state == "running" || state == "degraded") break;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      host->nspawn_pid_ = -1;
      host->stopped_ = true;
      return fail(boot_failure("systemd-nspawn exited during boot"));
    }
    std::this_thread::sleep_for(20ms);
  }
  // Booted to a minimal target, nothing runs systemd-user-sessions, so the
  // /run/nologin that tmpfiles creates at boot would refuse every non-root
  // login a check makes (FTP, SSH, su): logins are allowed, as after a full boot.
  (void)host->inside({"rm", "-f", "/run/nologin"}, 5000ms);
  host->boot_seconds_ = std::chrono::duration<double>(Clock::now() - started).count();
  return host;
}

ContainerHost::~ContainerHost() {
  (void)shutdown();       // an interruption meanwhile waits for it, then finds nothing to do
  on_interrupt_.reset();
  if (kmsg_fd_ >= 0) close(kmsg_fd_);
}

std::string ContainerHost::root_path() const { return fmt::format("/proc/{}/root", leader_); }

Result<ExecResult> ContainerHost::inside(const std::vector<std::string>& argv,
                                         std::chrono::milliseconds timeout) {
  if (stopped_) return fail("container " + machine_ + " is not running");
  std::vector<std::string> full = {"nsenter", "--target", std::to_string(leader_), "--mount",
                                   "--uts", "--ipc", "--net", "--pid", "--cgroup", "--root",
                                   "--wd", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  RunOptions opts;
  opts.timeout = timeout;
  opts.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "SYSTEMD_PAGER=",
              "SYSTEMD_COLORS=0", "LC_ALL=C.UTF-8"};
  return run_process(full, opts);
}

Status ContainerHost::systemctl(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"systemctl", "--no-ask-password"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = inside(argv, timeout);
  if (!r) return fail(r.error());
  if (!r->ok()) {
    std::string msg = r->err.empty() ? r->out : r->err;
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return fail(fmt::format("systemctl {}: {}{}", fmt::join(args, " "), r->status_text(),
                            msg.empty() ? "" : ": " + msg));
  }
  return {};
}

// Files go in through the container's root directory with every path
// resolved inside it (RESOLVE_IN_ROOT): a symlink the image or the service
// planted leads somewhere in the container, never to the host.
Status ContainerHost::install_file(const std::string& path, const std::string& content, unsigned mode) {
  if (path.empty() || path[0] != '/') return fail("install_file: not an absolute path: " + path);
  int root = open(root_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return fail("opening the container's root", errno);
  auto dir = make_dirs_in_root(root, dirname_of(path));
  Status result = {};
  if (!dir) {
    result = fail(std::move(dir.error()).with_context("creating the folder of " + path + " in the container"));
  } else {
    auto w = replace_file_at(*dir, basename_of(path), content, mode);
    if (!w) result = fail(std::move(w.error()).with_context("writing " + path + " in the container"));
    close(*dir);
  }
  close(root);
  return result;
}

Status ContainerHost::remove_file(const std::string& path) {
  int root = open(root_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return fail("opening the container's root", errno);
  auto parent = open_parent_in_root(root, path);
  close(root);
  if (!parent) return parent.error().errno_value() == ENOENT ? Status{} : fail(parent.error());
  int r = unlinkat(parent->fd, parent->name.c_str(), 0);
  int e = errno;
  close(parent->fd);
  if (r < 0 && e != ENOENT) return fail("removing " + path, e);
  return {};
}

Status ContainerHost::daemon_reload() { return systemctl({"daemon-reload"}, 60s); }
Status ContainerHost::start(const std::string& unit) { return systemctl({"start", unit}, 120s); }
Status ContainerHost::stop(const std::string& unit) { return systemctl({"stop", unit}, 120s); }
Status ContainerHost::restart(const std::string& unit) { return systemctl({"restart", unit}, 120s); }
Status ContainerHost::reload(const std::string& unit) { return systemctl({"reload", unit}, 120s); }

Result<std::string> ContainerHost::active_state(const std::string& unit) {
  auto props = show(unit, {"ActiveState"});
  if (!props) return fail(props.error());
  return (*props)["ActiveState"];
}

Result<ExecResult> ContainerHost::run(const std::string& command, std::chrono::milliseconds timeout) {
  return inside({"/bin/sh", "-c", command}, timeout);
}

Result<ExecResult> ContainerHost::run_sandboxed(const std::vector<std::string>& assignments,
                                                const std::vector<std::string>& argv,
                                                std::chrono::milliseconds timeout) {
  std::vector<std::string> cmd = {"systemd-run", "--wait", "--pipe", "--collect", "--quiet",
                                  "--service-type=exec", "--property=TimeoutStopSec=5"};
  // The transient unit must not outlive the call even if systemd-run is killed.
  cmd.push_back(fmt::format("--property=RuntimeMaxSec={}", std::max<long>(1, timeout.count() / 1000)));
  for (const auto& a : assignments) cmd.push_back("--property=" + a);
  cmd.push_back("--");
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  return inside(cmd, timeout + 5s);
}

Result<Properties> ContainerHost::show(const std::string& unit, const std::vector<std::string>& names) {
  std::vector<std::string> argv = {"systemctl", "show", unit};
  if (!names.empty()) argv.push_back("--property=" + fmt::format("{}", fmt::join(names, ",")));
  auto r = inside(argv, 30s);
  if (!r) return fail(r.error());
  if (!r->ok()) return fail(fmt::format("systemctl show {}: {}: {}", unit, r->status_text(), r->err));
  return parse_show_output(r->out);
}

Result<std::string> ContainerHost::journal(const std::string& unit) {
  auto r = inside({"journalctl", "--no-pager", "--quiet", "--boot", "-o", "short-monotonic", "--unit", unit}, 30s);
  if (!r) return fail(r.error());
  return r->out;
}

Result<std::string> ContainerHost::kernel_log() {
  if (kmsg_fd_ < 0) return std::string();
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = read(kmsg_fd_, buf, sizeof buf);
    if (n < 0 && errno == EPIPE) continue;  // overwritten records: keep reading
    if (n <= 0) break;
    // Record format: "prio,seq,usec,flags;message\n"
    std::string rec(buf, static_cast<size_t>(n));
    auto semi = rec.find(';');
    text += semi == std::string::npos ? rec : rec.substr(semi + 1);
    if (text.empty() || text.back() != '\n') text += '\n';
  }
  return text;
}

Status ContainerHost::shutdown() {
  std::lock_guard lock(shutdown_mutex_);
  if (stopped_ && nspawn_pid_ < 0 && cgroups_.empty() && log_path_.empty()) return {};
  stopped_ = true;
  nameserver_.reset();  // its thread ends; nothing of it outlives the container
  Status result;
  if (nspawn_pid_ > 0) {
    if (leader_ > 0) kill(leader_, SIGRTMIN + 3);  // the manager's "halt" request
    auto deadline = Clock::now() + options_.stop_timeout;
    bool gone = false;
    while (!gone) {
      int status = 0;
      pid_t w = waitpid(nspawn_pid_, &status, WNOHANG);
      if (w == nspawn_pid_ || (w < 0 && errno == ECHILD)) {
        gone = true;
        break;
      }
      if (Clock::now() > deadline) break;
      std::this_thread::sleep_for(10ms);
    }
    if (!gone) {
      // Killing the container's init tears down its whole PID namespace.
      if (leader_ > 0) kill(leader_, SIGKILL);
      kill(-nspawn_pid_, SIGKILL);
      int status = 0;
      waitpid(nspawn_pid_, &status, 0);
      result = fail("container " + machine_ + " did not stop in time and was killed");
    }
    nspawn_pid_ = -1;
  }
  std::error_code ec;
  std::filesystem::remove("/run/systemd/nspawn/propagate/" + machine_, ec);
  for (const auto& dir : cgroups_) remove_cgroup_tree(dir);
  cgroups_.clear();
  if (!log_path_.empty()) unlink(log_path_.c_str());
  log_path_.clear();
  return result;
}

HostFactory container_factory(ContainerOptions options) {
  return [options]() -> Result<std::unique_ptr<ServiceHost>> {
    auto host = ContainerHost::boot(options);
    if (!host) return fail(host.error());
    return std::unique_ptr<ServiceHost>(std::move(*host));
  };
}

}  // namespace sdh::systemd

namespace sdh::systemd {

std::string ContainerHost::cgroup_v2_dir() const {
  for (const auto& d : cgroups_)
    if (d.rfind("/sys/fs/cgroup/systemd", 0) != 0) return d;
  return "";
}

}  // namespace sdh::systemd
