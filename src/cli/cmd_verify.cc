#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

#include "cli/command.h"
#include "systemd/bus_host.h"
#include "systemd/container_host.h"
#include "systemd/process.h"
#include "util/fs.h"
#include "verify/target.h"
#include "verify/verify.h"

namespace sdh::cli {

namespace {

struct VerifyArgs {
  std::string unit;
  std::string dropin;
  std::string check;
  std::string in = "container";
  bool json = false;
  int settle_ms = 1500;
};

}  // namespace

// Shared by verify, bisect and auto: the host factory for --in.
systemd::HostFactory host_factory_for(const std::string& in) {
  if (in == "host") return systemd::host_factory();
  return systemd::container_factory();
}

void add_verify_command(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify", "Prove a drop-in under a real systemd: the service works, each directive is in effect, "
                "and each restriction really refuses what it should (negative controls)");
  cmd->add_option("unit", args->unit, "unit name or path to a unit file")->required();
  cmd->add_option("--dropin", args->dropin, "drop-in to verify")->required()->check(CLI::ExistingFile);
  cmd->add_option("--check", args->check, "shell command that must succeed while the service runs "
                                          "(runs inside the container)")->required();
  cmd->add_option("--in", args->in, "where to run: a disposable container (default) or this host's systemd")
      ->check(CLI::IsMember({"container", "host"}));
  cmd->add_option("--settle", args->settle_ms, "milliseconds the unit must stay up after starting");
  cmd->add_flag("--json", args->json, "print the verdict as JSON");
  cmd->footer("Exit codes: 0 verified, 1 verification failed, 2 usage error or the check fails "
              "even without the drop-in.");
  cmd->callback([args, &dispatch] {
    dispatch.action = [args]() -> int {
      RealFileSystem fs;
      auto target = verify::load_target(fs, args->unit, args->dropin, args->check);
      if (!target) {
        fmt::print(stderr, "sdharden verify: {}\n", target.error().to_string());
        return kExitUsage;
      }
      target->probe_binary = systemd::locate_helper("sdharden-probe");
      target->settle = std::chrono::milliseconds(args->settle_ms);
      // Mutation-test hook for the e2e suite: probes run without these directives.
      if (const char* omit = getenv("SDHARDEN_TEST_OMIT_FROM_PROBES")) target->omit_from_probes = {omit};
      auto verdict = verify::verify_dropin(*target, host_factory_for(args->in));
      if (!verdict) {
        fmt::print(stderr, "sdharden verify: {}\n", verdict.error().to_string());
        return kExitUsage;
      }
      if (args->json) fmt::print("{}", verify::verdict_to_json(*verdict));
      else fmt::print("{}", verify::verdict_to_text(*verdict));
      if (!verdict->error.empty()) {
        fmt::print(stderr, "sdharden verify: {}\n", verdict->error);
        return verdict->items.empty() || verdict->items[0].stage == verify::Stage::baseline ? kExitUsage
                                                                                              : kExitFailed;
      }
      return verdict->verified ? kExitOk : kExitFailed;
    };
  });
}

}  // namespace sdh::cli
