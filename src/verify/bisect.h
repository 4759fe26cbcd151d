// SPDX-License-Identifier: GPL-2.0-or-later
// bisect: delta debugging (ddmin) over a drop-in's directives down to the
// smallest set that still breaks the service, then the denied operation
// behind it. Written against ServiceHost; unit-tested with the FakeHost.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "systemd/service_host.h"
#include "verify/diagnose.h"
#include "verify/dropin.h"
#include "verify/verify.h"

namespace sdh::verify {

// Zeller's ddmin: a 1-minimal subset of {0..n-1} for which `fails` holds,
// assuming fails(all). Results of `fails` are cached by the caller's wish.
std::vector<size_t> ddmin(size_t n, const std::function<bool(const std::vector<size_t>&)>& fails);

struct BisectResult {
  bool full_dropin_fails = false;  // false: nothing to bisect
  std::string full_failure;        // how the whole drop-in fails
  std::vector<Directive> culprit;  // the minimal failing set
  std::string culprit_failure;     // how the culprit alone fails
  std::vector<DeniedOperation> denied;  // found only under the culprit
  // Refusals the service falls back from by design (documented_fallback):
  // shown, never blamed.
  std::vector<DeniedOperation> fallbacks;
  std::string diagnosis_method;    // "kernel audit", "trace", "journal", "profile"
  std::string journal_tail;
  // When no denied operation is named, the culprit is run again twice, and
  // the unit without any drop-in twice: a blame that does not hold in all of
  // them is not confirmed, and nothing may be relaxed on it.
  bool confirmed = true;
  std::string confirmation;  // how often each failed and passed
  int runs = 0;
  double seconds = 0;
};

struct BisectOptions {
  // Re-run the culprit under strace (when it lets ptrace through) to name the
  // failing call; off in unit tests.
  bool trace = true;
  // Extra runs of the culprit and of the bare unit when no operation is named.
  int confirm_runs = 2;
};

// Calls that failed with a refusal's errno (EPERM, EACCES, EROFS,
// EAFNOSUPPORT, ENOSYS) in `hardened` but never in `baseline`, by program,
// call, errno and detail; systemd's own set-up left out.
// With `refusals_only` false, every call that failed only under `hardened`,
// whatever its errno (an interface or a file absent in the culprit's view:
// ENODEV, ENOENT...): what names a failure no refusal explains.
std::vector<DeniedOperation> profile_denials(const profile::Profile& baseline, const profile::Profile& hardened,
                                             bool refusals_only = true);

Result<BisectResult> bisect_dropin(const VerifyOptions& options, const systemd::HostFactory& factory,
                                   const BisectOptions& bisect_options = {});

std::string bisect_to_text(const BisectResult& r);
std::string bisect_to_json(const BisectResult& r);

}  // namespace sdh::verify
