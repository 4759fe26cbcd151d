// SPDX-License-Identifier: GPL-2.0-or-later
// The `auto` loop as a library: verify the plan's drop-in under a real
// systemd; when the service breaks, bisect to the directive(s) and the denied
// operation and grant that one operation (synth/grant.h), stepping a
// directive down or removing it only when no narrower grant works; when a
// restriction is not in effect, step it down. The plan stays the source of
// the drop-in, so every line keeps its evidence through the iterations and
// each relaxation is recorded with its kind. Written against ServiceHost and
// injected steps, so the loop runs on FakeHosts in unit tests.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "synth/grant.h"
#include "synth/synth.h"
#include "systemd/service_host.h"
#include "verify/bisect.h"
#include "verify/verify.h"

namespace sdh::harden {

struct AutoHooks {
  // Scores the plan's drop-in (exposure_after_tenths); empty: left unscored.
  std::function<Result<int>(const synth::HardeningPlan&)> score;
  // The proposal again when verification showed the service fails under a
  // User= the synthesiser chose: `refused` says how. With `any_user` false
  // only the start as that user is refused (a daemon that switches to it
  // itself may still run under it with its start kept as root, "!"); with
  // true no User= at all (the daemon started as root with what it used).
  std::function<Result<synth::HardeningPlan>(const std::string& refused, bool any_user)> propose_without_user;
  // One line per step, for the CLI's progress output.
  std::function<void(const std::string&)> progress;
  verify::BisectOptions bisect;
  int max_iterations = 10;
  // Once a plan that keeps root is verified and its "beyond this drop-in"
  // plan (as the daemon's account, systemd doing the root work) scores
  // lower, verify that plan too and keep it when it passes.
  bool try_beyond = true;
};

// Assignment lines of a drop-in and how many of them carry a justification
// (a comment right above the directive's first line).
struct Justified {
  size_t justified = 0;
  size_t lines = 0;
  bool complete() const { return justified == lines; }
};
Justified count_justified(const std::string& dropin);

struct AutoResult {
  bool verified = false;
  synth::HardeningPlan plan;  // the last plan tried (the verified one when verified)
  std::string dropin;         // its drop-in text
  verify::Verdict verdict;    // of that drop-in
  int iterations = 0;
  bool static_user_dropped = false;
  // With an ephemeral root verified: the battery's count of what stays
  // possible inside with it and without it (-1: not measured).
  std::pair<int, int> root_battery = {-1, -1};
  // The trial of the plan beyond the drop-in, when one ran: "kept" with the
  // account, or how it failed (the plan that keeps root is the result).
  std::string beyond_trial;
  std::string error;          // why it is not verified
};

// The User= the synthesiser chose (not the unit's): the account, and whether
// the daemon is started as root under it and switches itself ("!").
struct ChosenUser {
  std::string name;
  bool start_kept = false;
};
std::optional<ChosenUser> chosen_user_of(const synth::HardeningPlan& plan);

// Denials as the grant rules read them.
std::vector<synth::Denial> denials_of(const std::vector<verify::DeniedOperation>& denied);

// Fails only when a host cannot be created or bisection cannot run.
Result<AutoResult> harden_until_verified(synth::HardeningPlan plan, const verify::VerifyOptions& options,
                                         const systemd::HostFactory& factory, const AutoHooks& hooks = {});

// "NOT VERIFIED: why" as the first line, then the drop-in: what `auto -o`
// writes when asked to keep an unverified result.
std::string mark_unverified(const std::string& dropin, const std::string& why);

}  // namespace sdh::harden
