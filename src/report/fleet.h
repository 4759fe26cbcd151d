// SPDX-License-Identifier: GPL-2.0-or-later
// A fleet from its hosts' audits (`sdharden audit --format json` on each,
// fetched to one place): every service across the hosts, worst first, and
// where a service is not the same everywhere. `sdharden report` renders it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/error.h"

namespace sdh::report {

struct FleetHost {
  std::string name;       // the audit's host (or its file name when it has none); with the
                          // machine id's first 8 digits when another host has that name
  std::string machine_id; // "" when the audit has none
  std::string file;       // where the audit was read from
  std::string systemd;    // the table it was scored with
  std::string generated_at;
  int services = 0;
  int median_tenths = 0;
  int skipped = 0;
};

struct FleetService {
  std::string unit;                         // "nginx.service", "foo.service (user)"
  std::map<std::string, int> exposure;      // host -> tenths, for the hosts that have it
  std::map<std::string, std::string> path;  // host -> unit file
  int worst_tenths = 0;
  // Not the same everywhere: another exposure on some host, or missing from some.
  bool differs = false;
};

struct Fleet {
  std::vector<FleetHost> hosts;        // in the order given
  std::vector<FleetService> services;  // worst first, then by name
};

// One audit JSON per host. Hosts are told apart by machine id (cloned VMs
// share a host name); the same machine twice is an error (two files of one
// host), and so is one name twice where an audit has no machine id.
Result<Fleet> merge_audits(const std::vector<std::pair<std::string, std::string>>& files_and_texts);

std::string fleet_json(const Fleet& fleet);
// One self-contained page: per host a card, then the services table (one
// column per host, coloured by band, the rows that differ marked).
std::string fleet_html(const Fleet& fleet, const std::string& tool_version);

}  // namespace sdh::report
