// SPDX-License-Identifier: GPL-2.0-or-later
// ServiceHost: a systemd that sdharden can drive. verify/, bisect and apply
// are written against this interface only; the implementations are a
// disposable container (ContainerHost), the machine's own systemd over D-Bus
// (BusHost, --in host) and an in-memory fake for unit tests (FakeHost).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "systemd/process.h"
#include "util/error.h"

namespace sdh::systemd {

using Properties = std::map<std::string, std::string>;
using Status = Result<void>;

class ServiceHost {
 public:
  virtual ~ServiceHost() = default;

  // "container", "host" or "fake", for reports.
  virtual std::string kind() const = 0;

  // Writes a file inside the host (unit files, drop-ins, check scripts).
  virtual Status install_file(const std::string& path, const std::string& content,
                              unsigned mode = 0644) = 0;
  virtual Status remove_file(const std::string& path) = 0;
  // Where units and drop-ins go: /etc/systemd/system in a container, the
  // runtime directory /run/systemd/system on a real host (gone at reboot).
  virtual std::string unit_dir() const = 0;

  Status install_unit(const std::string& unit, const std::string& text);
  Status install_dropin(const std::string& unit, const std::string& name, const std::string& text);
  Status remove_dropin(const std::string& unit, const std::string& name);

  virtual Status daemon_reload() = 0;
  virtual Status start(const std::string& unit) = 0;
  virtual Status stop(const std::string& unit) = 0;
  virtual Status restart(const std::string& unit) = 0;
  virtual Status reload(const std::string& unit) = 0;
  // ActiveState ("active", "failed", ...).
  virtual Result<std::string> active_state(const std::string& unit) = 0;
  Result<bool> is_active(const std::string& unit);

  // Runs a shell command line inside the host, bounded by `timeout`.
  virtual Result<ExecResult> run(const std::string& command, std::chrono::milliseconds timeout) = 0;
  // Runs argv as a transient service with the given unit-file assignments
  // ("Key=Value"), waiting for it and piping its output: the same sandbox a
  // unit with those directives would get.
  virtual Result<ExecResult> run_sandboxed(const std::vector<std::string>& assignments,
                                           const std::vector<std::string>& argv,
                                           std::chrono::milliseconds timeout) = 0;
  // `systemctl show` properties; all of them when `names` is empty.
  virtual Result<Properties> show(const std::string& unit, const std::vector<std::string>& names) = 0;
  // The unit's journal since boot (container) or since `since` was taken.
  virtual Result<std::string> journal(const std::string& unit) = 0;
  // Kernel log lines that appeared while this host ran (seccomp audit lines).
  virtual Result<std::string> kernel_log() = 0;
  // A path on *this* machine where files of the host's tree can be read
  // (e.g. "/proc/PID/root" for a container, "" for the host itself).
  virtual std::string root_path() const = 0;
  virtual Status shutdown() = 0;
  // How this host differs from the machine the unit will run on, where that
  // can change what a service does (its network...); "" when it does not.
  virtual std::string environment() const { return {}; }
};

// Creates a fresh host for each run (a new container, or the same bus).
using HostFactory = std::function<Result<std::unique_ptr<ServiceHost>>()>;

// "KEY=value" lines of `systemctl show` output into a map; a key on several
// lines (one per command of an Exec*= property) keeps them all, joined by a space.
Properties parse_show_output(const std::string& text);

// Where a slice's control group sits below the manager's root: each "-" of
// the name opens a level ("system-postgresql.slice" ->
// "system.slice/system-postgresql.slice"; "-.slice" -> ""). Template
// instances live in "system-NAME.slice" unless Slice= says otherwise, so
// ask the manager for the unit's Slice property and pass it here.
std::string slice_cgroup_path(const std::string& slice);

// The unit's control group below the manager's root ("system.slice/x.service",
// "system.slice/system-pg.slice/pg@15-main.service"), from the Slice the
// manager reports (system.slice when it reports none).
std::string unit_cgroup_path(ServiceHost& host, const std::string& unit);

}  // namespace sdh::systemd
