// SPDX-License-Identifier: GPL-2.0-or-later
// BusHost: the machine's own systemd (--in host), driven over D-Bus with
// sd-bus. Units under test get runtime drop-ins in /run/systemd/system (gone
// at reboot, removed at shutdown()); probes run as transient units.
// Only usable when PID 1 is systemd; connect() says so otherwise.
#pragma once

#include <mutex>

#include <memory>
#include <set>
#include <string>

#include "systemd/service_host.h"
#include "util/interrupt.h"

struct sd_bus;

namespace sdh::systemd {

// True when the running init is systemd (/run/systemd/system exists).
bool booted_with_systemd();

class BusHost final : public ServiceHost {
 public:
  static Result<std::unique_ptr<BusHost>> connect();
  ~BusHost() override;
  BusHost(const BusHost&) = delete;
  BusHost& operator=(const BusHost&) = delete;

  std::string kind() const override { return "host"; }
  Status install_file(const std::string& path, const std::string& content, unsigned mode) override;
  Status remove_file(const std::string& path) override;
  std::string unit_dir() const override { return "/run/systemd/system"; }
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
  std::string root_path() const override { return ""; }
  // Removes the files this host installed and reloads; units are stopped.
  Status shutdown() override;

 private:
  BusHost() = default;
  Status unit_job(const char* method, const std::string& unit);
  Status wait_settled(const std::string& unit);

  // On an interruption: stops what was started and removes what was
  // installed without the bus (another thread may be using it), through
  // systemctl and unlink.
  void cleanup_on_interrupt();

  sd_bus* bus_ = nullptr;
  std::mutex state_mutex_;  // installed_, started_ and closing_, read by the interruption
  bool closing_ = false;    // interrupted: nothing new is installed or started
  std::set<std::string> installed_;
  std::set<std::string> started_;
  std::unique_ptr<interrupt::Cleanup> on_interrupt_;
  long since_epoch_ = 0;
  int kmsg_fd_ = -1;
  bool stopped_ = false;
};

// A factory returning a connection to the host's systemd per call.
HostFactory host_factory();

}  // namespace sdh::systemd
