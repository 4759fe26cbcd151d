// SPDX-License-Identifier: GPL-2.0-or-later
// The verification workflow: baseline run without the drop-in, hardened run
// with it, directives read back through `systemctl show`, negative controls,
// and (when a profiler is plugged in) a behaviour diff. Written against
// ServiceHost only, so the FakeHost drives it in unit tests.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "profile/profile.h"
#include "systemd/service_host.h"
#include "verify/battery.h"
#include "verify/dropin.h"
#include "verify/session.h"
#include "verify/verdict.h"

namespace sdh::verify {

inline constexpr const char* kDropinName = "50-sdharden.conf";
// The battery's own drop-in: after the one verified, so its line comes last.
inline constexpr const char* kBatteryDropinName = "95-sdharden-battery.conf";

// Watches each run of the unit (a profiler in practice): told before the unit
// starts and after the check; returns what it saw, if anything.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void before_start(systemd::ServiceHost& host, const std::string& unit) = 0;
  virtual std::optional<profile::Profile> after_run(systemd::ServiceHost& host) = 0;
};

// What verification learns from the unit without the drop-in. It does not
// depend on the drop-in, so `auto` keeps it across its iterations instead of
// booting a baseline for each (verify_dropin fills it on first use).
struct BaselineRun {
  std::string check_status;                 // "exit 0"
  systemd::Properties properties;           // every property systemctl shows
  std::optional<profile::Profile> profile;  // from the observer
  std::vector<BatteryLine> battery;
  SessionView session;
};
struct BaselineCache {
  std::optional<BaselineRun> run;
};

struct VerifyOptions {
  std::string unit;          // unit name inside the host
  std::string unit_text;     // installed as unit_dir()/unit when non-empty
  std::vector<std::pair<std::string, std::string>> extra_files;  // (path, content) installed first
  std::string dropin_text;
  std::string check;         // shell command run inside the host
  // Exercises the rare paths (reload, log reopen...) after the check passed;
  // it must succeed, the unit stay up and the check pass again. Empty: none.
  std::string workload;
  std::chrono::milliseconds workload_timeout{120000};
  std::string probe_binary;  // sdharden-probe on this machine; empty: no negative controls
  std::chrono::milliseconds settle{1500};  // how long the unit must stay up
  std::chrono::milliseconds check_timeout{30000};
  // A failing check is tried again for this long while the unit stays active:
  // a Type=simple service counts as started before it listens, and on a busy
  // machine the first try can come too early.
  std::chrono::milliseconds check_grace{6000};
  // Test hook (mutation test of the negative controls): directives left out
  // of the probes' sandbox, as if they had no effect.
  std::vector<std::string> omit_from_probes;
  // Silent-fallback detection: profiles the baseline and hardened runs.
  std::shared_ptr<RunObserver> observer;
  // Run the containment battery (verify/battery.h) inside the unit's own
  // sandbox, as an ExecStartPost= of the unit, in the baseline and hardened
  // runs (needs probe_binary). Bisect's trials leave it out.
  bool containment_battery = true;
  // Shared by the verifications of one unit with several drop-ins.
  std::shared_ptr<BaselineCache> baseline_cache;
  // The daemon starts login sessions: what a session inherits (session.h)
  // must be the same under the drop-in. Set, or recognised from the
  // baseline's profile by `recognise_sessions` (synth's recognition, given
  // by the caller: nullopt for none, else whether they run commands). Needs
  // probe_binary and containment_battery.
  bool sessions = false;
  // The sessions run what users type (a shell: sshd, cron). False: logins
  // that run only the daemon's own code (FTP, IMAP), which do not feel what
  // only commands would (unit::session_effects).
  bool session_commands = true;
  std::function<std::optional<bool>(const profile::Profile&)> recognise_sessions;
  // Whether a path exists on this machine: when the unit fails even without
  // the drop-in, the paths its run missed are checked here, to say where the
  // verifying host differs from the machine (diagnose.h). Unset: not compared.
  std::function<bool(const std::string&)> on_machine;
};

// One start of the unit with a given drop-in (possibly empty) and the check.
struct RunOutcome {
  bool started = false;
  bool stayed_up = false;
  bool check_passed = false;
  bool failed_in_workload = false;  // started, checked, then the workload (or what followed) failed
  std::string failure;   // first thing that went wrong, human words
  systemd::ExecResult check;
  std::string journal;
  std::string kernel_log;
  std::optional<profile::Profile> profile;  // from the observer
  std::vector<BatteryLine> battery;         // what the battery reported (empty: it did not run)
  SessionView session;                      // what a login session would inherit (empty: not taken)
  bool ok() const { return started && stayed_up && check_passed; }
};

// Installs everything, starts the unit, waits `settle`, runs the check.
RunOutcome run_service(systemd::ServiceHost& host, const VerifyOptions& options,
                       const std::string& dropin_text);

// Installs the unit's files and the probe; shared by verify and bisect.
systemd::Status prepare_host(systemd::ServiceHost& host, const VerifyOptions& options);

// Whether a login session started by the unit inherits the same under the
// drop-in as without it; failed with the facts that differ and the
// directives that change them. `commands`: the sessions run what users type.
VerdictItem session_item(const SessionView& baseline, const SessionView& hardened,
                         const std::vector<Directive>& directives, bool commands = true);

// The account a unit runs its commands as, from what `systemctl show`
// reports for it without a drop-in: User=, Group=, SupplementaryGroups=,
// DynamicUser=, as assignments for a transient unit.
std::vector<std::string> credentials_of(const systemd::Properties& shown);

// The lines whose values `systemctl show` can confirm one by one: a reset
// ("KEY=") followed by values of the same key is part of those values.
std::vector<Directive> values_to_read_back(const std::vector<Directive>& directives);

// Whether `directive` shows as in effect given the hardened and baseline
// `systemctl show` values of its property.
VerdictItem directive_item(const Directive& directive, const systemd::Properties& hardened,
                           const systemd::Properties& baseline);

// Operations that failed in `hardened` but never in `baseline` (per
// executable, operation, errno and detail): candidates for silent fallbacks.
// `unsandboxed`: executables the drop-in runs outside the sandbox ("+" lines).
std::vector<std::string> new_failures(const profile::Profile& baseline, const profile::Profile& hardened,
                                      const std::set<std::string>& unsandboxed = {});

// Fails only when a host cannot be created; everything else is in the Verdict.
Result<Verdict> verify_dropin(const VerifyOptions& options, const systemd::HostFactory& factory);

}  // namespace sdh::verify
