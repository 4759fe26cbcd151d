// SPDX-License-Identifier: GPL-2.0-or-later
// The synthesiser's public face: Profile + LoadedUnit -> HardeningPlan ->
// drop-in text. Everything here is pure (no printing, no OS access except
// through the FileSystem used to re-load the unit for scoring).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "profile/profile.h"
#include "synth/system_facts.h"
#include "unit/loader.h"
#include "util/error.h"
#include "util/fs.h"

namespace sdh::synth {

// One directive of the drop-in. `values` are rendered as one "Key=value" line
// each, in order; an empty value is systemd's "reset the list" assignment
// (used before a narrowed list so the drop-in does not widen the unit's own).
struct Directive {
  std::string section = "Service";
  std::string key;                  // "ProtectSystem"
  std::vector<std::string> values;  // {"strict"} or {"", "CAP_NET_BIND_SERVICE"}
  std::string justification;        // the evidence, one short line
  std::string rule;                 // knowledge-base rule id that produced it
};

// A directive deliberately not set, with the observation that forbids it.
struct NotSet {
  std::string directive;  // "MemoryDenyWriteExecute=yes"
  std::string reason;     // "W+X mapping by /usr/bin/luajit (3 runs)"
  std::string rule;
};

// A directive removed or loosened after the fact (verify/bisect/auto).
struct Relaxation {
  std::string directive;  // as given to relax()
  std::string from;       // rendered value(s) before, "" when newly allowed
  std::string to;         // rendered value(s) after, "" when removed
  std::string reason;
  std::string kind;       // what was granted: "path", "syscall", "step down", "removed"... (grant.h)
};

// Syscall allow-list sizes (distinct syscall names actually observed, and the
// size of the allow-list as emitted, groups expanded).
struct AllowListSizes {
  size_t observed_all = 0;      // start-up + serving
  size_t observed_startup = 0;
  size_t observed_serving = 0;  // what a filter applied after initialisation would need
  size_t emitted = 0;           // names allowed by the emitted SystemCallFilter= (0: none emitted)
  size_t emitted_serving = 0;   // names an allow-list built from the serving phase alone would allow
};

// What a change outside the drop-in (the daemon's configuration or
// packaging) would allow: the static User= it is refused now, and the
// exposure of the plan built around it.
struct HardeningPlan;
struct BeyondDropin {
  std::string change;                 // "started as unbound", "serving no login sessions"
  std::string user;                   // "unbound"; "" when the change is not a static user
  std::vector<std::string> blockers;  // what the change must remove, as the analysis words it
  int exposure_tenths = -1;
  // The plan as `user`, with systemd doing the root work (folders created
  // and handed over, ambient capabilities, "+" set-up lines) and the
  // blockers set aside: a trial `auto` verifies before it believes that a
  // configuration change is needed at all. Null when the change is not a
  // static user, or when a trial already failed (then a blocker says how).
  std::shared_ptr<const HardeningPlan> trial;
};

// What the containment battery found in the verified run (verify/battery.h).
struct ContainmentSummary {
  int possible_baseline = 0;
  int possible_hardened = 0;
  int attempts = 0;
  std::vector<std::string> still_possible;  // "read /etc/shadow", ...
};

struct HardeningPlan {
  std::string unit;                 // "nginx.service"
  std::vector<Directive> directives;
  std::vector<NotSet> not_set;
  std::optional<BeyondDropin> beyond_dropin;
  std::vector<Relaxation> relaxed;
  std::vector<std::string> warnings;  // e.g. incomplete profile
  // Executables traced in the unit's cgroup whose operations were not counted,
  // with why (systemd's own pre-exec child, "+" command lines).
  std::map<std::string, std::string> not_counted;
  int exposure_before_tenths = -1;    // -1: not scored
  int exposure_after_tenths = -1;     // -1: not scored (e.g. after relax())
  AllowListSizes syscalls;
  // Evidence summary used in comments: "3 runs, 41,213 events".
  uint64_t runs = 0;
  uint64_t events = 0;
  uint64_t lost_events = 0;
  std::string systemd_version;  // "257": whose tables scored it
  std::optional<ContainmentSummary> containment;  // set once verified with the battery
  // What starting the unit changes on the machine (synth/host_changes.h).
  std::vector<std::string> host_changes;
  // The daemon's own option that switches to its account, where the unit
  // gives it ("`-u bind` in /etc/default/named"; static_user.h): what a
  // "beyond" line names when the daemon fails started as that account.
  std::string own_user_option;
};

// An exposure score: the shown value and the exact sums behind it, so the
// optimiser can see gains smaller than the rounding to tenths.
struct Score {
  int tenths = 0;         // exposure as shown (x.y -> tenths)
  uint64_t sum = 0;       // S = sum of ceil(badness * weight / range)
  uint64_t weights = 1;   // W = sum of applicable weights
  // Exact comparison of S/W.
  bool operator<(const Score& o) const { return sum * o.weights < o.sum * weights; }
  bool operator==(const Score& o) const { return sum * o.weights == o.sum * weights; }
};

// Scores "the unit plus this drop-in text".
using ScoreFunction = std::function<Result<Score>(const std::string& dropin_text)>;

struct ProposeOptions {
  unit::SystemdVersion version;
  // Used to re-load the unit with the candidate drop-in (LoadOptions::extra_dropins)
  // when `scorer` is empty; nullptr means the real file system.
  const FileSystem* fs = nullptr;
  unit::LoadOptions load_options;  // search path, user manager...; version/extra_dropins are set by propose
  ScoreFunction scorer;            // tests inject one; empty: load_unit + exposure::assess
  // A profile with lost events is refused unless this is set (then the plan
  // carries a loud warning).
  bool allow_incomplete_profile = false;
  // File name the candidate drop-in is scored under (after load_options' own
  // extra_dropins, so it must not reuse one of their names).
  std::string dropin_name = "99-sdharden-candidate.conf";
  // Owners and modes of the files the profile names, and the user accounts,
  // of the machine the service runs on; empty: no static User= is proposed.
  SystemFacts facts;
  // Also score the plan a static User= would allow if what refuses it were
  // changed outside the drop-in (HardeningPlan::beyond_dropin).
  bool beyond_dropin = true;
  bool waive_static_user_blockers = false;  // internal: building that plan
  // Non-empty: no static User= (verification showed the daemon fails
  // started as its account, and this says how); the facts still serve the
  // rest, such as a daemon's own switch to its account (OwnSwitch).
  std::string static_user_refused;
  // A daemon that switches to its account itself may run under User= it
  // with its start kept as root (OwnSwitch); false: not (verification
  // showed the service fails that way).
  bool own_switch = true;
  bool waive_sessions = false;              // internal: the plan of a daemon that starts no login sessions
  // Also try the plan in which the unit's start and reload helpers
  // (ExecStartPost= and the like, told apart by the process trees they
  // start) run with full privileges ("+", as they ran before), so that the
  // sandbox and a static User= need fit the daemon alone; the better-scoring
  // plan wins.
  bool privileged_helpers = true;
};

// Builds the tightest plan the profile allows: minimises our exposure score
// subject to nothing observed being forbidden; never weakens a setting the
// unit already has; at equal score prefers the directive that forbids less.
Result<HardeningPlan> propose(const unit::LoadedUnit& unit, const profile::Profile& profile,
                              const ProposeOptions& options = {});

// The drop-in text: every directive preceded by its evidence comment, then a
// comment block of what was not set and why, exposure before -> after and the
// allow-list sizes per phase.
std::string render_dropin(const HardeningPlan& plan);

// Whether the drop-in reads back as planned: parsed with sdharden's own
// unit parser, it holds exactly the plan's assignments, in order, each value
// byte for byte, and no value holds a control character. propose() and
// relax() refuse a plan that does not; a failure is a bug, never input.
Result<void> check_reads_back(const HardeningPlan& plan);

// Removes or loosens one directive, recording the reason. `directive` is a key
// ("MemoryDenyWriteExecute") or "Key=item" to loosen a list/graded directive by
// one step: "SystemCallFilter=ptrace" adds ptrace to the allow-list,
// "RestrictAddressFamilies=AF_INET6" adds a family, "ProtectSystem" loosens
// strict -> full -> yes -> removed. Fails when the plan has no such directive.
// exposure_after_tenths becomes -1 (use score_plan to re-score).
Result<HardeningPlan> relax(const HardeningPlan& plan, const std::string& directive,
                            const std::string& reason);

// Scores the unit with the plan's drop-in applied (same scorer as propose).
Result<int> score_plan(const unit::LoadedUnit& unit, const HardeningPlan& plan,
                       const ProposeOptions& options = {});

// The plan as JSON (for `propose --json` and `auto`).
std::string plan_to_json(const HardeningPlan& plan);

}  // namespace sdh::synth
