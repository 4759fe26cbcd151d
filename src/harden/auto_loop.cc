// SPDX-License-Identifier: GPL-2.0-or-later
#include "harden/auto_loop.h"

#include "verify/diagnose.h"

#include <algorithm>

#include <fmt/core.h>
#include <fmt/format.h>

#include "util/strings.h"
#include "verify/controls.h"

namespace sdh::harden {

namespace {

// Messages from systemctl and the journal span lines ("Job for x failed.\n
// See ..."): a reason is one line, or it would break the drop-in's comment.
std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '.')) line.pop_back();
  return line;
}


// One change the loop makes: relax()'s argument, why, and its kind ("" to
// tell from the result: a step down or a removal).
struct Step {
  std::string relax;
  std::string reason;
  std::string kind;
};

bool service_broken(const verify::Verdict& v) {
  return std::any_of(v.items.begin(), v.items.end(), [](const verify::VerdictItem& i) {
    return i.stage == verify::Stage::hardened && i.status == verify::ItemStatus::failed;
  });
}

// What was claimed and is not true: the directives `systemctl show` does not
// report and the negative controls that were not refused. Each is stepped
// down (ProtectSystem=strict -> full) before it is removed.
std::vector<Step> not_in_effect(const verify::Verdict& v, const std::string& dropin) {
  std::vector<Step> out;
  auto parsed = verify::parse_dropin(dropin);
  if (!parsed) return out;
  auto controls = verify::plan_controls(*parsed);
  auto add = [&](const std::string& key, const std::string& why) {
    bool dup = std::any_of(out.begin(), out.end(), [&](const Step& s) { return s.relax == key; });
    if (!dup) out.push_back({key, why, ""});
  };
  for (const auto& item : v.items) {
    if (item.status != verify::ItemStatus::failed) continue;
    std::string detail = item.detail.empty() ? "" : ": " + first_line(item.detail);
    if (item.stage == verify::Stage::directive) {
      add(item.name.substr(0, item.name.find('=')), "not in effect under the verifying systemd (" + item.name + detail + ")");
    } else if (item.stage == verify::Stage::negative_control) {
      for (const auto& c : controls)
        if (c.name == item.name)
          for (const auto& key : c.directives) add(key, "negative control \"" + c.name + "\" was not refused" + detail);
    }
  }
  return out;
}

// How the hardened run failed, in the verdict's words.
std::string failure_of(const verify::Verdict& v) {
  for (const auto& i : v.items)
    if (i.stage == verify::Stage::hardened && i.status == verify::ItemStatus::failed)
      return i.name + (i.detail.empty() ? "" : ": " + i.detail);
  return "the service fails";
}

// The first thing a verdict failed on, in its words: the hardened run's
// failure before anything else.
std::string first_failure(const verify::Verdict& v) {
  if (service_broken(v)) {
    // After the first line, the detail holds the journal's last lines: the
    // daemon's own (escaped) say why, where systemd's only say that it failed.
    const std::string failure = failure_of(v);
    const size_t nl = failure.find('\n');
    auto said = nl == std::string::npos ? std::vector<verify::DeniedOperation>{}
                                        : verify::journal_words(failure.substr(nl + 1), "", 1);
    return first_line(failure) + (said.empty() ? "" : "; " + said.back().operation);
  }
  for (const auto& i : v.items)
    if (i.status == verify::ItemStatus::failed) return first_line(i.name + (i.detail.empty() ? "" : ": " + i.detail));
  return first_line(v.error.empty() ? "not verified" : v.error);
}

// The plan beyond the drop-in, verified: its User= line says so, and what
// root was kept for is shown as tried, refused and not needed.
void mark_trial_verified(synth::HardeningPlan& plan, const synth::BeyondDropin& b, const verify::Verdict& v) {
  // What failed only under the plan, as the verdict's comparison with the
  // baseline's profile lists it: the refusals the service did without.
  std::string refused;
  int controls = 0;
  for (const auto& i : v.items) {
    if (i.stage == verify::Stage::fallback && i.name == "operations that fail only under the drop-in" &&
        i.status == verify::ItemStatus::inconclusive && !i.detail.empty())
      refused = "; refused under it: " + first_line(i.detail);
    if (i.stage == verify::Stage::negative_control && i.status == verify::ItemStatus::passed) ++controls;
  }
  // Only what ran is claimed.
  std::string held = "the check passes";
  if (controls > 0) held += fmt::format(", {} negative control{} hold", controls, controls == 1 ? "" : "s");
  if (v.containment.ran) held += ", the containment battery ran";
  for (auto& d : plan.directives)
    if (d.key == "User" && d.rule == "user")
      d.justification = fmt::format(
          "verified as {}: started as {} under systemd, {}; what root gave it was tried, refused and not needed: {}{}",
          b.user, b.user, held, fmt::join(b.blockers, "; "), refused);
}

// The proposal made without the user, carrying over the grants found so far
// and what the user would have scored.
synth::HardeningPlan without_user(synth::HardeningPlan alt, const synth::HardeningPlan& with_user,
                                  const ChosenUser& user, const std::string& failure,
                                  const std::vector<Step>& applied) {
  const std::string& name = user.name;
  auto now = chosen_user_of(alt);
  // With the daemon's own option to switch to the account in its
  // configuration, that option is what a change would remove.
  const std::string blocker =
      alt.own_user_option.empty()
          ? "started as " + name + " it fails: " + failure
          : "its own option that switches to " + name + ", " + alt.own_user_option + ": started as " + name +
                " with it, the service fails: " + failure;
  if (!user.start_kept)
    alt.beyond_dropin = synth::BeyondDropin{"started as " + name, name, {blocker}, with_user.exposure_after_tenths};
  // Grants found so far still hold for the daemon; what no longer fits the new plan is skipped.
  for (const auto& s : applied)
    if (auto x = synth::relax(alt, s.relax, s.reason)) {
      x->relaxed.back().kind = s.kind;
      alt = std::move(*x);
    }
  // The proposal says "no file owners known" or repeats the refusal; the
  // reason is what verification showed.
  std::string refused = now ? "User=" + name + " from the start" : "User=" + name;
  std::erase_if(alt.not_set, [](const synth::NotSet& n) { return n.directive.rfind("User=", 0) == 0; });
  if (user.start_kept)
    alt.not_set.push_back({"User=" + name + " with its start kept as root", "the service fails: " + failure, "user"});
  else
    alt.not_set.push_back({refused, "started as " + name + " the service fails: " + failure, "user"});
  std::string from = user.start_kept ? "User=" + name + " (start kept as root)" : "User=" + name;
  std::string to = now ? "User=" + now->name + " (start kept as root)" : "";
  alt.relaxed.insert(alt.relaxed.begin(),
                     synth::Relaxation{"User=" + name, from, to,
                                       (user.start_kept ? "the service fails under User=" + name + ": "
                                                        : "the service fails started as " + name + ": ") +
                                           failure,
                                       now ? "started as root, switches itself" : "static user dropped"});
  return alt;
}

// The ephemeral root's directives (the root-directory rule's), all of them:
// a root that breaks the service goes whole, the rest of the plan stays.
bool has_ephemeral_root(const synth::HardeningPlan& plan) {
  return std::any_of(plan.directives.begin(), plan.directives.end(),
                     [](const synth::Directive& d) { return d.rule == "root-directory"; });
}

// The plan without its root, and why (said in the drop-in and the relaxations).
synth::HardeningPlan without_ephemeral_root(synth::HardeningPlan plan, const std::string& why) {
  std::string root;
  for (const auto& d : plan.directives)
    if (d.rule == "root-directory" && d.key == "RootDirectory" && !d.values.empty()) root = d.values.back();
  std::erase_if(plan.directives, [](const synth::Directive& d) { return d.rule == "root-directory"; });
  plan.not_set.push_back({"RootDirectory=" + root, why, "root-directory"});
  plan.relaxed.push_back(
      synth::Relaxation{"RootDirectory", "RootDirectory=" + root + " and its binds", "", why, "ephemeral root dropped"});
  return plan;
}

}  // namespace

Justified count_justified(const std::string& dropin) {
  Justified j;
  bool pending = false;  // a comment block waits for its directive
  std::string block_key;
  size_t pos = 0;
  while (pos <= dropin.size()) {
    size_t end = dropin.find('\n', pos);
    std::string line = trim(dropin.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    pos = end == std::string::npos ? dropin.size() + 1 : end + 1;
    if (line.empty() || line[0] == '[') {
      pending = false;
      block_key.clear();
    } else if (line[0] == '#' || line[0] == ';') {
      pending = true;
      block_key.clear();
    } else if (auto eq = line.find('='); eq != std::string::npos) {
      std::string key = trim(line.substr(0, eq));
      ++j.lines;
      if (pending || key == block_key) {
        ++j.justified;
        block_key = key;  // the directive's further lines share its comment
      }
      pending = false;
    }
  }
  return j;
}

std::optional<ChosenUser> chosen_user_of(const synth::HardeningPlan& plan) {
  for (const auto& d : plan.directives)
    if (d.key == "User" && (d.rule == "user" || d.rule == "user-own-switch") && !d.values.empty())
      return ChosenUser{d.values.back(), d.rule == "user-own-switch"};
  return std::nullopt;
}

std::vector<synth::Denial> denials_of(const std::vector<verify::DeniedOperation>& denied) {
  std::vector<synth::Denial> out;
  for (const auto& d : denied) out.push_back({d.syscall, d.path, d.family, d.error, d.operation});
  return out;
}

std::string mark_unverified(const std::string& dropin, const std::string& why) {
  return "# NOT VERIFIED: " + first_line(why) +
         "\n# (kept with --write-unverified; sdharden could not prove it under systemd: do not install it as it is)\n" +
         dropin;
}

Result<AutoResult> harden_until_verified(synth::HardeningPlan plan, const verify::VerifyOptions& options,
                                         const systemd::HostFactory& factory, const AutoHooks& hooks) {
  AutoResult r;
  auto say = [&](const std::string& s) {
    if (hooks.progress) hooks.progress(s);
  };
  auto rescore = [&](synth::HardeningPlan& p) {
    p.exposure_after_tenths = -1;
    if (hooks.score)
      if (auto s = hooks.score(p)) p.exposure_after_tenths = *s;
  };
  // The unit without a drop-in is the same in every iteration: its run is
  // verified once and kept.
  verify::VerifyOptions base = options;
  if (!base.baseline_cache) base.baseline_cache = std::make_shared<verify::BaselineCache>();
  // The verified result: the verified run's battery goes into the drop-in's
  // header (comments only: the assignments are the ones verified).
  auto accept = [&](const synth::HardeningPlan& p, const std::string& text,
                    const verify::Verdict& v) -> Result<AutoResult> {
    r.verified = true;
    r.plan = p;
    r.dropin = text;
    r.verdict = v;
    if (v.containment.ran) {
      r.plan.containment =
          synth::ContainmentSummary{v.containment.possible_baseline(), v.containment.possible_hardened(),
                                    static_cast<int>(v.containment.rows.size()), v.containment.still_possible()};
      r.dropin = synth::render_dropin(r.plan);
    }
    return r;
  };
  // A verified plan with an ephemeral root is kept only if the root
  // contains at least as much as the plan without it: the battery decides
  // (inside a root, systemd takes path lists for host paths, and the mounts
  // it makes there keep their own flags).
  auto verified = [&](const synth::HardeningPlan& p, const std::string& text,
                      const verify::Verdict& v) -> Result<AutoResult> {
    if (!has_ephemeral_root(p) || !v.containment.ran) return accept(p, text, v);
    synth::HardeningPlan flat = without_ephemeral_root(p, "compared by the containment battery");
    verify::VerifyOptions fo = base;
    fo.dropin_text = synth::render_dropin(flat);
    fo.workload.clear();  // the battery does not depend on it; a plan chosen is verified with it below
    say("verifying the plan without its ephemeral root, to compare what stays possible inside");
    auto fv = verify::verify_dropin(fo, factory);
    if (!fv) return fail(fv.error());
    int with = v.containment.possible_hardened();
    int without = fv->containment.ran ? fv->containment.possible_hardened() : -1;
    r.root_battery = {with, without};
    if (!fv->verified || without < 0 || without >= with) return accept(p, text, v);
    if (!base.workload.empty()) {
      fo.workload = base.workload;
      say("verifying the plan without its ephemeral root with the workload");
      fv = verify::verify_dropin(fo, factory);
      if (!fv) return fail(fv.error());
      if (!fv->verified) return accept(p, text, v);
    }
    std::string why = fmt::format("the containment battery finds more possible inside it ({} of {} attempts) than "
                                  "without it ({})",
                                  with, v.containment.rows.size(), without);
    say("the ephemeral root contains less: " + why);
    flat = without_ephemeral_root(p, why);
    rescore(flat);
    return accept(flat, synth::render_dropin(flat), *fv);
  };
  std::optional<std::string> root_dropped;  // why the ephemeral root went, once it did
  std::vector<Step> applied;    // in order, to carry over to another proposal
  // A verified plan that keeps root, and a lower-scoring plan as the
  // daemon's account beyond it: that plan is verified as a trial (the grants
  // found so far carried over) and kept when it passes; when it fails, the
  // plan that keeps root stays and its "beyond" line says how.
  auto try_beyond = [&](AutoResult best) -> Result<AutoResult> {
    auto& b = best.plan.beyond_dropin;
    // Not a user this run already saw the service fail under.
    if (!hooks.try_beyond || !b || !b->trial || b->user.empty() || best.static_user_dropped) return best;
    synth::HardeningPlan trial = *b->trial;
    for (const auto& s : applied)
      if (auto x = synth::relax(trial, s.relax, s.reason)) {
        x->relaxed.back().kind = s.kind;
        trial = std::move(*x);
      }
    if (root_dropped && has_ephemeral_root(trial)) trial = without_ephemeral_root(std::move(trial), *root_dropped);
    rescore(trial);
    if (trial.exposure_after_tenths < 0 || best.plan.exposure_after_tenths < 0 ||
        trial.exposure_after_tenths >= best.plan.exposure_after_tenths)
      return best;
    const synth::BeyondDropin tried = *b;
    // Like every proposal: its text must read back as planned before systemd runs it.
    if (auto ok = synth::check_reads_back(trial); !ok) {
      best.beyond_trial = "not tried: " + first_line(ok.error().to_string());
      return best;
    }
    verify::VerifyOptions to = base;
    to.dropin_text = synth::render_dropin(trial);
    say(fmt::format("verified keeping root; trying the plan as {} (systemd doing the root work), which scores {} "
                    "instead of {}",
                    tried.user, trial.exposure_after_tenths / 10.0, best.plan.exposure_after_tenths / 10.0));
    // An optional trial: a host that fails here takes nothing from the
    // verified plan.
    auto tv = verify::verify_dropin(to, factory);
    if (!tv) {
      best.beyond_trial = "not tried: " + first_line(tv.error().to_string());
      return best;
    }
    if (tv->verified) {
      mark_trial_verified(trial, tried, *tv);
      say("the plan as " + tried.user + " is verified: kept");
      const AutoResult before = r;
      r.root_battery = {-1, -1};  // the trial's own, if it has a root
      auto kept = verified(trial, synth::render_dropin(trial), *tv);
      if (!kept) {
        r = before;
        best.beyond_trial = "not tried: " + first_line(kept.error().to_string());
        return best;
      }
      kept->beyond_trial = "kept as " + tried.user;
      return kept;
    }
    const std::string failure = first_failure(*tv);
    say("the plan as " + tried.user + " fails (" + failure + "): keeping the verified plan that keeps root");
    b->trial.reset();
    b->blockers.insert(b->blockers.begin(), "the trial as " + tried.user + " under systemd failed: " + failure);
    best.dropin = synth::render_dropin(best.plan);
    best.beyond_trial = "failed as " + tried.user + ": " + failure;
    return best;
  };
  // A root dropped for a failure, until the plan without it is verified:
  // failing there too, the root is not (alone) what breaks the service (a
  // static User= tried at the same time may be), and a later proposal may
  // bring it back for another trial.
  bool root_suspected = false;
  std::set<std::string> tried;  // relax() arguments applied so far
  // The proposal without the static user, once verified and failed: if
  // bisection then blames the user, the loop continues from it with this
  // verdict instead of proposing and verifying it again.
  std::optional<std::pair<synth::HardeningPlan, verify::Verdict>> failed_fallback;
  std::optional<verify::Verdict> known;  // the verdict of `plan`, when already had
  for (r.iterations = 1; r.iterations <= hooks.max_iterations; ++r.iterations) {
    failed_fallback.reset();  // it holds for the iteration that verified it
    std::string dropin = synth::render_dropin(plan);
    verify::VerifyOptions o = base;
    o.dropin_text = dropin;
    Result<verify::Verdict> verdict = known ? Result<verify::Verdict>(std::move(*known)) : fail("not verified yet");
    known.reset();
    if (!verdict) {
      say(fmt::format("verify, iteration {}: {} directives", r.iterations, plan.directives.size()));
      verdict = verify::verify_dropin(o, factory);
    }
    if (!verdict) return fail(verdict.error());
    if (root_suspected) {
      // The failure may read differently (a start that fails, or one that
      // does not stay up): any failure without the root clears it, and a
      // later trial of it shows whether it breaks the service too.
      if (service_broken(*verdict)) {
        say("the service fails without the ephemeral root too: the root is not the cause");
        root_dropped.reset();
        const std::string why = "left out while the failure is found: the service failed without it too";
        for (auto& n : plan.not_set)
          if (n.rule == "root-directory") n.reason = why;
        for (auto& x : plan.relaxed)
          if (x.directive == "RootDirectory") x.reason = why;
        dropin = synth::render_dropin(plan);
      }
      root_suspected = false;
    }
    r.plan = plan;
    r.dropin = dropin;
    r.verdict = *verdict;
    if (verdict->verified) {
      auto done = verified(plan, dropin, *verdict);
      if (!done) return done;
      return try_beyond(std::move(*done));
    }
    if (!verdict->error.empty()) {
      r.error = first_line(verdict->error);
      return r;
    }

    // An ephemeral root is a trial: whatever breaks under it, it goes first
    // and whole, before any narrower diagnosis.
    std::optional<std::string> root_failure;
    if (has_ephemeral_root(plan)) {
      if (service_broken(*verdict)) root_failure = failure_of(*verdict);
      for (const auto& s : not_in_effect(*verdict, dropin))
        if (!root_failure && std::any_of(plan.directives.begin(), plan.directives.end(), [&](const synth::Directive& d) {
              return d.rule == "root-directory" && d.key == s.relax;
            }))
          root_failure = s.reason;
    }
    if (root_failure) {
      auto failure = first_line(*root_failure);
      root_dropped = "the service failed in it earlier in this run: " + failure;
      root_suspected = true;
      say("the ephemeral root fails (" + failure + "): verifying the plan without it");
      plan = without_ephemeral_root(std::move(plan), "the service fails in the ephemeral root: " + failure);
      rescore(plan);
      continue;
    }
    std::vector<Step> steps;
    auto user = chosen_user_of(plan);
    if (service_broken(*verdict) && user && hooks.propose_without_user) {
      // The proposal made without that user, verified at once: when it
      // holds, the daemon refuses to start as that user (some wrappers
      // insist on root), and it is the answer; when it does not, the user
      // plan is bisected as any other. Refused as the start's identity, the
      // user may still hold with the start kept as root, then not at all.
      auto failure = first_line(failure_of(*verdict));
      std::vector<bool> tries = user->start_kept ? std::vector<bool>{true} : std::vector<bool>{false, true};
      for (bool any_user : tries) {
        auto alt = hooks.propose_without_user(
            (user->start_kept ? "under User=" + user->name + " the service fails: "
                              : "started as " + user->name + " the service fails: ") + failure,
            any_user);
        if (!alt) break;
        auto fallback = without_user(std::move(*alt), plan, *user, failure, applied);
        // A root dropped earlier in this run stays dropped: the new proposal
        // would bring it back for another trial.
        if (root_dropped && has_ephemeral_root(fallback))
          fallback = without_ephemeral_root(std::move(fallback), *root_dropped);
        rescore(fallback);
        verify::VerifyOptions fo = base;
        fo.dropin_text = synth::render_dropin(fallback);
        auto next = chosen_user_of(fallback);
        say(fmt::format("User={} breaks the service ({}): verifying the proposal {}", user->name, failure,
                        next ? "under User=" + next->name + " with its start kept as root" : "without it"));
        auto fv = verify::verify_dropin(fo, factory);
        if (!fv) return fail(fv.error());
        if (fv->verified) {
          r.static_user_dropped = true;
          return verified(fallback, fo.dropin_text, *fv);
        }
        if (!next || any_user) {
          say("that proposal fails too: bisecting the one with the user");
          failed_fallback.emplace(std::move(fallback), std::move(*fv));
          break;
        }
      }
    }
    if (service_broken(*verdict)) {
      say("the service fails under the drop-in: bisecting to the directive and the denied operation");
      auto b = verify::bisect_dropin(o, factory, hooks.bisect);
      if (!b) return fail(b.error());
      if (b->culprit.empty()) {
        r.error = "the service fails under the drop-in, but no directive subset reproduces it (flaky check?)";
        return r;
      }
      if (!b->confirmed) {
        r.error = "the failure under the drop-in names no operation and its culprit did not hold when run again (" +
                  b->confirmation + "): nothing is relaxed on an unconfirmed blame";
        return r;
      }
      std::vector<std::string> keys;
      for (const auto& d : b->culprit)
        if (std::find(keys.begin(), keys.end(), d.key) == keys.end()) keys.push_back(d.key);
      std::string failure = first_line(
          b->denied.empty() ? b->culprit_failure : b->denied[0].operation + " -> " + b->denied[0].error);
      say(fmt::format("culprit: {}; {}", fmt::join(keys, ", "), failure));

      // Bisection blames the static User= itself: as above.
      bool blames_user = std::any_of(keys.begin(), keys.end(), [](const std::string& k) {
        return k == "User" || k == "Group";
      });
      if (blames_user && failed_fallback) {
        say(fmt::format("User={} breaks the service: continuing from the proposal without it", user->name));
        plan = std::move(failed_fallback->first);
        known = std::move(failed_fallback->second);
        failed_fallback.reset();
        r.static_user_dropped = true;
        continue;
      }
      // Bisected to entries of a list: those entries stop being listed,
      // the rest of the list stays.
      std::vector<std::pair<std::string, std::string>> entries;
      for (const auto& d : b->culprit) entries.emplace_back(d.key, d.value);
      auto by_entry = synth::entry_grants(plan, entries, failure);
      for (const auto& g : by_entry) {
        if (tried.count(g.relax)) continue;
        steps.push_back({g.relax, "breaks the service: " + first_line(g.evidence), synth::to_string(g.kind)});
        std::erase(keys, g.relax.substr(0, g.relax.find('=')));
      }
      for (const auto& g : synth::narrowest_grants(plan, keys, denials_of(b->denied), tried))
        steps.push_back({g.relax, "breaks the service: " + first_line(g.evidence), synth::to_string(g.kind)});
      if (steps.empty()) {
        r.error = fmt::format("{} breaks the service ({}), and the plan has no such directive to relax",
                              fmt::join(keys, ", "), failure);
        return r;
      }
    } else {
      steps = not_in_effect(*verdict, dropin);
      if (steps.empty()) {
        r.error = "verification failed for a reason no directive explains";
        return r;
      }
    }

    bool changed = false;
    for (auto& s : steps) {
      auto next = synth::relax(plan, s.relax, s.reason);
      if (!next) continue;  // already gone with a companion
      auto& rec = next->relaxed.back();
      std::string outcome = rec.to.empty() ? "removed" : rec.from.empty() ? "" : "step down";
      if (s.kind.empty()) s.kind = "not in effect, " + outcome;
      rec.kind = s.kind;
      say(fmt::format("relaxed [{}] {}: {} -> {}", rec.kind, s.relax, rec.from.empty() ? "(unset)" : rec.from,
                      rec.to.empty() ? "(removed)" : rec.to));
      tried.insert(s.relax);
      applied.push_back(s);
      plan = std::move(*next);
      changed = true;
    }
    if (!changed) {
      r.error = "no relaxation applies to what failed";
      return r;
    }
    rescore(plan);
  }
  r.error = fmt::format("not verified after {} iterations", hooks.max_iterations);
  return r;
}

}  // namespace sdh::harden
