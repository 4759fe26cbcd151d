// The `auto` loop: verify a proposed drop-in; when the service breaks, bisect
// and drop the culprit directives (reason recorded); when a directive or a
// restriction is not in effect, drop it too; repeat until verified. The
// profile/propose/score steps are injected so the loop runs on FakeHosts.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "systemd/service_host.h"
#include "verify/bisect.h"
#include "verify/verify.h"

namespace sdh::verify {

struct Relaxed {
  std::string directive;  // "RestrictAddressFamilies=AF_UNIX"
  std::string reason;     // "breaks the service: socket(AF_INET...) -> EAFNOSUPPORT"
};

struct HardenResult {
  bool verified = false;
  std::string dropin;            // the final drop-in text
  Verdict verdict;               // of the final drop-in
  std::vector<Relaxed> relaxed;
  int iterations = 0;
  std::string error;
};

struct HardenSteps {
  // Drop-in text after removing `drop` (assignments as written) from `dropin`.
  std::function<std::string(const std::string& dropin, const std::vector<Directive>& drop,
                            const std::string& reason)> relax;
  BisectOptions bisect;
  int max_iterations = 8;
};

// Default relax: remove the directives' lines, annotate why as a comment.
std::string remove_directives(const std::string& dropin, const std::vector<Directive>& drop,
                              const std::string& reason);

Result<HardenResult> harden_until_verified(const VerifyOptions& options, const systemd::HostFactory& factory,
                                           HardenSteps steps = {});

}  // namespace sdh::verify
