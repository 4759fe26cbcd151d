// SPDX-License-Identifier: GPL-2.0-or-later
// FakeHost: an in-memory systemd for unit tests of verify/, bisect and apply.
// A unit "starts" unless the test's rule says the installed drop-in
// assignments break it; the check passes while the unit is active and the
// rule allows it; sandboxed probes are answered by a rule too.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "systemd/service_host.h"

namespace sdh::systemd {

// Everything the fakes created by one factory share.
struct FakeWorld {
  using Assignments = std::vector<std::string>;  // "Key=Value", drop-in order
  // True when the unit fails to start with these drop-in assignments.
  std::function<bool(const Assignments&)> start_fails = [](const Assignments&) { return false; };
  // True when the check fails although the unit is active.
  std::function<bool(const Assignments&)> check_fails = [](const Assignments&) { return false; };
  // Answers run_sandboxed(); default: exit 0.
  std::function<ExecResult(const Assignments&, const std::vector<std::string>&)> probe =
      [](const Assignments&, const std::vector<std::string>&) { return ExecResult{0}; };
  // Directives that `show` pretends are not in effect.
  std::vector<std::string> hidden_properties;
  // What `show` gives beside the drop-ins' assignments: the unit file's own
  // settings (User=...).
  std::map<std::string, std::string> unit_properties;
  std::string check_command = "check";
  // The workload command: fails (exit 1), or kills the unit (exit 0), under
  // these assignments.
  std::string workload_command = "workload";
  std::function<bool(const Assignments&)> workload_fails = [](const Assignments&) { return false; };
  std::function<bool(const Assignments&)> workload_kills = [](const Assignments&) { return false; };
  std::string journal_on_failure;  // appended to the journal of a failed start
  // The unit's ExecStart= command line as `systemctl show` gives it, and what
  // a run under strace prints for these assignments (bisect's traced run):
  // both empty, no trace can be taken.
  std::string exec_start;
  std::function<std::string(const Assignments&)> strace_output;
  std::string kernel_log;
  // What sdharden-probe's battery prints inside the unit under these
  // assignments ("battery ID possible -" lines; empty: it never ran).
  std::function<std::string(const Assignments&)> battery_output;

  // Counters for tests.
  int boots = 0;
  int starts = 0;
  int workload_runs = 0;
  std::map<std::string, std::string> last_files;  // files of the most recent host
};

class FakeHost final : public ServiceHost {
 public:
  explicit FakeHost(std::shared_ptr<FakeWorld> world) : world_(std::move(world)) { ++world_->boots; }
  ~FakeHost() override { world_->last_files = files_; }

  std::string kind() const override { return "fake"; }
  Status install_file(const std::string& path, const std::string& content, unsigned mode) override;
  Status remove_file(const std::string& path) override;
  std::string unit_dir() const override { return "/etc/systemd/system"; }
  Status daemon_reload() override { return {}; }
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
  Result<std::string> kernel_log() override { return world_->kernel_log; }
  std::string root_path() const override { return "/nonexistent-fake-root"; }
  Status shutdown() override { return {}; }

  const std::map<std::string, std::string>& files() const { return files_; }
  // "Key=Value" lines of every drop-in of `unit`, in file-name order.
  FakeWorld::Assignments dropin_assignments(const std::string& unit) const;

 private:
  std::shared_ptr<FakeWorld> world_;
  std::map<std::string, std::string> files_;
  std::map<std::string, std::string> state_;  // unit -> ActiveState
  std::map<std::string, std::string> journal_;
};

HostFactory fake_factory(std::shared_ptr<FakeWorld> world);

}  // namespace sdh::systemd
