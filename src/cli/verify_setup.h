// Set-up shared by the commands that run a unit under a real systemd
// (verify, bisect, auto); defined in cmd_verify.cc.
#pragma once

#include <memory>
#include <string>

#include "systemd/service_host.h"
#include "verify/target.h"

namespace sdh::cli {

// The host factory for --in (a disposable container, or this host's systemd).
systemd::HostFactory host_factory_for(const std::string& in);

// A profiler for the silent-fallback comparison, or null when this build or
// this machine cannot profile (no eBPF back-end, not root).
std::shared_ptr<verify::RunObserver> make_profiler_observer();

}  // namespace sdh::cli
