// sdharden score: the exposure of units, as `systemd-analyze security
// --offline=yes` computes it, with an explanation per assessor.
#include <fmt/core.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "exposure/assess.h"
#include "unit/loader.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

struct ScoreOptions {
  std::vector<std::string> units;
  bool json = false;
  std::optional<double> threshold;
  std::string systemd = "252";
  std::string root;
  std::string policy_file;
  bool user = false;
  bool quiet_items = false;
};

std::string resolve_argument(const std::string& arg, const FileSystem& fs, bool has_root) {
  if (arg.find('/') != std::string::npos) {
    if (arg[0] == '/' || has_root) return arg;
    std::error_code ec;
    auto abs = std::filesystem::absolute(arg, ec);
    return ec ? arg : abs.lexically_normal().string();
  }
  (void)fs;
  return arg;
}

void print_table(const unit::LoadedUnit& lu, const exposure::Assessment& a, bool quiet_items) {
  fmt::print("{} ({})\n", lu.name, lu.fragment_path);
  for (const auto& d : lu.dropin_paths) fmt::print("  drop-in: {}\n", d);
  if (!quiet_items) {
    fmt::print("  {:<2} {:<58} {:>7}  {}\n", "", "assessor", "points", "explanation");
    // Worst contributions first, like systemd-analyze; not applicable last.
    std::vector<const exposure::Item*> items;
    for (const auto& it : a.items) items.push_back(&it);
    std::stable_sort(items.begin(), items.end(), [](const auto* x, const auto* y) {
      if (x->applicable != y->applicable) return x->applicable;
      return x->contribution() > y->contribution();
    });
    for (const auto* it : items) {
      const char* mark = !it->applicable ? "-" : it->badness == 0 ? "ok" : "no";
      std::string pts = it->applicable ? fmt::format("{}", it->contribution()) : "n/a";
      fmt::print("  {:<2} {:<58} {:>7}  {}\n", mark, it->id, pts, it->description);
    }
  }
  for (const auto& d : lu.diagnostics)
    fmt::print("  {}:{}: {}: {}\n", d.location.file, d.location.line, unit::to_string(d.severity), d.message);
  fmt::print("Overall exposure for {}: {} {} (reproduces systemd-analyze security --offline=yes)\n\n", lu.name,
             a.exposure_text(), exposure::systemd_label(a.exposure_tenths));
}

nlohmann::json to_json(const unit::LoadedUnit& lu, const exposure::Assessment& a, const std::string& version) {
  nlohmann::json j;
  j["unit"] = lu.name;
  j["fragment_path"] = lu.fragment_path;
  j["dropins"] = lu.dropin_paths;
  j["mode"] = a.mode;
  j["systemd"] = version;
  j["exposure"] = a.exposure_tenths / 10.0;
  j["exposure_text"] = a.exposure_text();
  j["exposure_tenths"] = a.exposure_tenths;
  j["band"] = exposure::to_string(a.band);
  j["systemd_label"] = exposure::systemd_label(a.exposure_tenths);
  auto& items = j["items"] = nlohmann::json::array();
  for (const auto& it : a.items) {
    nlohmann::json o;
    o["id"] = it.id;
    o["json_field"] = it.json_field;
    o["applicable"] = it.applicable;
    o["weight"] = it.weight;
    o["range"] = it.range;
    o["badness"] = it.applicable ? nlohmann::json(it.badness) : nlohmann::json(nullptr);
    o["contribution"] = it.contribution();
    o["exposure"] = it.exposure_tenths < 0 ? nlohmann::json(nullptr) : nlohmann::json(exposure::exposure_text(it.exposure_tenths));
    o["description"] = it.description;
    items.push_back(std::move(o));
  }
  auto& diags = j["diagnostics"] = nlohmann::json::array();
  for (const auto& d : lu.diagnostics)
    diags.push_back({{"file", d.location.file}, {"line", d.location.line}, {"severity", unit::to_string(d.severity)},
                     {"message", d.message}});
  return j;
}

int run_score(const ScoreOptions& o) {
  auto version = unit::systemd_version_from_string(o.systemd);
  if (!version) {
    fmt::print(stderr, "sdharden score: {}\n", version.error().to_string());
    return kExitUsage;
  }
  std::optional<exposure::Policy> policy;
  RealFileSystem host;
  if (!o.policy_file.empty()) {
    auto text = host.read_file(o.policy_file);
    if (!text) {
      fmt::print(stderr, "sdharden score: {}\n", text.error().to_string());
      return kExitUsage;
    }
    auto p = exposure::policy_from_json(*text, o.policy_file);
    if (!p) {
      fmt::print(stderr, "sdharden score: {}\n", p.error().to_string());
      return kExitUsage;
    }
    policy = std::move(*p);
  }
  RealFileSystem fs(o.root);
  unit::LoadOptions lo;
  lo.version = *version;
  lo.user = o.user;
  int errors = 0;
  bool above = false;
  int limit = o.threshold ? static_cast<int>(std::lround(*o.threshold * 10)) : 100;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& arg : o.units) {
    std::string target = resolve_argument(arg, fs, !o.root.empty());
    auto lu = unit::load_unit(fs, target, lo);
    if (!lu && target.find('/') == std::string::npos && host.kind(arg) == FileKind::regular) {
      std::error_code ec;
      lu = unit::load_unit(fs, std::filesystem::absolute(arg, ec).string(), lo);
    }
    if (!lu) {
      fmt::print(stderr, "sdharden score: {}: {}\n", arg, lu.error().to_string());
      ++errors;
      continue;
    }
    if (lu->masked) {
      fmt::print(stderr, "sdharden score: {}: unit is masked ({})\n", lu->name, lu->fragment_path);
      ++errors;
      continue;
    }
    auto a = exposure::assess(lu->settings, *version, policy ? &*policy : nullptr);
    if (a.exposure_tenths > limit) above = true;
    if (o.json)
      all.push_back(to_json(*lu, a, o.systemd));
    else
      print_table(*lu, a, o.quiet_items);
  }
  if (o.json) fmt::print("{}\n", all.dump(2));
  if (errors) return kExitUsage;
  return above && o.threshold ? kExitFailed : kExitOk;
}

}  // namespace

void add_score_command(CLI::App& app, Dispatch& dispatch) {
  auto opts = std::make_shared<ScoreOptions>();
  auto* cmd = app.add_subcommand("score", "Exposure score of units, exactly as systemd-analyze security --offline=yes");
  cmd->add_option("units", opts->units, "Unit names (looked up like systemd) or unit file paths")->required();
  cmd->add_flag("--json", opts->json, "JSON output with weight, badness and range per assessor");
  cmd->add_option("--threshold", opts->threshold, "Exit 1 when any unit's exposure is above this (0.0-10.0)")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--systemd", opts->systemd, "Assessor and syscall-group tables: 252 or latest")
      ->default_val("252");
  cmd->add_option("--root", opts->root, "Look units up below this root directory");
  cmd->add_option("--policy", opts->policy_file, "JSON policy with per-assessor weight/range overrides "
                                                 "(systemd-analyze --security-policy format)");
  cmd->add_flag("--user", opts->user, "Look up user units");
  cmd->add_flag("--summary", opts->quiet_items, "Only the overall score per unit");
  cmd->callback([opts, &dispatch] { dispatch.action = [opts] { return run_score(*opts); }; });
}

}  // namespace sdh::cli
