#include "verify/harden_loop.h"

#include <algorithm>

#include <fmt/core.h>

#include "verify/controls.h"

namespace sdh::verify {

std::string remove_directives(const std::string& dropin, const std::vector<Directive>& drop,
                              const std::string& reason) {
  auto parsed = parse_dropin(dropin);
  if (!parsed) return dropin;
  std::vector<Directive> kept;
  for (const auto& d : *parsed) {
    bool gone = std::any_of(drop.begin(), drop.end(), [&](const Directive& x) {
      return x.key == d.key && x.value == d.value && x.section == d.section;
    });
    if (!gone) kept.push_back(d);
  }
  std::string header;
  for (const auto& d : drop) header += fmt::format("# relaxed: {} ({})\n", d.assignment(), reason);
  // Keep the previous relaxation notes.
  std::string old_notes;
  size_t pos = 0;
  while (pos < dropin.size()) {
    size_t end = dropin.find('\n', pos);
    std::string line = dropin.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (line.rfind("# relaxed: ", 0) == 0) old_notes += line + "\n";
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return render_dropin(kept, old_notes + header);
}

Result<HardenResult> harden_until_verified(const VerifyOptions& options, const systemd::HostFactory& factory,
                                           HardenSteps steps) {
  if (!steps.relax) steps.relax = remove_directives;
  HardenResult result;
  std::string dropin = options.dropin_text;
  for (result.iterations = 1; result.iterations <= steps.max_iterations; ++result.iterations) {
    VerifyOptions o = options;
    o.dropin_text = dropin;
    auto verdict = verify_dropin(o, factory);
    if (!verdict) return fail(verdict.error());
    result.verdict = *verdict;
    result.dropin = dropin;
    if (verdict->verified) {
      result.verified = true;
      return result;
    }
    if (!verdict->error.empty()) {
      result.error = verdict->error;
      return result;
    }
    auto parsed = parse_dropin(dropin);
    if (!parsed) return fail(parsed.error());
    std::vector<Directive> drop;
    std::string reason;
    bool service_broken = std::any_of(verdict->items.begin(), verdict->items.end(), [](const VerdictItem& i) {
      return i.stage == Stage::hardened && i.status == ItemStatus::failed;
    });
    if (service_broken) {
      auto b = bisect_dropin(o, factory, steps.bisect);
      if (!b) return fail(b.error());
      drop = b->culprit;
      reason = "breaks the service: " + b->culprit_failure;
      if (!b->denied.empty())
        reason = fmt::format("breaks the service: {} -> {}", b->denied[0].operation, b->denied[0].error);
      if (drop.empty()) {
        result.error = "the service fails under the drop-in, but no directive subset reproduces it (flaky check?)";
        return result;
      }
    } else {
      // The service works but something is not in effect: drop what is
      // claimed without being true.
      auto controls = plan_controls(*parsed);
      for (const auto& item : verdict->items) {
        if (item.status != ItemStatus::failed) continue;
        if (item.stage == Stage::directive) {
          for (const auto& d : *parsed)
            if (d.assignment() == item.name) drop.push_back(d);
        } else if (item.stage == Stage::negative_control) {
          for (const auto& c : controls)
            if (c.name == item.name)
              for (const auto& d : *parsed)
                if (std::find(c.directives.begin(), c.directives.end(), d.key) != c.directives.end())
                  drop.push_back(d);
        }
      }
      reason = "not in effect under this systemd";
      if (drop.empty()) {
        result.error = "verification failed for a reason no directive explains";
        return result;
      }
    }
    for (const auto& d : drop) result.relaxed.push_back({d.assignment(), reason});
    dropin = steps.relax(dropin, drop, reason);
  }
  result.error = fmt::format("not verified after {} iterations", steps.max_iterations);
  return result;
}

}  // namespace sdh::verify
