// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/verify.h"

#include "unit/semantics.h"
#include "util/linux_names.h"

#include <errno.h>
#include <string.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "unit/exec_line.h"
#include "util/fs.h"
#include "util/strings.h"
#include "verify/controls.h"
#include "verify/diagnose.h"

namespace sdh::verify {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::set<std::string> tokens(const std::string& s) {
  std::set<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.insert(lower(w));
  return out;
}

Result<std::string> read_host_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("reading " + path, errno);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

// The drop-in gives the service a root of its own (RootDirectory=): what
// sdharden runs inside its sandbox must be bound in.
bool has_own_root(const std::string& dropin_text) {
  auto parsed = parse_dropin(dropin_text);
  return parsed && std::any_of(parsed->begin(), parsed->end(), [](const Directive& d) {
           return d.key == "RootDirectory" && !d.value.empty();
         });
}

systemd::Status prepare_host(systemd::ServiceHost& host, const VerifyOptions& options) {
  for (const auto& [path, content] : options.extra_files)
    if (auto s = host.install_file(path, content, 0755); !s) return s;
  if (!options.unit_text.empty())
    if (auto s = host.install_unit(options.unit, options.unit_text); !s) return s;
  if (!options.probe_binary.empty()) {
    auto bin = read_host_file(options.probe_binary);
    if (!bin) return fail(bin.error());
    if (auto s = host.install_file(run_paths().probe, *bin, 0755); !s) return s;
  }
  return {};
}

RunOutcome run_service(systemd::ServiceHost& host, const VerifyOptions& options, const std::string& dropin_text) {
  RunOutcome r;
  auto finish = [&]() -> RunOutcome& {
    if (auto j = host.journal(options.unit)) r.journal = *j;
    if (auto k = host.kernel_log()) r.kernel_log = *k;
    r.battery = parse_battery(r.journal);
    r.session = parse_session_view(r.journal);
    if (options.containment_battery && !options.probe_binary.empty())
      if (auto out = host.run("cat " + run_paths().battery_output, 10s); out && out->ok()) {
        if (auto from_file = parse_battery(out->out); !from_file.empty()) r.battery = std::move(from_file);
        if (auto from_file = parse_session_view(out->out); !from_file.empty()) r.session = std::move(from_file);
      }
    return r;
  };
  if (auto s = prepare_host(host, options); !s) {
    r.failure = "preparing the host: " + s.error().to_string();
    return finish();
  }
  if (!dropin_text.empty())
    if (auto s = host.install_dropin(options.unit, kDropinName, dropin_text); !s) {
      r.failure = "installing the drop-in: " + s.error().to_string();
      return finish();
    }
  // The battery runs as an ExecStartPost= of the unit itself: same user,
  // namespaces, filter, capabilities and mounts as the service. "-": its
  // failure (a sandbox that refuses even to run it) does not fail the unit.
  if (options.containment_battery && !options.probe_binary.empty()) {
    // Its results also go to a file any user may append to, made writable
    // for this one path (a unit may send its output nowhere).
    const RunPaths& paths = run_paths();
    (void)host.install_file(paths.battery_output, "", 0666);
    // In a root of its own the probe and its output file are bound in.
    std::string into_root = has_own_root(dropin_text) ? fmt::format("BindReadOnlyPaths=-{}\nBindPaths=-{}\n",
                                                                     paths.folder, paths.battery_output)
                                                      : "";
    // Then what a login session would inherit: "!" keeps the sandbox with
    // root's credentials, as a session's root has them.
    (void)host.install_dropin(options.unit, kBatteryDropinName,
                              fmt::format("[Service]\nExecStartPost=-{} battery {}\nExecStartPost=-!{} session {}\n"
                                          "ExecPaths=-{}\nReadWritePaths=-{}\n{}",
                                          paths.probe, paths.battery_output, paths.probe, paths.battery_output,
                                          paths.folder, paths.battery_output, into_root));
  }
  if (auto s = host.daemon_reload(); !s) {
    r.failure = "daemon-reload: " + s.error().to_string();
    return finish();
  }
  if (options.observer) options.observer->before_start(host, options.unit);
  auto observed = [&]() -> RunOutcome& {
    if (options.observer) r.profile = options.observer->after_run(host);
    return finish();
  };
  if (auto s = host.start(options.unit); !s) {
    r.failure = "the unit does not start: " + s.error().to_string();
    return observed();
  }
  r.started = true;
  // "Stays up": still active after the settle time and never restarted.
  std::this_thread::sleep_for(options.settle);
  auto props = host.show(options.unit, {"ActiveState", "SubState", "NRestarts", "Result"});
  if (!props) {
    r.failure = "reading the unit's state: " + props.error().to_string();
    return observed();
  }
  std::string state = (*props)["ActiveState"];
  std::string restarts = (*props)["NRestarts"];
  if (state != "active" && state != "reloading") {
    r.failure = fmt::format("the unit did not stay up: ActiveState={} SubState={} Result={}", state,
                            (*props)["SubState"], (*props)["Result"]);
    return observed();
  }
  if (!restarts.empty() && restarts != "0") {
    r.failure = fmt::format("the unit restarted {} time(s) within {} ms", restarts, options.settle.count());
    return observed();
  }
  r.stayed_up = true;
  auto run_check = [&]() {
    auto check = host.run(options.check, options.check_timeout);
    auto grace_end = std::chrono::steady_clock::now() + options.check_grace;
    while (check && !check->ok() && std::chrono::steady_clock::now() < grace_end) {
      auto still = host.show(options.unit, {"ActiveState"});
      if (!still || (*still)["ActiveState"] != "active") break;  // it died: no point waiting
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      check = host.run(options.check, options.check_timeout);
    }
    return check;
  };
  auto check = run_check();
  if (!check) {
    r.failure = "running the check: " + check.error().to_string();
    return observed();
  }
  r.check = *check;
  r.check_passed = check->ok();
  if (!r.check_passed) {
    r.failure = fmt::format("the check failed ({}): {}", check->status_text(),
                            last_lines(check->err.empty() ? check->out : check->err, 3));
    return observed();
  }
  if (options.workload.empty()) return observed();
  r.failed_in_workload = true;  // until it all passes
  // The rare paths: a reload or log reopen that the sandbox breaks only
  // shows here.
  auto work = host.run(options.workload, options.workload_timeout);
  if (!work || !work->ok()) {
    r.check_passed = false;
    r.failure = work ? fmt::format("the workload failed ({}): {}", work->status_text(),
                                   last_lines(work->err.empty() ? work->out : work->err, 3))
                     : "running the workload: " + work.error().to_string();
    return observed();
  }
  auto after = host.show(options.unit, {"ActiveState", "SubState", "Result"});
  if (!after || ((*after)["ActiveState"] != "active" && (*after)["ActiveState"] != "reloading")) {
    r.check_passed = false;
    r.failure = after ? fmt::format("the unit did not survive the workload: ActiveState={} SubState={} Result={}",
                                    (*after)["ActiveState"], (*after)["SubState"], (*after)["Result"])
                      : "reading the unit's state: " + after.error().to_string();
    return observed();
  }
  check = run_check();
  if (!check || !check->ok()) {
    r.check_passed = false;
    r.failure = check ? fmt::format("the check failed after the workload ({}): {}", check->status_text(),
                                    last_lines(check->err.empty() ? check->out : check->err, 3))
                      : "running the check: " + check.error().to_string();
    if (check) r.check = *check;
    return observed();
  }
  r.failed_in_workload = false;
  return observed();
}

// A command line is in effect when systemd lists its program with the
// flags its prefixes ask for ("!" -> no-setuid, "+" -> privileged, ...):
// KEYEx shows "{ path=P ; argv[]=... ; flags=F ... ; ... }" per command.
VerdictItem exec_line_item(VerdictItem item, const Directive& d, const std::string& shown) {
  auto program = unit::exec_program(d.value);
  const std::set<std::string> want = unit::exec_prefix_flags(d.value);
  for (const auto& entry : split(shown, '}')) {
    if (!program || entry.find("path=" + *program + " ;") == std::string::npos) continue;
    size_t f = entry.find("flags=");
    std::set<std::string> have;
    if (f != std::string::npos) {
      std::string flags = entry.substr(f + 6, entry.find(" ;", f) - f - 6);
      for (const auto& t : tokens(flags)) have.insert(t);
    }
    if (std::includes(have.begin(), have.end(), want.begin(), want.end())) {
      item.status = ItemStatus::passed;
      item.detail = want.empty() ? "listed" : fmt::format("listed with {}", fmt::join(want, " "));
      return item;
    }
  }
  item.status = ItemStatus::failed;
  item.detail = "not listed as written: " + (shown.size() > 200 ? shown.substr(0, 200) + "…" : shown);
  return item;
}

VerdictItem directive_item(const Directive& d, const systemd::Properties& hardened,
                           const systemd::Properties& baseline) {
  VerdictItem item{Stage::directive, d.assignment(), ItemStatus::inconclusive, ""};
  // A later value of a boolean directive shows in its KEYEx property
  // (PrivateTmpEx=disconnected); the plain one only says "yes".
  std::string property = d.property();
  auto it = hardened.find(property);
  if (it == hardened.end()) {
    item.detail = "systemctl show has no such property";
    return item;
  }
  const std::string& shown = it->second;
  std::string before = baseline.count(property) ? baseline.at(property) : "";
  if (d.exec_command() && !d.value.empty()) return exec_line_item(std::move(item), d, shown);
  if (auto wanted = parse_boolean(d.value)) {
    const bool want = *wanted;
    if (auto have = parse_boolean(shown)) {
      item.status = *have == want ? ItemStatus::passed : ItemStatus::failed;
      item.detail = "shows " + shown;
      return item;
    }
    // ProtectSystem=yes and friends show their enum name.
    item.status = lower(shown) == (want ? "yes" : "no") ? ItemStatus::passed : ItemStatus::failed;
    item.detail = "shows " + shown;
    return item;
  }
  if (d.value.empty() && (d.key == "CapabilityBoundingSet" || d.key == "AmbientCapabilities")) {
    item.status = shown.empty() ? ItemStatus::passed : ItemStatus::failed;
    item.detail = shown.empty() ? "no capabilities left" : "still shows " + shown;
    return item;
  }
  if (d.value.empty()) {
    item.detail = "reset; shows " + shown;
    return item;
  }
  if (lower(shown) == lower(d.value)) {
    item.status = ItemStatus::passed;
    item.detail = "shows " + shown;
    return item;
  }
  // "none" is an empty allow-list; systemctl show prints it as it prints
  // "unset" (nothing), so the read-back cannot tell: the negative control does.
  if (lower(d.value) == "none" && shown.empty()) {
    item.detail = "systemctl show prints nothing for \"none\", as for unset; the negative control decides";
    return item;
  }
  // Lists: every item written must appear (names may be case-folded).
  std::string v = d.value;
  bool deny = v[0] == '~';
  auto want_tokens = tokens(deny ? v.substr(1) : v);
  auto have_tokens = tokens(!shown.empty() && shown[0] == '~' ? shown.substr(1) : shown);
  bool all_in = std::all_of(want_tokens.begin(), want_tokens.end(), [&](const std::string& t) {
    return t[0] == '@' || t[0] == '-' || have_tokens.count(t) > 0;
  });
  bool has_group = std::any_of(want_tokens.begin(), want_tokens.end(), [](const std::string& t) { return t[0] == '@'; });
  if (d.key == "CapabilityBoundingSet" && deny) {
    bool none_in = std::none_of(want_tokens.begin(), want_tokens.end(),
                                [&](const std::string& t) { return have_tokens.count(t) > 0; });
    item.status = none_in ? ItemStatus::passed : ItemStatus::failed;
    item.detail = "remaining: " + shown;
    return item;
  }
  if (all_in && !has_group) {
    item.status = ItemStatus::passed;
    item.detail = "shows " + shown;
  } else if (shown != before) {
    item.status = ItemStatus::passed;
    item.detail = has_group ? fmt::format("changed from the baseline ({} entries shown)", have_tokens.size())
                            : "changed from the baseline: " + shown;
  } else {
    item.status = ItemStatus::failed;
    item.detail = "same as without the drop-in: " + shown;
  }
  if (item.detail.size() > 240) item.detail = item.detail.substr(0, 240) + "…";
  return item;
}

VerdictItem session_item(const SessionView& baseline, const SessionView& hardened,
                         const std::vector<Directive>& directives, bool commands) {
  VerdictItem item{Stage::sessions, "what a login session inherits", ItemStatus::inconclusive, ""};
  if (baseline.empty() || hardened.empty()) {
    item.detail = fmt::format("the session view could not be taken {} (the probe did not run in the unit's sandbox)",
                              baseline.empty() ? "without the drop-in" : "under the drop-in");
    return item;
  }
  auto differences = session_differences(baseline, hardened, directives, commands);
  item.status = differences.empty() ? ItemStatus::passed : ItemStatus::failed;
  item.detail = differences.empty() ? fmt::format("the same as without the drop-in ({} facts: bounding set, "
                                                  "no_new_privs, seccomp, writable /etc, /dev, /tmp, ...)",
                                                  hardened.size())
                                    : fmt::format("{}", fmt::join(differences, "; "));
  return item;
}

std::vector<std::string> credentials_of(const systemd::Properties& shown) {
  std::vector<std::string> out;
  auto value = [&](const char* key) {
    auto it = shown.find(key);
    return it == shown.end() ? std::string() : it->second;
  };
  for (std::string_view key : unit::account_directives()) {
    std::string v = value(std::string(key).c_str());
    if (key == "DynamicUser") {
      if (parse_boolean(v).value_or(false)) out.push_back("DynamicUser=yes");
    } else if (!v.empty()) {
      out.push_back(std::string(key) + "=" + v);
    }
  }
  return out;
}

std::vector<Directive> values_to_read_back(const std::vector<Directive>& directives) {
  std::vector<Directive> out;
  for (size_t i = 0; i < directives.size(); ++i) {
    const Directive& d = directives[i];
    if (d.exec_command()) {
      out.push_back(d);
      continue;
    }
    auto later_of_key = [&](bool reset) {
      return std::any_of(directives.begin() + i + 1, directives.end(), [&](const Directive& later) {
        return later.section == d.section && later.key == d.key && later.value.empty() == reset;
      });
    };
    // A line a later reset takes back is not in effect, by design.
    if (later_of_key(true)) continue;
    // "KEY=" then "KEY=a b": the list is "a b", which the later line's
    // check reads back; the reset on its own would claim "empty".
    if (d.value.empty() && later_of_key(false)) continue;
    out.push_back(d);
  }
  return out;
}

std::vector<std::string> new_failures(const profile::Profile& baseline, const profile::Profile& hardened,
                                      const std::set<std::string>& unsandboxed) {
  std::set<std::string> before;
  auto key = [](const profile::ExecutableProfile& e, const profile::FailedOperation& f) {
    return fmt::format("{}: {}({}) -> {}", e.path, f.operation, f.detail, errno_name(f.error));
  };
  for (const auto& e : baseline.executables)
    for (const auto& f : e.failures) before.insert(key(e, f));
  std::vector<std::string> out;
  std::set<std::string> seen;
  // The manager's own pre-exec sandbox setup (mkdir races, probing paths)
  // is in the service's cgroup too; it is not the service falling back.
  auto refusal = [](int e) {
    return e == EPERM || e == EACCES || e == EROFS || e == EAFNOSUPPORT || e == ENOSYS || e == ENOENT ||
           e == ENODEV || e == ENXIO;
  };
  for (const auto& e : hardened.executables)
    for (const auto& f : e.failures) {
      bool outside = std::any_of(unsandboxed.begin(), unsandboxed.end(),
                                 [&](const std::string& u) { return profile::same_program(e.path, u); });
      if (profile::is_service_manager(e.path) || outside || !refusal(f.error)) continue;
      auto k = key(e, f);
      if (!before.count(k) && seen.insert(k).second) out.push_back(k);
    }
  return out;
}

Result<Verdict> verify_dropin(const VerifyOptions& options, const systemd::HostFactory& factory) {
  auto started = Clock::now();
  Verdict v;
  v.unit = options.unit;
  v.check = options.check;
  auto parsed = parse_dropin(options.dropin_text);
  if (!parsed) return fail(std::move(parsed.error()).with_context("parsing the drop-in"));
  const auto& directives = *parsed;
  std::vector<std::string> not_probed;
  auto controls = options.probe_binary.empty() ? std::vector<Control>{} : plan_controls(directives, &not_probed);
  std::vector<std::string> keys;
  for (const auto& d : directives)
    if (std::find(keys.begin(), keys.end(), d.property()) == keys.end()) keys.push_back(d.property());
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };

  // Baseline: the service and the check must work without the drop-in,
  // else verification has nothing to say about the drop-in. It does not
  // depend on the drop-in: a cache shared across drop-ins is used as is.
  // Without a cache shared by the caller, one for this verification alone.
  auto cache = options.baseline_cache ? options.baseline_cache : std::make_shared<BaselineCache>();
  const bool baseline_from_cache = cache->run.has_value();
  if (!baseline_from_cache) {
    auto host = factory();
    if (!host) return fail(std::move(host.error()).with_context("starting the baseline host"));
    auto run = run_service(**host, options, "");
    if (!run.ok()) {
      v.items.push_back({Stage::baseline, "service works without the drop-in", ItemStatus::failed,
                         run.failure + (run.journal.empty() ? "" : "\n" + last_lines(run.journal, 5))});
      v.host = (*host)->kind();
      v.environment = (*host)->environment();
      // Where the verifying host is not the machine (a container's network),
      // say how: the unit may run on the machine and not here.
      std::string where = v.environment.empty() ? "" : " (in the verifying " + v.host + ": " + v.environment + ")";
      // And what the failed run itself missed there that this machine has.
      if (run.profile)
        if (auto clues = environment_clues(*run.profile, options.on_machine); !clues.empty()) {
          const std::string listed = fmt::format("{}", fmt::join(clues, "; "));
          v.items.back().detail += "\nwhere the verifying " + v.host + " differs: " + listed;
          where += "; it differs from this machine: " + listed;
        }
      v.error = !run.started || !run.stayed_up ? "the unit does not run even without the drop-in" + where + ": " + run.failure
                : run.check.ok() && !options.workload.empty()
                    ? "the workload fails without the drop-in (" + run.failure + "); fix the workload or the service first"
                    : "the check itself fails without the drop-in; fix the check or the service first";
      (void)(*host)->shutdown();
      v.seconds = elapsed();
      return v;
    }
    BaselineRun b;
    b.check_status = run.check.status_text();
    b.profile = std::move(run.profile);
    b.battery = std::move(run.battery);
    b.session = std::move(run.session);
    if (auto p = (*host)->show(options.unit, {})) b.properties = *p;
    (void)(*host)->shutdown();
    cache->run = std::move(b);
  }
  const BaselineRun& baseline = *cache->run;
  v.items.push_back({Stage::baseline, "service works without the drop-in", ItemStatus::passed,
                     "check " + baseline.check_status +
                         (baseline_from_cache ? " (from this unit's earlier run)" : "")});
  systemd::Properties baseline_props;
  for (const auto& k : keys)
    if (auto it = baseline.properties.find(k); it != baseline.properties.end()) baseline_props[k] = it->second;
  const std::optional<profile::Profile>& baseline_profile = baseline.profile;
  const std::vector<BatteryLine>& baseline_battery = baseline.battery;

  auto host = factory();
  if (!host) return fail(std::move(host.error()).with_context("starting the hardened host"));
  v.host = (*host)->kind();
  v.environment = (*host)->environment();
  auto run = run_service(**host, options, options.dropin_text);
  v.items.push_back({Stage::hardened, "unit starts and stays up",
                     run.started && run.stayed_up ? ItemStatus::passed : ItemStatus::failed,
                     run.started && run.stayed_up ? fmt::format("active after {} ms", options.settle.count())
                                                  : run.failure + "\n" + last_lines(run.journal, 6)});
  if (run.started && run.stayed_up)
    v.items.push_back({Stage::hardened,
                       options.workload.empty() ? "check passes" : "check passes, the workload too, then the check again",
                       run.check_passed ? ItemStatus::passed : ItemStatus::failed,
                       run.check_passed ? "check " + run.check.status_text() : run.failure});
  if (auto p = (*host)->show(options.unit, keys)) {
    for (const auto& d : values_to_read_back(directives)) v.items.push_back(directive_item(d, *p, baseline_props));
  } else {
    v.items.push_back({Stage::directive, "systemctl show", ItemStatus::failed, p.error().to_string()});
  }
  std::vector<Directive> probe_directives;
  for (const auto& d : directives)
    if (std::find(options.omit_from_probes.begin(), options.omit_from_probes.end(), d.key) ==
        options.omit_from_probes.end())
      probe_directives.push_back(d);
  // The probes run as the service does: with its own account (the unit's
  // User=, Group=, ...), then that plus the drop-in. A probe run as root
  // would show what root can do, not what the sandbox took from the service.
  const std::vector<std::string> own = credentials_of(baseline.properties);
  auto assignments = own;
  for (auto& a : service_assignments(probe_directives)) assignments.push_back(std::move(a));
  // The probes are programs of their own: a NoExecPaths= of the drop-in
  // must not keep them from running (the service's sandbox is unchanged).
  const std::string probes_exec = "ExecPaths=-" + run_paths().folder + " -/usr/bin -/bin";
  assignments.push_back(probes_exec);
  if (has_own_root(options.dropin_text)) assignments.push_back("BindReadOnlyPaths=-" + run_paths().folder);
  for (size_t i = 0; i < controls.size(); ++i) {
    const auto& c = controls[i];
    // Without the sandbox: a transient unit of its own, so this host serves
    // as well as a baseline host would.
    auto plain_r = (*host)->run_sandboxed(own, c.argv, 30s);
    systemd::ExecResult plain = plain_r ? *plain_r : systemd::ExecResult{-1, 0, false, "", plain_r.error().to_string()};
    auto r = (*host)->run_sandboxed(assignments, c.argv, 30s);
    systemd::ExecResult sandboxed = r ? *r : systemd::ExecResult{-1, 0, false, "", r.error().to_string()};
    auto outcome = evaluate_control(c, sandboxed, plain);
    std::string how = "full drop-in sandbox";
    std::vector<std::string> used = assignments;  // the sandbox the outcome comes from
    if (outcome.status == ItemStatus::inconclusive && sandboxed.out.empty()) {
      // The whole drop-in may not apply to a bare transient unit (paths that
      // only exist for the service...): retry with this class alone.
      std::vector<std::string> only = own;
      for (const auto& d : probe_directives)
        if (d.section == "Service" && std::find(c.directives.begin(), c.directives.end(), d.key) != c.directives.end())
          only.push_back(d.transient_assignment());
      only.push_back(probes_exec);
      auto r2 = (*host)->run_sandboxed(only, c.argv, 30s);
      if (r2) {
        outcome = evaluate_control(c, *r2, plain);
        how = "this class's directives only";
        used = std::move(only);
      }
    }
    // The unit's own account cannot do these operations even without the
    // sandbox (no SCHED_RR, no sethostname for an unprivileged user): the
    // directives act the same on root (a seccomp filter, a namespace, a
    // device list do not look at the uid), so root's run tells whether
    // systemd applies them. Not for the controls of the identity itself.
    const bool identity = std::any_of(c.directives.begin(), c.directives.end(), [](const std::string& k) {
      return unit::is_account_directive(k);
    });
    if (outcome.status == ItemStatus::inconclusive && !own.empty() && !identity) {
      std::vector<std::string> as_root;
      for (const auto& a : used)
        if (std::find(own.begin(), own.end(), a) == own.end()) as_root.push_back(a);
      auto root_plain = (*host)->run_sandboxed({}, c.argv, 30s);
      auto root_boxed = (*host)->run_sandboxed(as_root, c.argv, 30s);
      if (root_plain && root_boxed) {
        auto as_root_outcome = evaluate_control(c, *root_boxed, *root_plain);
        if (as_root_outcome.status != ItemStatus::inconclusive) {
          outcome = as_root_outcome;
          how += "; on root's credentials: as " + fmt::format("{}", fmt::join(own, " ")) +
                 " the probe cannot do these operations even without the sandbox";
        }
      }
    }
    v.items.push_back({Stage::negative_control, c.name, outcome.status, outcome.detail + " [" + how + "]"});
  }
  for (const auto& n : not_probed) v.items.push_back({Stage::negative_control, n.substr(0, n.find(':')),
                                                     ItemStatus::skipped, n.substr(n.find(':') + 2)});
  if (options.probe_binary.empty())
    v.items.push_back({Stage::negative_control, "negative controls", ItemStatus::skipped,
                       "sdharden-probe not found"});
  if (!options.observer) {
    v.items.push_back({Stage::fallback, "behaviour diff against the baseline", ItemStatus::skipped,
                       "no profiler available (needs root and the eBPF back-end)"});
  } else if (!baseline_profile || !run.profile) {
    v.items.push_back({Stage::fallback, "behaviour diff against the baseline", ItemStatus::inconclusive,
                       "a run could not be profiled"});
  } else {
    // What the drop-in's own "+" lines run is outside the sandbox, new by design.
    std::set<std::string> unsandboxed = {run_paths().probe};  // the battery fails on purpose
    for (const auto& e : run.profile->executables)
      if (e.path.find(std::string("/") + kBatteryScratchPrefix) != std::string::npos) unsandboxed.insert(e.path);
    // The unit's command lines as the drop-in leaves them ("KEY=" resets):
    // a program that one of them runs inside the sandbox may be the daemon.
    std::vector<Directive> in_effect;
    if (auto unit_lines = parse_dropin(options.unit_text)) in_effect = std::move(*unit_lines);
    in_effect.insert(in_effect.end(), directives.begin(), directives.end());
    std::map<std::string, std::vector<std::string>> exec_lines;
    for (const auto& d : in_effect)
      if (d.section == "Service" && d.exec_command()) {
        if (d.value.empty()) exec_lines[d.key].clear();
        else exec_lines[d.key].push_back(d.value);
      }
    for (const auto& [key, lines] : exec_lines)
      for (const auto& line : lines)
        if (auto program = unit::unsandboxed_program(line)) unsandboxed.insert(*program);
    for (const auto& program : unit::sandboxed_programs(exec_lines))
      std::erase_if(unsandboxed, [&](const std::string& u) { return profile::same_program(u, program); });
    auto diff = new_failures(*baseline_profile, *run.profile, unsandboxed);
    // Reported, not failed: a daemon may probe and fall back by design; the
    // list is what a human must look at.
    v.items.push_back({Stage::fallback, "operations that fail only under the drop-in",
                       diff.empty() ? ItemStatus::passed : ItemStatus::inconclusive,
                       diff.empty() ? "none (compared with the baseline's profile)"
                                    : fmt::format("{}", fmt::join(diff, "; "))});
  }
  (void)(*host)->shutdown();
  std::optional<bool> recognised;
  if (options.recognise_sessions && baseline_profile) recognised = options.recognise_sessions(*baseline_profile);
  if (options.sessions || recognised)
    v.items.push_back(session_item(baseline.session, run.session, directives,
                                   options.sessions ? options.session_commands : *recognised));
  if (options.containment_battery && !options.probe_binary.empty()) {
    v.containment = compare_battery(baseline_battery, run.battery);
    if (!v.containment.ran)
      v.containment.note = "the battery did not report under the drop-in (the sandbox refused to run sdharden-probe)";
  } else {
    v.containment.note = options.probe_binary.empty() ? "sdharden-probe not found" : "not run";
  }
  v.verified = v.failed_count() == 0 && v.error.empty();
  v.seconds = elapsed();
  return v;
}

}  // namespace sdh::verify
