// SPDX-License-Identifier: GPL-2.0-or-later
// The optimiser: walks the knowledge base in order, asks each rule for the
// options the evidence permits, scores each option on top of the plan so far
// with our exposure scorer, and keeps the best one when it lowers the score
// (or is a required companion). Greedy is enough because the exposure items
// are additive and the rules that interact read the plan so far.
#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/core.h>

#include "synth/evidence.h"
#include "synth/knowledge.h"
#include "synth/optimizer.h"
#include "synth/rules/rules.h"
#include "synth/sessions.h"
#include "synth/syscall_groups.h"
#include "synth/synth.h"

#include "synth/host_changes.h"
#include "unit/exec_line.h"
#include "unit/directives.h"
#include "util/strings.h"

#include "exposure/assess.h"

namespace sdh::synth {

std::string directives_text(const std::vector<Directive>& directives) {
  std::string out;
  std::string section;
  for (const auto& d : directives) {
    if (d.section != section) {
      out += (out.empty() ? "" : "\n") + ("[" + d.section + "]\n");
      section = d.section;
    }
    for (const auto& v : d.values) out += d.key + "=" + v + "\n";
  }
  return out;
}

Result<ScoreFunction> make_scorer(const unit::LoadedUnit& unit, const ProposeOptions& options) {
  if (options.scorer) return options.scorer;
  std::shared_ptr<const FileSystem> owned;
  const FileSystem* fs = options.fs;
  if (!fs) {
    owned = std::make_shared<RealFileSystem>();
    fs = owned.get();
  }
  std::string target = unit.fragment_path.empty() ? unit.name : unit.fragment_path;
  unit::LoadOptions load = options.load_options;
  load.version = options.version;
  std::string name = options.dropin_name;
  auto version = options.version;
  return ScoreFunction([owned, fs, target, load, name, version](const std::string& text) -> Result<Score> {
    unit::LoadOptions lo = load;
    if (!text.empty()) lo.extra_dropins.emplace_back(name, text);
    auto loaded = unit::load_unit(*fs, target, lo);
    if (!loaded) return fail(std::move(loaded.error()).with_context("scoring " + target + " with a candidate drop-in"));
    auto a = exposure::assess(loaded->settings, version);
    Score s;
    s.tenths = a.exposure_tenths;
    s.weights = 0;
    for (const auto& it : a.items) {
      if (!it.applicable) continue;
      s.sum += it.contribution();
      s.weights += it.weight;
    }
    if (s.weights == 0) s.weights = 1;
    return s;
  });
}

void update_allow_list_size(HardeningPlan& plan, unit::SystemdVersion version) {
  plan.syscalls.emitted = 0;
  for (const auto& d : plan.directives) {
    if (d.key != "SystemCallFilter" || d.values.empty()) continue;
    std::set<std::string> tokens;
    std::string cur;
    for (char ch : d.values.back() + " ") {
      if (ch == ' ') {
        if (!cur.empty()) tokens.insert(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    plan.syscalls.emitted = SyscallGroups::builtin(version).expand(tokens).size();
  }
}

Result<HardeningPlan> propose_plan(const unit::LoadedUnit& unit, const profile::Profile& profile,
                                   const ProposeOptions& options);

namespace {

// propose_plan(), and the better-scoring plan with the unit's helpers privileged.
Result<HardeningPlan> propose_with_helpers(const unit::LoadedUnit& unit, const profile::Profile& profile,
                                           const ProposeOptions& options);

// The unit's start, stop and reload helpers: Exec*= keys (ExecStart= aside)
// whose lines started process trees of their own, and the executables that
// ran only in those trees.
struct Helpers {
  std::map<std::string, std::set<std::string>> keys;  // key -> executables seen in its trees
  std::set<std::string> executables;
};

Helpers find_helpers(const unit::UnitSettings& u, const profile::Profile& profile) {
  Helpers h;
  std::vector<std::string> main;
  for (const auto& line : u.exec_start_raw)
    if (auto p = unit::exec_program(line)) main.push_back(*p);
  std::vector<std::pair<std::string, std::string>> helper_programs;  // (key, program)
  for (const auto& [key, lines] : u.exec_lines) {
    if (key == "ExecStart") continue;
    for (const auto& line : lines)
      if (!unit::unsandboxed_program(line))
        if (auto p = unit::exec_program(line)) helper_programs.emplace_back(key, *p);
  }
  if (helper_programs.empty()) return h;
  for (const auto& e : profile.executables) {
    if (e.started_by.empty() || profile::is_service_manager(e.path)) continue;
    std::set<std::string> keys;
    bool only_helpers = true;
    for (const auto& origin : e.started_by) {
      bool is_main = std::any_of(main.begin(), main.end(),
                                 [&](const std::string& m) { return profile::same_program(m, origin); });
      bool found = false;
      for (const auto& [key, program] : helper_programs)
        if (profile::same_program(program, origin)) keys.insert(key), found = true;
      if (is_main || !found) only_helpers = false;
    }
    if (!only_helpers) continue;
    h.executables.insert(e.path);
    for (const auto& k : keys) h.keys[k].insert(e.path);
  }
  return h;
}

// The name of a group id, as /etc/group has it, else the number.
std::string group_name(const SystemFacts& facts, uint32_t gid) {
  for (const auto& a : facts.accounts)
    if (a.gid == gid && !a.group.empty()) return a.group;
  return std::to_string(gid);
}

// A root plan made for a daemon that switches to its account itself
// (OwnSwitch): the same restrictions under User= that account, every Exec
// line of the unit keeping root's credentials with "!". Kept when it scores
// better; a refusal is recorded in the plan.
void apply_own_switch(const unit::LoadedUnit& unit, const profile::Profile& profile, HardeningPlan& plan,
                      const ProposeOptions& options, const ScoreFunction& scorer) {
  const unit::UnitSettings& u = unit.settings;
  if (u.dynamic_user || !rules::is_root_name(u.user) || options.waive_static_user_blockers || !options.own_switch)
    return;
  if (std::any_of(plan.directives.begin(), plan.directives.end(),
                  [](const Directive& d) { return d.key == "User" || d.key == "DynamicUser"; }))
    return;
  std::vector<std::string> main;
  for (const auto& line : u.exec_start_raw)
    if (auto p = unit::exec_program(line)) main.push_back(*p);
  Evidence ev = digest(profile);
  OwnSwitch own = analyse_own_switch(ev, options.facts, main);
  const std::string rule = "user-own-switch";
  if (!own.account) {
    if (!own.refused.empty()) plan.not_set.push_back({"User= with \"!\" on the Exec lines", own.refused, rule});
    return;
  }
  const Account& a = *own.account;
  HardeningPlan alt = plan;
  std::vector<Directive> added;
  added.push_back(Directive{
      "Service", "User", {a.name},
      fmt::format("{} switches to {} itself and no process of it keeps a root user id after start-up ({}); the Exec "
                  "lines below keep root's credentials (\"!\"), so it starts as before, while what systemd makes for "
                  "the unit and its other processes are {}'s",
                  own.who, a.name, ev.scope(), a.name),
      rule});
  uint32_t gid = own.group.value_or(a.gid);
  added.push_back(Directive{"Service", "Group", {group_name(options.facts, gid)},
                            own.group ? "the group it switches to itself" : a.name + "'s primary group", rule});
  for (const auto& entry : u.exec_lines) {
    // Named references, not a structured binding: the lambda below captures
    // the key, which clang before 16 refuses for bindings.
    const std::string& key = entry.first;
    const std::vector<std::string>& lines = entry.second;
    std::vector<std::string> kept;
    for (const auto& line : lines) kept.push_back(unit::credentials_kept_exec_line(line));
    if (kept == lines) continue;  // every line runs privileged already
    auto planned = std::find_if(alt.directives.begin(), alt.directives.end(),
                                [&](const Directive& d) { return d.key == key; });
    if (planned != alt.directives.end()) {
      // A rule re-listed them already (the helpers' "+"): mark those that still need it.
      for (auto& v : planned->values)
        if (!v.empty()) v = unit::credentials_kept_exec_line(v);
      planned->justification += "; \"!\" keeps root's credentials under User=";
      continue;
    }
    std::vector<std::string> values = {""};
    values.insert(values.end(), kept.begin(), kept.end());
    added.push_back(Directive{"Service", key, values,
                              fmt::format("the unit's own {}= lines, re-listed with \"!\": root's credentials, as "
                                          "before User=",
                                          key),
                              rule});
  }
  if (!u.remove_ipc && !ev.flag("sysv_ipc") &&
      std::none_of(alt.directives.begin(), alt.directives.end(), [](const Directive& d) { return d.key == "RemoveIPC"; }))
    added.push_back(Directive{"Service", "RemoveIPC", {"yes"},
                              fmt::format("no SysV IPC object used ({}); under User= it applies", ev.scope()),
                              "remove-ipc"});
  alt.directives.insert(alt.directives.begin(), added.begin(), added.end());
  auto before = scorer(directives_text(plan.directives));
  auto after = scorer(directives_text(alt.directives));
  if (!before || !after || !(*after < *before)) return;
  alt.exposure_after_tenths = after->tenths;
  // The account is refused only as the start's identity now.
  for (auto& n : alt.not_set)
    if (n.rule == "user" && n.directive == "User=" + a.name) n.directive = "User=" + a.name + " from the start";
  if (alt.beyond_dropin && alt.beyond_dropin->exposure_tenths >= alt.exposure_after_tenths) alt.beyond_dropin.reset();
  plan = std::move(alt);
}

}  // namespace

Result<HardeningPlan> propose(const unit::LoadedUnit& unit, const profile::Profile& profile,
                              const ProposeOptions& options) {
  auto plan = propose_with_helpers(unit, profile, options);
  if (!plan || options.waive_static_user_blockers) return plan;
  auto scorer = make_scorer(unit, options);
  if (!scorer) return fail(scorer.error());
  apply_own_switch(unit, profile, *plan, options, *scorer);
  plan->host_changes = host_owner_changes(*plan, unit.settings, options.facts);
  if (Evidence ev = digest(profile); ev.flag("uid_change") && ev.uid_targets.size() == 1)
    if (const Account* a = options.facts.account(*ev.uid_targets.begin()))
      plan->own_user_option = own_user_option(unit, options.facts, a->name).value_or("");
  if (auto ok = check_reads_back(*plan); !ok) return fail(ok.error());
  return plan;
}

namespace {

Result<HardeningPlan> propose_with_helpers(const unit::LoadedUnit& unit, const profile::Profile& profile,
                                         const ProposeOptions& options) {
  auto plan = propose_plan(unit, profile, options);
  if (!plan || !options.privileged_helpers) return plan;
  Helpers helpers = find_helpers(unit.settings, profile);
  if (helpers.keys.empty()) return plan;
  // The same unit with those lines privileged: what they do no longer binds
  // the sandbox, nor a static User=.
  unit::LoadedUnit privileged = unit;
  for (const auto& [key, exes] : helpers.keys) {
    auto& lines = privileged.settings.exec_lines[key];
    for (auto& line : lines) {
      line = unit::privileged_exec_line(line);
      if (auto p = unit::exec_program(line)) privileged.settings.unsandboxed_commands[key].push_back(*p);
    }
  }
  ProposeOptions o = options;
  o.privileged_helpers = false;
  auto alt = propose_plan(privileged, profile, o);
  if (!alt || alt->exposure_after_tenths < 0 || alt->exposure_after_tenths >= plan->exposure_after_tenths) return plan;
  // The re-listed lines go first (a rule that re-lists the same key itself,
  // the static user's PID file, has the privileged lines already).
  std::vector<Directive> relisted;
  const bool has_user = std::any_of(alt->directives.begin(), alt->directives.end(),
                                    [](const Directive& d) { return d.key == "User"; });
  for (const auto& helper : helpers.keys) {
    const std::string& key = helper.first;  // (a binding cannot be captured before clang 16)
    const std::set<std::string>& exes = helper.second;
    bool emitted = std::any_of(alt->directives.begin(), alt->directives.end(),
                               [&](const Directive& d) { return d.key == key; });
    if (emitted) continue;
    std::vector<std::string> values = {""};
    const auto& lines = privileged.settings.exec_lines[key];
    values.insert(values.end(), lines.begin(), lines.end());
    relisted.push_back(Directive{
        "Service", key, values,
        fmt::format("the unit's own {}= lines, re-listed with \"+\": {} run{} there with full privileges, as before, "
                    "so the sandbox{} fit{} the daemon alone ({} -> {} against keeping them inside)",
                    key, who(exes), exes.size() == 1 ? "s" : "", has_user ? " and User=" : "", has_user ? "" : "s",
                    fmt::format("{}.{}", plan->exposure_after_tenths / 10, plan->exposure_after_tenths % 10),
                    fmt::format("{}.{}", alt->exposure_after_tenths / 10, alt->exposure_after_tenths % 10)),
        "helpers"});
  }
  alt->directives.insert(alt->directives.begin(), relisted.begin(), relisted.end());
  return alt;
}

}  // namespace

Result<HardeningPlan> propose_plan(const unit::LoadedUnit& unit, const profile::Profile& profile,
                                   const ProposeOptions& options) {
  HardeningPlan plan;
  plan.unit = unit.name;
  plan.systemd_version = unit::to_string(options.version);
  plan.runs = profile.runs;
  plan.events = profile.events;
  plan.lost_events = profile.lost_events;
  if (!profile.complete()) {
    std::string msg = fmt::format(
        "the profile lost {} of {} events: anything the daemon did may be missing, so the drop-in could forbid it",
        thousands(profile.lost_events), thousands(profile.events + profile.lost_events));
    if (!options.allow_incomplete_profile) return fail("incomplete profile: " + msg);
    plan.warnings.push_back("INCOMPLETE PROFILE: " + msg);
  }
  if (profile.executables.empty()) return fail("the profile observed no executable");

  auto scorer = make_scorer(unit, options);
  if (!scorer) return fail(scorer.error());
  auto before = (*scorer)("");
  if (!before) return fail(std::move(before.error()).with_context("scoring " + unit.name + " as it is"));
  plan.exposure_before_tenths = before->tenths;
  Score current = *before;

  // Lines prefixed "+" run outside the sandbox: what they do (the kill of an
  // ExecReload=+/bin/kill) is no reason to keep a restriction.
  profile::Profile sandboxed = profile;
  std::map<std::string, std::string> unsandboxed;
  for (const auto& [key, exes] : unit.settings.unsandboxed_commands)
    for (const auto& exe : exes) unsandboxed[exe] = key;
  // Programs that also run from a line inside the sandbox (the daemon's own
  // binary in "ExecReload=+/usr/sbin/sshd -t" and "ExecStart=/usr/sbin/sshd
  // -D"): a process tree that began with one of them may be the daemon, so
  // its events stay.
  const std::vector<std::string> sandboxed_programs = unit::sandboxed_programs(unit.settings.exec_lines);
  auto exempt_program = [&](const std::string& path) -> const std::string* {
    if (std::any_of(sandboxed_programs.begin(), sandboxed_programs.end(),
                    [&](const std::string& p) { return profile::same_program(path, p); }))
      return nullptr;
    for (const auto& [exe, key] : unsandboxed)
      if (profile::same_program(path, exe)) return &key;
    return nullptr;
  };
  // The program itself, or a process tree only "+" lines started (what a
  // privileged helper script runs is privileged too).
  auto exempt = [&](const profile::ExecutableProfile& e) -> const std::string* {
    // Known trees decide; the program alone only for profiles without them.
    if (e.started_by.empty()) return exempt_program(e.path);
    const std::string* key = nullptr;
    for (const auto& origin : e.started_by)
      if (!(key = exempt_program(origin))) return nullptr;
    return key;
  };
  std::map<std::string, std::string> exempted;
  std::erase_if(sandboxed.executables, [&](const profile::ExecutableProfile& e) {
    const std::string* key = exempt(e);
    if (key) exempted[e.path] = "runs from " + *key + "=+, outside the sandbox";
    return key != nullptr;
  });
  Evidence ev = digest(sandboxed);
  ev.ignored_executables.insert(exempted.begin(), exempted.end());
  plan.not_counted = ev.ignored_executables;
  for (const auto& [what, why] : ev.unnameable) plan.not_set.push_back({what, "not granted, because: " + why, "unnameable"});
  plan.syscalls.observed_all = ev.syscalls_all.size();
  plan.syscalls.observed_startup = ev.syscalls_startup.size();
  plan.syscalls.observed_serving = ev.syscalls_serving.size();
  if (!ev.syscalls_serving.empty()) {
    plan.syscalls.emitted_serving =
        SyscallGroups::builtin(options.version).expand(syscall_allow_list(ev.syscalls_serving, options.version)).size();
  }

  // A daemon that starts login sessions passes its sandbox on to them.
  SessionEvidence sessions = recognise_sessions(ev, options.facts);
  if (options.waive_sessions) sessions = {};
  if (sessions.starts_sessions) generalise_homes(ev);
  std::vector<std::string> kept_for_sessions;
  // Clients of a socket-activated service come through its socket units.
  std::optional<std::vector<unit::ListenSocket>> activation;
  if (ev.socket_activated) {
    RealFileSystem real;
    activation = unit::activating_sockets(options.fs ? *options.fs : real, unit, options.load_options);
  }
  for (const auto& rule : knowledge_base()) {
    Context ctx{ev, unit.settings, plan.directives, options.version, options.facts,
                options.waive_static_user_blockers, activation, options.static_user_refused};
    RuleOutcome out;
    try {
      out = rule.decide(ctx);
    } catch (const std::logic_error& e) {
      // A value the rule could not write (rules.h, written_paths): the rule
      // adds nothing rather than a line systemd would read otherwise.
      plan.not_set.push_back({rule.id, std::string("not proposed: ") + e.what(), rule.id});
      continue;
    }
    // Each line carries the rule that chose it (its id is written once, in
    // the rule's row); the table test holds every key to the rule's `keys`.
    for (auto& o : out.options)
      for (auto& d : o.directives) d.rule = rule.id;
    for (auto& n : out.not_set) n.rule = rule.id;
    // Nothing the target's systemd would ignore (a newer directive or value).
    std::erase_if(out.options, [&](const Option& o) {
      for (const auto& d : o.directives)
        if (auto why = unknown_to_release(d, options.version)) {
          plan.not_set.push_back({d.key + "=" + (d.values.empty() ? "" : d.values.back()), *why, rule.id});
          return true;
        }
      return false;
    });
    // What implies NoNewPrivileges= (the directive registry says which)
    // would take its setuid programs' privileges from an unprivileged service.
    if (auto blocker = ctx.nnp_blocker()) {
      std::set<std::string> refused;
      std::erase_if(out.options, [&](const Option& o) {
        auto d = std::find_if(o.directives.begin(), o.directives.end(),
                              [](const Directive& x) { return unit::implies_no_new_privileges(x.key); });
        if (d == o.directives.end()) return false;
        if (refused.insert(d->key).second) {
          // A single-word value names the choice; a list would say nothing more.
          std::string value = d->values.empty() ? "" : d->values.back();
          if (value.find(' ') != std::string::npos) value.clear();
          plan.not_set.push_back({d->key + "=" + value, *blocker, rule.id});
        }
        return true;
      });
    }
    if (sessions.starts_sessions) {
      std::vector<std::vector<Directive>*> lists;
      for (auto& opt : out.options) lists.push_back(&opt.directives);
      keep_sessions_whole(lists, sessions, plan.not_set, kept_for_sessions);
      std::erase_if(out.options, [](const Option& o) { return o.directives.empty(); });
    }
    for (auto& n : out.not_set) plan.not_set.push_back(std::move(n));
    const Option* best = nullptr;
    Score best_score;
    for (const auto& opt : out.options) {
      std::vector<Directive> trial = plan.directives;
      trial.insert(trial.end(), opt.directives.begin(), opt.directives.end());
      auto s = (*scorer)(directives_text(trial));
      if (!s) return fail(std::move(s.error()).with_context("rule " + rule.id));
      if (!best || *s < best_score || (*s == best_score && opt.forbids < best->forbids)) {
        best = &opt;
        best_score = *s;
      }
    }
    if (!best) continue;
    if (best_score < current || (best->required && !(current < best_score))) {
      plan.directives.insert(plan.directives.end(), best->directives.begin(), best->directives.end());
      current = best_score;
    }
  }
  plan.exposure_after_tenths = current.tenths;
  update_allow_list_size(plan, options.version);

  // A static User= refused for reasons outside the drop-in's reach (a socket
  // in root's /run, a wrapper that insists on root): what would it give?
  bool has_user = std::any_of(plan.directives.begin(), plan.directives.end(),
                              [](const Directive& d) { return d.key == "User" || d.key == "DynamicUser"; });
  auto refused = std::find_if(plan.not_set.begin(), plan.not_set.end(), [](const NotSet& n) {
    return n.rule == "user" && n.directive.rfind("User=", 0) == 0;
  });
  if (options.beyond_dropin && !options.waive_static_user_blockers && !has_user && refused != plan.not_set.end()) {
    ProposeOptions what_if = options;
    what_if.waive_static_user_blockers = true;
    auto alt = propose_plan(unit, profile, what_if);
    std::string user = refused->directive.substr(5);
    if (alt && alt->exposure_after_tenths >= 0 && alt->exposure_after_tenths < plan.exposure_after_tenths &&
        std::any_of(alt->directives.begin(), alt->directives.end(),
                    [&](const Directive& d) { return d.key == "User" && d.values.back() == user; })) {
      BeyondDropin b;
      b.change = "started as " + user;
      b.user = user;
      b.exposure_tenths = alt->exposure_after_tenths;
      for (auto part : split(refused->reason, ';')) {
        while (!part.empty() && part.front() == ' ') part.erase(0, 1);
        if (!part.empty()) b.blockers.push_back(part);
      }
      alt->beyond_dropin.reset();
      alt->host_changes = host_owner_changes(*alt, unit.settings, options.facts);
      b.trial = std::make_shared<const HardeningPlan>(std::move(*alt));
      plan.beyond_dropin = std::move(b);
    }
  }
  // A daemon that starts login sessions keeps out of its drop-in what the
  // sessions need; configured to serve none (anonymous or virtual users
  // only), what would it give?
  if (options.beyond_dropin && !options.waive_static_user_blockers && !options.waive_sessions &&
      sessions.starts_sessions) {
    ProposeOptions what_if = options;
    what_if.waive_sessions = true;
    auto alt = propose_plan(unit, profile, what_if);
    int best = plan.beyond_dropin ? plan.beyond_dropin->exposure_tenths : plan.exposure_after_tenths;
    if (alt && alt->exposure_after_tenths >= 0 && alt->exposure_after_tenths < best) {
      BeyondDropin b;
      b.change = "serving no login accounts (no PAM session, no switch to a login user)";
      b.exposure_tenths = alt->exposure_after_tenths;
      b.blockers.push_back("the login sessions it starts: " + sessions.why);
      plan.beyond_dropin = std::move(b);
    }
  }
  return plan;
}

Result<int> score_plan(const unit::LoadedUnit& unit, const HardeningPlan& plan, const ProposeOptions& options) {
  auto scorer = make_scorer(unit, options);
  if (!scorer) return fail(scorer.error());
  auto s = (*scorer)(directives_text(plan.directives));
  if (!s) return fail(s.error());
  return s->tenths;
}

}  // namespace sdh::synth
