// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target for the other untrusted texts sdharden reads: profile
// JSON (profile -o, --profile), drop-ins (--dropin, auto's own), policy
// files (--policy), and the strace, audit and journal text bisect reads
// from a service it does not trust. The first byte picks the reader, so the
// seed corpus (fuzz/corpus/inputs/) starts each seed with its selector.
#include <cstddef>
#include <cstdint>
#include <string>

#include "exposure/assess.h"
#include "harden/auto_loop.h"
#include "profile/profile.h"
#include "synth/synth.h"
#include "verify/diagnose.h"
#include "verify/dropin.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {  // a profile, round-tripped
      auto p = sdh::profile::profile_from_json(text);
      if (p) {
        auto again = sdh::profile::profile_from_json(sdh::profile::profile_to_json(*p));
        if (!again) __builtin_trap();  // what we write we must read back
        (void)sdh::profile::merge({*p, *again});
      }
      break;
    }
    case 1: {  // a drop-in
      auto d = sdh::verify::parse_dropin(text);
      if (d) {
        auto rendered = sdh::verify::render_dropin(*d);
        if (!sdh::verify::parse_dropin(rendered)) __builtin_trap();
      }
      auto j = sdh::harden::count_justified(text);
      if (j.justified > j.lines) __builtin_trap();
      (void)sdh::harden::mark_unverified(text, text);
      break;
    }
    case 2: {  // a policy file
      auto p = sdh::exposure::policy_from_json(text, "fuzz.json");
      if (p) (void)sdh::exposure::assess(sdh::unit::UnitSettings{}, sdh::unit::known_release(252), &*p);
      break;
    }
    default: {  // what a traced, failing service printed
      auto t = sdh::verify::traced_denials(text);
      auto k = sdh::verify::seccomp_kills(text);
      auto j = sdh::verify::journal_denials(text);
      (void)sdh::verify::only_in(t, j);
      (void)k;
      break;
    }
  }
  return 0;
}
