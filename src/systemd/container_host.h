// SPDX-License-Identifier: GPL-2.0-or-later
// ContainerHost: a disposable systemd booted with systemd-nspawn from the
// machine's own root, with throw-away layers over /etc and /var, so the
// installed daemons are there and nothing leaks back. Commands run inside by
// entering the container leader's namespaces (nsenter); it is stopped with
// SIGRTMIN+3 to its init, then SIGKILL after a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "systemd/container_network.h"
#include "systemd/service_host.h"
#include "util/interrupt.h"

namespace sdh::systemd {

struct ContainerOptions {
  std::string root = "/";  // the OS booted: this machine's, or a tree (--os-tree)
  // Target booted into; basic.target keeps the host's enabled daemons from
  // starting (and costing time) in every container.
  std::string target = "basic.target";
  // Never the host's ports: a network of the container's own, with copies of
  // the host's interfaces that lead nowhere (container_network.h).
  bool private_network = true;
  std::vector<std::string> bind_ro;  // "SRC[:DST]"
  std::vector<std::string> bind;
  std::chrono::milliseconds boot_timeout{30000};
  std::chrono::milliseconds stop_timeout{10000};
};

class ContainerHost final : public ServiceHost {
 public:
  // Boots a container and waits until its manager is running.
  static Result<std::unique_ptr<ContainerHost>> boot(const ContainerOptions& options = {});
  ~ContainerHost() override;
  ContainerHost(const ContainerHost&) = delete;
  ContainerHost& operator=(const ContainerHost&) = delete;

  std::string kind() const override { return "container"; }
  Status install_file(const std::string& path, const std::string& content, unsigned mode) override;
  Status remove_file(const std::string& path) override;
  std::string unit_dir() const override { return "/etc/systemd/system"; }
  Status daemon_reload() override;
  Status start(const std::string& unit) override;
  Status stop(const std::string& unit) override;
  Status restart(const std::string& unit) override;
  Status reload(const std::string& unit) override;
  Result<std::string> active_state(const std::string& unit) override;
  Result<ExecResult> run(const std::string& command, std::chrono::milliseconds timeout) override;
  Result<ExecResult> run_sandboxed(const std::vector<std::string>& assignments,
                                   const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout) override;
  Result<Properties> show(const std::string& unit, const std::vector<std::string>& names) override;
  Result<std::string> journal(const std::string& unit) override;
  Result<std::string> kernel_log() override;
  std::string root_path() const override;
  Status shutdown() override;
  std::string environment() const override { return environment_; }

  int leader_pid() const { return leader_; }
  // The container's cgroup v2 directory on this machine ("" if unknown):
  // its units live below <dir>/payload/system.slice/.
  std::string cgroup_v2_dir() const;
  const std::string& machine_name() const { return machine_; }
  double boot_seconds() const { return boot_seconds_; }

 private:
  ContainerHost() = default;
  Result<ExecResult> inside(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);
  Status systemctl(const std::vector<std::string>& args, std::chrono::milliseconds timeout);

  ContainerOptions options_;
  std::string machine_;
  std::string log_path_;  // nspawn's console, for boot failure messages
  int nspawn_pid_ = -1;
  int leader_ = -1;
  int kmsg_fd_ = -1;
  std::vector<std::string> cgroups_;  // ours to remove at shutdown
  bool stopped_ = false;
  double boot_seconds_ = 0;
  std::string environment_;
  std::unique_ptr<NameserverStub> nameserver_;  // answers the container's DNS (container_network.h)
  // Takes the container down when sdharden is interrupted (util/interrupt.h);
  // registered before anything is set up, and shutdown() serialised, since
  // the interruption runs it from another thread.
  std::unique_ptr<interrupt::Cleanup> on_interrupt_;
  std::mutex shutdown_mutex_;
};

// A factory booting a fresh container per call.
HostFactory container_factory(ContainerOptions options = {});

}  // namespace sdh::systemd
