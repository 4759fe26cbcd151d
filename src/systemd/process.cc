// SPDX-License-Identifier: GPL-2.0-or-later
#include "systemd/process.h"

#include "util/interrupt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fmt/core.h>

namespace sdh::systemd {

std::string ExecResult::status_text() const {
  if (timed_out) return "timed out";
  if (signal != 0) {
    const char* abbrev = sigabbrev_np(signal);
    return fmt::format("killed by SIG{}", abbrev ? abbrev : std::to_string(signal));
  }
  return fmt::format("exit {}", exit_code);
}

namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) close(f);
  }
  void close_end(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
};

}  // namespace

Result<ExecResult> run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  if (argv.empty()) return fail("run_process: empty command");
  Pipe in, out, err;
  if (pipe2(in.fd, O_CLOEXEC) < 0 || pipe2(out.fd, O_CLOEXEC) < 0 || pipe2(err.fd, O_CLOEXEC) < 0)
    return fail("pipe2", errno);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  for (const auto& e : options.env) env_store.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) return fail("fork", errno);
  if (pid == 0) {
    interrupt::restore_in_child();
    setpgid(0, 0);
    dup2(in.fd[0], 0);
    dup2(out.fd[1], 1);
    dup2(err.fd[1], 2);
    signal(SIGPIPE, SIG_DFL);
    execvpe(args[0], args.data(), envp.data());
    dprintf(2, "cannot execute %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);  // both sides, to avoid the race with the child's exec
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);

  ExecResult result;
  size_t written = 0;
  if (options.stdin_text.empty()) in.close_end(1);
  else fcntl(in.fd[1], F_SETFL, O_NONBLOCK);
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool killed = false;
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      if (!killed) kill(-pid, SIGKILL);
      killed = true;
      result.timed_out = true;
      break;
    }
    pollfd fds[3];
    int n = 0;
    int idx_out = -1, idx_err = -1, idx_in = -1;
    if (out.fd[0] >= 0) { idx_out = n; fds[n++] = {out.fd[0], POLLIN, 0}; }
    if (err.fd[0] >= 0) { idx_err = n; fds[n++] = {err.fd[0], POLLIN, 0}; }
    if (in.fd[1] >= 0) { idx_in = n; fds[n++] = {in.fd[1], POLLOUT, 0}; }
    int r = poll(fds, n, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) break;
    auto drain = [&](int idx, Pipe& p, std::string& sink) {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      char buf[8192];
      ssize_t got = read(p.fd[0], buf, sizeof buf);
      if (got <= 0) { p.close_end(0); return; }
      if (sink.size() < options.max_output) sink.append(buf, static_cast<size_t>(got));
    };
    drain(idx_out, out, result.out);
    drain(idx_err, err, result.err);
    if (idx_in >= 0 && (fds[idx_in].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(in.fd[1], options.stdin_text.data() + written, options.stdin_text.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 || written >= options.stdin_text.size()) in.close_end(1);
    }
  }
  // The streams are closed (or we gave up): reap the child, still bounded.
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, killed ? 0 : WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return fail("waitpid", errno);
    if (w == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        kill(-pid, SIGKILL);
        killed = true;
        result.timed_out = true;
        continue;
      }
      usleep(5000);
    }
  }
  if (killed) kill(-pid, SIGKILL);  // stragglers that kept our pipes open
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status) && !result.timed_out) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace sdh::systemd

#include <filesystem>

namespace sdh::systemd {

std::string locate_helper(const std::string& name) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::string> candidates;
  if (!ec) {
    candidates.push_back((self.parent_path() / name).string());
    candidates.push_back((self.parent_path().parent_path() / "libexec/sdharden" / name).string());
  }
  candidates.push_back("/usr/local/libexec/sdharden/" + name);
  candidates.push_back("/usr/libexec/sdharden/" + name);
  if (const char* path = getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      if (end > start) candidates.push_back(p.substr(start, end - start) + "/" + name);
      start = end + 1;
    }
  }
  for (const auto& c : candidates)
    if (access(c.c_str(), X_OK) == 0) return c;
  return "";
}

}  // namespace sdh::systemd
