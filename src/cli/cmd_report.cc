// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden report AUDIT.json...: the audits of many hosts (`sdharden audit
// --format json` on each, e.g. fetched by contrib/ansible) as one fleet
// report, HTML or JSON.
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/command.h"
#include "report/fleet.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> audits;
  std::string format = "html";
  std::string output;
};

int run_report(const ReportArgs& args) {
  RealFileSystem fs;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& file : args.audits) {
    auto text = fs.read_file(file);
    if (!text) {
      fmt::print(stderr, "sdharden report: {}: {}\n", file, text.error().to_string());
      return kExitUsage;
    }
    inputs.emplace_back(file, std::move(*text));
  }
  auto fleet = report::merge_audits(inputs);
  if (!fleet) {
    fmt::print(stderr, "sdharden report: {}\n", fleet.error().to_string());
    return kExitUsage;
  }
  std::string out = args.format == "json" ? report::fleet_json(*fleet) : report::fleet_html(*fleet, SDHARDEN_VERSION);
  if (args.output.empty() || args.output == "-") {
    fmt::print("{}", out);
    return kExitOk;
  }
  if (auto w = sdh::write_file_atomically(args.output, out); !w) {
    fmt::print(stderr, "sdharden report: -o {}: {}\n", args.output, w.error().to_string());
    return kExitUsage;
  }
  size_t differ = 0;
  for (const auto& s : fleet->services) differ += s.differs;
  fmt::print(stderr, "report: wrote {} ({} hosts, {} services, {} not the same on every host)\n", args.output,
             fleet->hosts.size(), fleet->services.size(), differ);
  return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Merge the audits of many hosts (audit --format json) into one fleet report");
  cmd->add_option("audits", args->audits, "Audit JSON files, one per host")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", args->format, "html (one self-contained page) or json")
      ->check(CLI::IsMember({"html", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE (atomically) instead of stdout");
  cmd->footer("Exit codes: 0 report produced, 2 usage error, an unreadable or invalid audit, or a report that could "
              "not be written.");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return run_report(*args); }; });
}

}  // namespace sdh::cli
