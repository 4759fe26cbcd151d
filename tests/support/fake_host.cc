// SPDX-License-Identifier: GPL-2.0-or-later
#include "support/fake_host.h"

#include "unit/directives.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace sdh::systemd {

Status FakeHost::install_file(const std::string& path, const std::string& content, unsigned) {
  files_[path] = content;
  return {};
}

Status FakeHost::remove_file(const std::string& path) {
  files_.erase(path);
  return {};
}

FakeWorld::Assignments FakeHost::dropin_assignments(const std::string& unit) const {
  FakeWorld::Assignments out;
  const std::string prefix = unit_dir() + "/" + unit + ".d/";
  for (const auto& [path, text] : files_) {  // std::map: file-name order
    if (path.rfind(prefix, 0) != 0) continue;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#' || line[0] == ';' || line[0] == '[') continue;
      if (line.find('=') != std::string::npos) out.push_back(line);
    }
  }
  return out;
}

Status FakeHost::start(const std::string& unit) {
  ++world_->starts;
  if (world_->start_fails(dropin_assignments(unit))) {
    state_[unit] = "failed";
    journal_[unit] += "Started " + unit + ".\n" + world_->journal_on_failure +
                      unit + ": Main process exited, code=exited, status=1/FAILURE\n";
    // Worded like systemctl, over two lines.
    return fail("Job for " + unit + " failed because the control process exited with error code.\nSee \"systemctl status " + unit + "\" for details.");
  }
  state_[unit] = "active";
  journal_[unit] += "Started " + unit + ".\n";
  return {};
}

Status FakeHost::stop(const std::string& unit) {
  state_[unit] = "inactive";
  return {};
}

Status FakeHost::restart(const std::string& unit) {
  (void)stop(unit);
  return start(unit);
}

Status FakeHost::reload(const std::string& unit) {
  if (state_[unit] != "active") return fail(unit + " is not active, cannot reload");
  return {};
}

Result<std::string> FakeHost::active_state(const std::string& unit) {
  auto it = state_.find(unit);
  return it == state_.end() ? std::string("inactive") : it->second;
}

Result<ExecResult> FakeHost::run(const std::string& command, std::chrono::milliseconds) {
  ExecResult r;
  if (command == world_->workload_command) {
    ++world_->workload_runs;
    r.exit_code = 0;
    for (auto& [unit, state] : state_) {
      if (state != "active") continue;
      if (world_->workload_fails(dropin_assignments(unit))) {
        r.exit_code = 1;
        r.err = "workload failed";
      }
      if (world_->workload_kills(dropin_assignments(unit))) state = "failed";
    }
    return r;
  }
  // verify reads the battery's output file back with cat.
  if (world_->battery_output && command.rfind("cat ", 0) == 0 && command.find("battery") != std::string::npos) {
    r.exit_code = 0;
    for (const auto& [unit, state] : state_) r.out += world_->battery_output(dropin_assignments(unit));
    return r;
  }
  // Bisect's traced run reads the strace output back with grep.
  if (world_->strace_output && command.rfind("grep ", 0) == 0 && command.find("trace") != std::string::npos) {
    for (const auto& [unit, state] : state_) r.out += world_->strace_output(dropin_assignments(unit));
    return r;
  }
  if (command != world_->check_command) {
    r.exit_code = 127;
    r.err = "fake: unknown command " + command;
    return r;
  }
  // The check passes when every active unit serves and the rule allows it.
  bool any_active = false;
  for (const auto& [unit, state] : state_) {
    if (state != "active") continue;
    any_active = true;
    if (world_->check_fails(dropin_assignments(unit))) {
      r.exit_code = 7;
      r.err = "check failed";
      return r;
    }
  }
  r.exit_code = any_active ? 0 : 7;
  return r;
}

Result<ExecResult> FakeHost::run_sandboxed(const std::vector<std::string>& assignments,
                                           const std::vector<std::string>& argv,
                                           std::chrono::milliseconds) {
  return world_->probe(assignments, argv);
}

Result<Properties> FakeHost::show(const std::string& unit, const std::vector<std::string>& names) {
  Properties all(world_->unit_properties.begin(), world_->unit_properties.end());
  for (const auto& a : dropin_assignments(unit)) {
    auto eq = a.find('=');
    std::string key = a.substr(0, eq);
    if (std::find(world_->hidden_properties.begin(), world_->hidden_properties.end(), key) !=
        world_->hidden_properties.end())
      continue;
    std::string value = a.substr(eq + 1);
    // As systemctl lists a service's commands: under KEYEx, one
    // "{ path ; argv ; flags }" per command.
    // (The prefixes below are this fake's own model of systemctl, kept apart
    // from the code under test.)
    if (unit::is_exec_command("Service", key)) {
      std::string& shown = all[key + "Ex"];
      if (value.empty()) {
        shown.clear();
        continue;
      }
      size_t n = value.find_first_not_of("@-:+!|");
      std::string prefix = value.substr(0, n), rest = value.substr(n);
      std::vector<std::string> flags;
      if (prefix.find('-') != std::string::npos) flags.push_back("ignore-failure");
      if (prefix.find('+') != std::string::npos) flags.push_back("privileged");
      if (prefix.find('!') != std::string::npos) flags.push_back("no-setuid");
      std::string line = "{ path=" + rest.substr(0, rest.find(' ')) + " ; argv[]=" + rest + " ; flags=";
      for (size_t i = 0; i < flags.size(); ++i) line += (i ? " " : "") + flags[i];
      shown += (shown.empty() ? "" : " ") + line + " ; start_time=[n/a] }";
      continue;
    }
    all[key] = value;
  }
  auto st = active_state(unit);
  all["ActiveState"] = *st;
  all["NRestarts"] = "0";
  if (!world_->exec_start.empty() && !all.count("ExecStart"))
    all["ExecStart"] = "{ path=" + world_->exec_start.substr(0, world_->exec_start.find(' ')) +
                       " ; argv[]=" + world_->exec_start + " ; ignore_errors=no }";
  if (names.empty()) return all;
  Properties out;
  for (const auto& n : names) out[n] = all.count(n) ? all[n] : "";
  return out;
}

Result<std::string> FakeHost::journal(const std::string& unit) { return journal_[unit]; }

HostFactory fake_factory(std::shared_ptr<FakeWorld> world) {
  return [world]() -> Result<std::unique_ptr<ServiceHost>> {
    return std::unique_ptr<ServiceHost>(std::make_unique<FakeHost>(world));
  };
}

}  // namespace sdh::systemd
