// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/bisect.h"
#include "util/linux_names.h"
#include "util/strings.h"
#include "verify/controls.h"

#include "unit/directives.h"
#include "unit/semantics.h"

#include <errno.h>
#include <string.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sdh::verify {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kTraceDropin = "90-sdharden-trace.conf";

// First command line of `systemctl show -p ExecStart`:
// "{ path=/usr/bin/x ; argv[]=/usr/bin/x -a b ; ignore_errors=no ; ... }"
std::string exec_start_argv(const std::string& shown) {
  auto at = shown.find("argv[]=");
  if (at == std::string::npos) return "";
  auto end = shown.find(" ;", at);
  return shown.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}

// Runs the service once under strace with `dropin_text` and returns the
// denials it saw (empty when tracing is impossible there).
std::vector<DeniedOperation> traced_run(const systemd::HostFactory& factory, const VerifyOptions& options,
                                        const std::string& dropin_text, int* runs) {
  auto host = factory();
  if (!host) return {};
  ++*runs;
  auto& h = **host;
  if (!prepare_host(h, options)) return {};
  (void)h.daemon_reload();
  auto props = h.show(options.unit, {"ExecStart"});
  std::string argv = props ? exec_start_argv((*props)["ExecStart"]) : "";
  if (argv.empty()) return {};
  (void)h.run(fmt::format("mkdir -p -m 1777 {}", run_paths().trace_folder), 10s);
  // -D keeps the service's own PID as main PID (Type=forking still works).
  std::string trace = fmt::format(
      "[Service]\nExecStart=\nExecStart=/usr/bin/strace -D -f -qq -o {}/trace -- {}\nReadWritePaths=-{}\n",
      run_paths().trace_folder, argv, run_paths().trace_folder);
  // strace runs inside the sandbox too: a syscall filter must let its own
  // calls through, or the trace shows nothing (the service's refused calls
  // still fail, with SystemCallErrorNumber= or SIGSYS, and are seen).
  if (dropin_text.find("\nSystemCallFilter=") != std::string::npos)
    trace += "SystemCallFilter=ptrace process_vm_readv\n";
  if (!dropin_text.empty()) (void)h.install_dropin(options.unit, kDropinName, dropin_text);
  (void)h.install_dropin(options.unit, kTraceDropin, trace);
  (void)h.daemon_reload();
  (void)h.start(options.unit);
  std::this_thread::sleep_for(options.settle);
  (void)h.run(options.check, options.check_timeout);
  if (!options.workload.empty()) (void)h.run(options.workload, options.workload_timeout);
  (void)h.stop(options.unit);
  auto out = h.run(fmt::format("grep -hE '= -1 E(PERM|ACCES|AFNOSUPPORT|ROFS|NOSYS)|SIGSYS|unfinished' {}/trace*",
                               run_paths().trace_folder), 30s);
  (void)h.run("rm -rf " + run_paths().trace_folder, 10s);
  (void)h.shutdown();
  if (!out) return {};
  return traced_denials(out->out);
}

}  // namespace

std::vector<size_t> ddmin(size_t n, const std::function<bool(const std::vector<size_t>&)>& fails) {
  std::vector<size_t> c(n);
  for (size_t i = 0; i < n; ++i) c[i] = i;
  size_t parts = 2;
  while (c.size() > 1) {
    parts = std::min(parts, c.size());
    std::vector<std::vector<size_t>> chunks(parts);
    for (size_t i = 0; i < c.size(); ++i) chunks[i * parts / c.size()].push_back(c[i]);
    bool reduced = false;
    for (const auto& chunk : chunks)
      if (fails(chunk)) {
        c = chunk;
        parts = 2;
        reduced = true;
        break;
      }
    if (!reduced && parts > 2) {
      for (size_t k = 0; k < chunks.size(); ++k) {
        std::vector<size_t> complement;
        for (size_t j = 0; j < chunks.size(); ++j)
          if (j != k) complement.insert(complement.end(), chunks[j].begin(), chunks[j].end());
        std::sort(complement.begin(), complement.end());
        if (fails(complement)) {
          c = complement;
          parts = std::max<size_t>(parts - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (reduced) continue;
    if (parts >= c.size()) break;
    parts = std::min(parts * 2, c.size());
  }
  return c;
}

namespace {

// Keys that only widen what a restriction of the same drop-in allows, or
// prepare for it (AmbientCapabilities= for a static User=, an ExecStartPre=+
// that creates a file for that user, Exec lines re-listed with "!" or "+"
// to keep root's credentials; Exec lines also stay in their order).
bool only_grants(const std::string& key) {
  return unit::only_widens(key) || unit::is_exec_command("Service", key);
}

// The errnos a sandbox answers with: a filter's (EPERM by default, or
// SystemCallErrorNumber=), a hidden or read-only path's, a refused family's.
bool refused_errno(int e) {
  return e == EPERM || e == EACCES || e == EROFS || e == EAFNOSUPPORT || e == ENOSYS;
}

}  // namespace

std::vector<DeniedOperation> profile_denials(const profile::Profile& baseline, const profile::Profile& hardened,
                                             bool refusals_only) {
  std::set<std::tuple<std::string, std::string, int, std::string>> before;
  for (const auto& e : baseline.executables)
    for (const auto& f : e.failures) before.insert({e.path, f.operation, f.error, f.detail});
  std::vector<DeniedOperation> out;
  std::set<std::string> seen;
  for (const auto& e : hardened.executables) {
    if (profile::is_service_manager(e.path)) continue;
    for (const auto& f : e.failures) {
      if ((refusals_only && !refused_errno(f.error)) || before.count({e.path, f.operation, f.error, f.detail}))
        continue;
      DeniedOperation op;
      op.operation = f.detail.empty() ? f.operation : fmt::format("{}({})", f.operation, f.detail);
      op.error = errno_name(f.error);
      op.source = "profile";
      op.evidence = e.path + ": " + op.operation + " -> " + op.error;
      op.syscall = f.operation;
      if (!f.detail.empty() && f.detail[0] == '/') op.path = f.detail;
      if (f.detail.rfind("AF_", 0) == 0) op.family = f.detail.substr(0, f.detail.find_first_of(" ,"));
      if (seen.insert(op.key()).second) out.push_back(std::move(op));
    }
  }
  return out;
}

Result<BisectResult> bisect_dropin(const VerifyOptions& options, const systemd::HostFactory& factory,
                                   const BisectOptions& bisect_options) {
  auto started = Clock::now();
  BisectResult result;
  auto parsed = parse_dropin(options.dropin_text);
  if (!parsed) return fail(std::move(parsed.error()).with_context("parsing the drop-in"));
  // Entry by entry where each entry restricts: the culprit is then the path
  // that matters, not the whole list.
  const std::vector<Directive> directives = one_entry_per_line(*parsed);

  // Directives that only grant (ReadWritePaths= under ProtectSystem=,
  // IPAddressAllow= under IPAddressDeny=...) ride along in every trial:
  // without them a restriction fails for a reason the drop-in never had.
  std::vector<size_t> restricting, granting;
  for (size_t i = 0; i < directives.size(); ++i) (only_grants(directives[i].key) ? granting : restricting).push_back(i);

  std::map<std::vector<size_t>, RunOutcome> cache;
  // Trials run the workload only when the whole drop-in failed there: a
  // failure at start or check needs no workload to reproduce (memcached's
  // takes 20 s).
  VerifyOptions trial_options = options;
  trial_options.containment_battery = false;  // trials only tell whether the service works
  Error infra;
  bool infra_failed = false;
  // `subset` indexes `restricting`; the empty subset is the bare unit.
  auto outcome = [&](const std::vector<size_t>& subset) -> const RunOutcome& {
    auto it = cache.find(subset);
    if (it != cache.end()) return it->second;
    std::vector<Directive> chosen;
    for (size_t i : subset) chosen.push_back(directives[restricting[i]]);
    if (!subset.empty())
      for (size_t i : granting) chosen.push_back(directives[i]);
    RunOutcome run;
    auto host = factory();
    if (!host) {
      infra = host.error();
      infra_failed = true;
      run.failure = "cannot create a host";
    } else {
      ++result.runs;
      run = run_service(**host, trial_options, subset.empty() ? "" : render_dropin(chosen));
      (void)(*host)->shutdown();
    }
    return cache.emplace(subset, std::move(run)).first->second;
  };
  auto fails = [&](const std::vector<size_t>& subset) { return !infra_failed && !outcome(subset).ok(); };

  std::vector<size_t> all(restricting.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto& baseline = outcome({});
  if (infra_failed) return fail(std::move(infra).with_context("bisect"));
  if (!baseline.ok())
    return fail("the service fails even without the drop-in (" + baseline.failure + "): nothing to bisect");
  const auto& full = outcome(all);
  result.full_dropin_fails = !full.ok();
  result.full_failure = full.failure;
  if (!full.ok() && !full.failed_in_workload) trial_options.workload.clear();
  if (!result.full_dropin_fails || restricting.empty()) {
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
  }
  auto minimal = ddmin(restricting.size(), fails);
  if (infra_failed) return fail(std::move(infra).with_context("bisect"));
  for (size_t i : minimal) result.culprit.push_back(directives[restricting[i]]);
  const auto& culprit_run = outcome(minimal);
  result.culprit_failure = culprit_run.failure;
  result.journal_tail = last_lines(culprit_run.journal, 8);

  // Name the denied operation: the kernel's seccomp audit lines first (exact
  // syscall), then a trace of the service (the failing call and its
  // arguments), then the journal's words.
  result.denied = seccomp_kills(culprit_run.kernel_log);
  if (!result.denied.empty()) result.diagnosis_method = "kernel audit";
  if (result.denied.empty() && bisect_options.trace) {
    std::vector<Directive> with_grants = result.culprit;
    for (size_t i : granting) with_grants.push_back(directives[i]);
    auto hardened = traced_run(factory, trial_options, render_dropin(with_grants), &result.runs);
    auto plain = traced_run(factory, trial_options, "", &result.runs);
    result.denied = without_fallbacks(only_in(hardened, plain), result.fallbacks);
    if (!result.denied.empty()) result.diagnosis_method = "trace";
  }
  if (result.denied.empty()) {
    result.denied = without_fallbacks(
        only_in(journal_denials(culprit_run.journal), journal_denials(baseline.journal)), result.fallbacks);
    if (!result.denied.empty()) result.diagnosis_method = "journal";
  }
  // The trial's own profile: a call a filter refused still returns, with the
  // filter's errno, and the profiler saw it (strace cannot run where the
  // filter refuses ptrace).
  if (result.denied.empty() && culprit_run.profile && baseline.profile) {
    result.denied = without_fallbacks(profile_denials(*baseline.profile, *culprit_run.profile), result.fallbacks);
    if (!result.denied.empty()) result.diagnosis_method = "profile";
  }
  // No refusal at all: what failed only under the culprit (PrivateNetwork=
  // leaves no interface to read, a hidden folder no file to open) names
  // what the directive took away.
  if (result.denied.empty() && culprit_run.profile && baseline.profile) {
    result.denied = without_fallbacks(profile_denials(*baseline.profile, *culprit_run.profile, false), result.fallbacks);
    if (!result.denied.empty()) result.diagnosis_method = "profile, failed only under the culprit";
  }
  // Nothing failed that the profile saw: what the daemon said before it
  // went, in its own words, and never said without the culprit.
  if (result.denied.empty()) {
    result.denied = journal_words(culprit_run.journal, baseline.journal);
    if (!result.denied.empty()) result.diagnosis_method = "journal, the daemon's own words";
  }
  // A refusal named by the kernel, a trace or the journal is evidence enough;
  // anything less must hold again before it costs a directive.
  const bool refusal_named = result.diagnosis_method == "kernel audit" || result.diagnosis_method == "trace" ||
                             result.diagnosis_method == "journal";
  if (!refusal_named && bisect_options.confirm_runs > 0) {
    // Nothing names what the culprit denies, or only the profile's refusals
    // do (a daemon may refuse itself things in passing): before it costs a
    // directive, the blame must hold again, with and without it.
    int culprit_failed = 1, bare_passed = 1;
    std::vector<Directive> chosen;
    for (size_t i : minimal) chosen.push_back(directives[restricting[i]]);
    for (size_t i : granting) chosen.push_back(directives[i]);
    for (int k = 0; k < bisect_options.confirm_runs; ++k)
      for (bool with : {true, false}) {
        auto host = factory();
        if (!host) return fail(std::move(host.error()).with_context("bisect: confirming the culprit"));
        ++result.runs;
        auto run = run_service(**host, trial_options, with ? render_dropin(chosen) : "");
        (void)(*host)->shutdown();
        if (with && !run.ok()) ++culprit_failed;
        if (!with && run.ok()) ++bare_passed;
      }
    const int total = bisect_options.confirm_runs + 1;
    result.confirmed = culprit_failed == total && bare_passed == total;
    result.confirmation = fmt::format("the culprit failed {} of {} runs, the unit without a drop-in passed {} of {}",
                                      culprit_failed, total, bare_passed, total);
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

std::string bisect_to_text(const BisectResult& r) {
  if (!r.full_dropin_fails)
    return fmt::format("the service works with the whole drop-in: nothing to bisect ({} runs, {:.1f} s)\n", r.runs,
                       r.seconds);
  std::string out = fmt::format("the drop-in breaks the service: {}\n", r.full_failure);
  out += fmt::format("smallest failing set ({} of the drop-in's directives):\n", r.culprit.size());
  for (const auto& d : r.culprit) out += fmt::format("  {}    (line {})\n", d.assignment(), d.line);
  out += "  alone it fails: " + r.culprit_failure + "\n";
  if (!r.confirmation.empty())
    out += fmt::format("culprit {}: {}\n", r.confirmed ? "confirmed" : "NOT CONFIRMED", r.confirmation);
  if (r.denied.empty()) {
    out += "denied operation: not identified (no seccomp audit line, no trace, no telling journal line)\n";
  } else {
    out += fmt::format("denied operation(s), from the {}:\n", r.diagnosis_method);
    size_t shown = 0;
    for (const auto& d : r.denied) {
      if (++shown > 8) break;
      out += fmt::format("  {} -> {}\n", d.operation, d.error);
      if (d.source == "journal") out += "      " + d.evidence + "\n";
    }
  }
  for (const auto& d : r.fallbacks)
    out += fmt::format("  not blamed: {} -> {} (the service then {})\n", d.operation, d.error, documented_fallback(d));
  out += fmt::format("{} runs in {:.1f} s\n", r.runs, r.seconds);
  return out;
}

std::string bisect_to_json(const BisectResult& r) {
  nlohmann::ordered_json j;
  j["full_dropin_fails"] = r.full_dropin_fails;
  j["full_failure"] = r.full_failure;
  j["culprit"] = nlohmann::ordered_json::array();
  for (const auto& d : r.culprit)
    j["culprit"].push_back({{"section", d.section}, {"key", d.key}, {"value", d.value}, {"line", d.line}});
  j["culprit_failure"] = r.culprit_failure;
  j["diagnosis_method"] = r.diagnosis_method;
  j["confirmed"] = r.confirmed;
  if (!r.confirmation.empty()) j["confirmation"] = r.confirmation;
  j["denied"] = nlohmann::ordered_json::array();
  for (const auto& d : r.denied)
    j["denied"].push_back({{"operation", d.operation}, {"error", d.error}, {"source", d.source}, {"evidence", d.evidence}});
  j["fallbacks"] = nlohmann::ordered_json::array();
  for (const auto& d : r.fallbacks)
    j["fallbacks"].push_back({{"operation", d.operation}, {"error", d.error}, {"instead", documented_fallback(d)}});
  j["runs"] = r.runs;
  j["seconds"] = r.seconds;
  return j.dump(2) + "\n";
}

}  // namespace sdh::verify
