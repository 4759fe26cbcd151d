// SPDX-License-Identifier: GPL-2.0-or-later
// The directive knowledge base: one rule per directive (or tightly coupled
// group of directives), as data (what it forbids, what it implies, which
// exposure items it moves) plus a predicate that turns Evidence into the
// options the optimiser may choose from and the evidence against the others.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "synth/evidence.h"
#include "synth/static_user.h"
#include "synth/synth.h"
#include "synth/system_facts.h"
#include "unit/activation.h"
#include "unit/settings.h"

namespace sdh::synth {

// One concrete choice for a rule; the optimiser scores each.
struct Option {
  std::vector<Directive> directives;
  int forbids = 0;        // tie-break: lower forbids less (preferred at equal score)
  bool required = false;  // keep even when the score does not move (companions, unscored safety)
};

struct RuleOutcome {
  std::vector<Option> options;  // permitted choices; empty: nothing to add
  std::vector<NotSet> not_set;  // forbidden choices with their evidence
};

// What a rule sees: the evidence, the unit as it is, the plan so far.
struct Context {
  const Evidence& ev;
  const unit::UnitSettings& unit;
  const std::vector<Directive>& plan;
  unit::SystemdVersion version;
  const SystemFacts& facts;  // owners and accounts of the machine (may be empty)
  // What-if plan: a static User= whose blockers a change outside the drop-in
  // would remove (see HardeningPlan::beyond_dropin).
  bool waive_static_user_blockers = false;
  // What the socket units that start it listen on (nullopt: none found, or
  // not socket-activated).
  std::optional<std::vector<unit::ListenSocket>> activation = std::nullopt;
  // Verification showed the daemon fails started as its account: this
  // reason refuses a static User= (ProposeOptions::static_user_refused).
  std::string static_user_refused;

  const Directive* planned(const std::string& key) const;
  bool planned_is(const std::string& key, const std::string& value) const;
  // Runs without CAP_SYS_ADMIN in its effective set (non-root User=, DynamicUser=):
  // then seccomp-style options imply NoNewPrivileges=yes.
  bool unprivileged() const;
  // The static non-root User= the plan sets (nullptr: none, or the unit's own).
  const Directive* planned_static_user() const;
  // The analysis behind the planned static user, when there is one and it is
  // usable: its obviated_caps are the capability checks the user does not
  // need ("CAP_DAC_OVERRIDE" -> why), and with drops_to_it the calls of the
  // daemon's own switch to it (setuid(), setgroups(), chown() to it) are moot.
  std::optional<StaticUserAnalysis> planned_user_analysis() const;
  std::map<std::string, std::string> caps_obviated_by_user() const;
  bool dynamic_user() const;
  bool private_tmp() const;
  // ProtectSystem=strict, the unit's own or planned.
  bool strict() const;
  // The paths every planned KEY= line lists, without their "-"/"+" prefixes.
  std::vector<std::string> planned_paths(const std::string& key) const;
  // Whether PATH lies under a directory systemd makes for the service
  // (RuntimeDirectory= and the like, the unit's or planned).
  bool made_by_systemd(const std::string& path) const;
  // Whether the service may write PATH once the plan is applied: under a
  // ReadWritePaths= of the unit or the plan, or made by systemd.
  bool may_write(const std::string& path) const;
  // Whether the target release takes KEY=VALUE (the directive and, for a
  // boolean's further spellings such as PrivateTmp=disconnected, the value).
  bool accepts(const std::string& key, const std::string& value = "yes") const;
  // Why an option that implies NoNewPrivileges for an unprivileged service is
  // forbidden ("/usr/sbin/sendmail is setuid and was executed"), if it is.
  std::optional<std::string> nnp_blocker() const;
  std::string scope() const { return ev.scope(); }
};

// Why the release cannot take the directive (it does not know it, or not
// that value yet), or nullopt when it can. The optimiser drops such options:
// a drop-in never carries what its target's systemd would ignore.
std::optional<std::string> unknown_to_release(const Directive& d, unit::SystemdVersion version);

struct Rule {
  std::string id;                      // "protect-system"
  std::vector<std::string> keys;       // directives it may emit
  std::vector<std::string> assessors;  // exposure items (json_field) it can move
  bool mount_namespace = false;        // set up with a private mount namespace
  std::string forbidden_by;            // what observation forbids it, in words
  std::string implies;                 // side effects, in words
  RuleOutcome (*decide)(const Context&) = nullptr;
  // Its place in the optimiser's order (identity and privileges first):
  // knowledge_base() sorts every rule file's rules by it.
  int order = 0;
};

// The SystemCallFilter= allow-list for `observed` calls: harmless groups used
// at all are allowed whole, everything else call by call; `permitted` (may
// be empty) bounds it by the unit's own filter. Tokens are @groups and names.
std::set<std::string> syscall_allow_list(const std::set<std::string>& observed, unit::SystemdVersion version,
                                         const std::function<bool(const std::string&)>& permitted = {});

// In the order the optimiser applies them (identity and privileges first).
const std::vector<Rule>& knowledge_base();

// Every directive key the knowledge base may emit.
std::vector<std::string> knowledge_base_keys();

}  // namespace sdh::synth
