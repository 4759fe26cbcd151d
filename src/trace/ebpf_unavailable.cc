// SPDX-License-Identifier: GPL-2.0-or-later
// Built when SDHARDEN_BPF is OFF (e.g. the sanitizer build): no back-end.
#include "trace/tracer.h"

namespace sdh::trace {

bool ebpf_built() { return false; }

Result<std::unique_ptr<Tracer>> make_ebpf_tracer(const TracerOptions&) {
  return fail("the eBPF tracer is unavailable: sdharden was built with SDHARDEN_BPF=OFF");
}

}  // namespace sdh::trace
