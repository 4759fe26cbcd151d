// SPDX-License-Identifier: GPL-2.0-or-later
// Set-up shared by the commands that run a unit under a real systemd
// (verify, bisect, auto); defined in cmd_verify.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "systemd/service_host.h"
#include "verify/target.h"

namespace sdh::cli {

// The host factory for --in (a disposable container, or this host's systemd).
// "host" or "container"; a container boots `root` (this machine's, or an --os-tree).
systemd::HostFactory host_factory_for(const std::string& in, const std::string& root = "/");

// --file DEST=SRC (repeatable): local file SRC installed at DEST in the
// host before the first start (configuration, a zone, a test server).
void add_file_option(CLI::App& cmd, std::vector<std::string>& specs);
systemd::Status read_extra_files(const std::vector<std::string>& specs, verify::VerifyOptions& target);

// A profiler for the silent-fallback comparison, or null when this build or
// this machine cannot profile (no eBPF back-end, not root).
std::shared_ptr<verify::RunObserver> make_profiler_observer();

// Whether a path exists on this machine (lstat: a dangling link counts), for
// telling where a verifying container differs when the unit fails there.
bool exists_on_machine(const std::string& path);

}  // namespace sdh::cli
