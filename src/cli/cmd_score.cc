// SPDX-License-Identifier: GPL-2.0-or-later
// sdharden score: the exposure of units, as `systemd-analyze security
// --offline=yes` computes it, with an explanation per assessor.
#include <fmt/core.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "cli/command.h"
#include "cli/systemd_arg.h"
#include "cli/gate_args.h"
#include "cli/unit_args.h"
#include "exposure/assess.h"
#include "report/audit.h"
#include "report/gate.h"
#include "unit/cached_fs.h"
#include "unit/loader.h"
#include "unit/value_writer.h"
#include "util/fs.h"

namespace sdh::cli {
namespace {

using namespace std::string_view_literals;

struct ScoreOptions {
  std::vector<std::string> units;
  std::string json_mode;  // --json[=pretty|short]
  std::string offline;
  bool no_pager = false;
  std::string format = "text";
  GateArgs gate;
  std::string systemd;  // "" : the installed one
  std::string root;
  std::string policy_file;
  std::string name;
  bool user = false;
  bool quiet_items = false;
};

void print_table(const unit::LoadedUnit& lu, const exposure::Assessment& a, bool quiet_items,
                 const std::string& release) {
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
    fmt::print("  {}:{}: {}: {}\n", unit::escape_for_display(d.location.file), d.location.line,
               unit::to_string(d.severity), unit::escape_for_display(d.message));
  fmt::print("Overall exposure for {}: {} {} (reproduces systemd-analyze security --offline=yes of {})\n\n",
             lu.name, a.exposure_text(), exposure::systemd_label(a.exposure_tenths), release);
}

// JSON text escaping; invalid UTF-8 bytes become U+FFFD so output always parses.
void json_string(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < v.size(); ++i) {
    // Copy runs of plain ASCII at once.
    size_t j = i;
    while (j < v.size()) {
      unsigned char d = static_cast<unsigned char>(v[j]);
      if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
      ++j;
    }
    if (j > i) {
      out.append(v, i, j - i);
      i = j;
      if (i >= v.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      bool ok = len > 0 && i + len <= v.size();
      for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(v[i + k]) & 0xC0) == 0x80;
      if (ok) {
        out.append(v, i, len);
        i += len - 1;
      } else {
        out += "\\ufffd";
      }
    }
  }
  out += '"';
}

template <typename Int>
void json_number(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// The "x.y" of an exposure in tenths, as a JSON number or string body.
void tenths(std::string& out, int t) {
  json_number(out, t / 10);
  out += '.';
  json_number(out, t % 10);
}

// One unit as JSON, appended to `o`. Written directly rather than through a
// JSON tree: the output is ~20 KB per unit, and building then dumping a tree
// for each of thousands of units cost more than scoring them.
void append_json(std::string& o, const unit::LoadedUnit& lu, const exposure::Assessment& a,
                 const std::string& version) {
  auto key = [&o](std::string_view k) {
    o += '"';
    o += k;
    o += "\": "sv;
  };
  o += "  {\n    "sv;
  key("schema_version"); o += "1"sv;  // docs/json-output.md
  o += ",\n    "sv; key("unit"); json_string(o, lu.name);
  o += ",\n    "sv; key("fragment_path"); json_string(o, lu.fragment_path);
  o += ",\n    "sv; key("dropins"); o += "["sv;
  for (size_t i = 0; i < lu.dropin_paths.size(); ++i) {
    if (i) o += ", "sv;
    json_string(o, lu.dropin_paths[i]);
  }
  o += "],\n    "sv; key("mode"); json_string(o, a.mode);
  o += ",\n    "sv; key("systemd"); json_string(o, version);
  o += ",\n    "sv; key("exposure"); tenths(o, a.exposure_tenths);
  o += ",\n    "sv; key("exposure_text"); o += '"'; tenths(o, a.exposure_tenths); o += '"';
  o += ",\n    "sv; key("exposure_tenths"); json_number(o, a.exposure_tenths);
  o += ",\n    "sv; key("band"); json_string(o, exposure::to_string(a.band));
  o += ",\n    "sv; key("systemd_label"); json_string(o, exposure::systemd_label(a.exposure_tenths));
  o += ",\n    \"items\": ["sv;
  for (size_t i = 0; i < a.items.size(); ++i) {
    const auto& it = a.items[i];
    // Punctuation and key go out as one literal each: this runs for ~80
    // assessors per unit, and every separate append costs.
    o += i ? ",\n      {\"id\": "sv : "\n      {\"id\": "sv;
    json_string(o, it.id);
    o += ", \"json_field\": "sv;
    json_string(o, it.json_field);
    o += it.applicable ? ", \"applicable\": true, \"weight\": "sv : ", \"applicable\": false, \"weight\": "sv;
    json_number(o, it.weight);
    o += ", \"range\": "sv;
    json_number(o, it.range);
    if (it.applicable) {
      o += ", \"badness\": "sv;
      json_number(o, it.badness);
    } else {
      o += ", \"badness\": null"sv;
    }
    o += ", \"contribution\": "sv;
    json_number(o, it.contribution());
    if (it.exposure_tenths < 0) {
      o += ", \"exposure\": null"sv;
    } else {
      o += ", \"exposure\": \""sv;
      tenths(o, it.exposure_tenths);
      o += '"';
    }
    o += ", \"description\": "sv;
    json_string(o, it.description);
    o += '}';
  }
  o += "\n    ],\n    \"diagnostics\": ["sv;
  for (size_t i = 0; i < lu.diagnostics.size(); ++i) {
    const auto& d = lu.diagnostics[i];
    o += i ? ",\n      {"sv : "\n      {"sv;
    key("file"); json_string(o, d.location.file);
    o += ", "sv; key("line"); json_number(o, d.location.line);
    o += ", "sv; key("severity"); json_string(o, unit::to_string(d.severity));
    o += ", "sv; key("message"); json_string(o, d.message);
    o += "}"sv;
  }
  o += lu.diagnostics.empty() ? "]\n  }"sv : "\n    ]\n  }"sv;
}

int run_score(ScoreOptions& o) {
  auto chosen = choose_release(o.systemd, o.root);
  if (!chosen) {
    fmt::print(stderr, "sdharden score: {}\n", chosen.error().to_string());
    return kExitUsage;
  }
  const unit::SystemdVersion version = chosen->version;
  const std::string format = !o.json_mode.empty() ? "json" : o.format;
  if (!o.name.empty() && o.units.size() != 1) {
    fmt::print(stderr, "sdharden score: --name names one unit file; {} given\n", o.units.size());
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
  if (!load_baseline(o.gate, "score")) return kExitUsage;
  RealFileSystem real_fs(o.root);
  unit::CachedFileSystem fs(real_fs);  // one run: the tree does not change meanwhile
  unit::LoadOptions lo;
  lo.version = version;
  lo.user = o.user;
  int errors = 0;
  std::vector<report::Scored> scored;
  report::AuditReport sarif;  // --format sarif: the audit's SARIF over these units
  if (!o.root.empty()) sarif.root = std::filesystem::absolute(o.root).lexically_normal().string();
  while (sarif.root.size() > 1 && sarif.root.back() == '/') sarif.root.pop_back();
  // JSON is streamed unit by unit (one big document for thousands of units
  // costs more than scoring them), through one buffer reused across units
  // and written out in large pieces.
  std::string json = "[";
  bool first_json = true;
  // --json=short: one line. JSON strings are escaped, so every raw newline
  // and the blanks after it are layout.
  const bool compact = o.json_mode == "short";
  auto flush_json = [&json, compact](size_t at_least) {
    if (json.size() < at_least) return;
    if (compact) {
      std::string one_line;
      one_line.reserve(json.size());
      for (size_t i = 0; i < json.size(); ++i) {
        if (json[i] != '\n') {
          one_line += json[i];
          continue;
        }
        while (i + 1 < json.size() && json[i + 1] == ' ') ++i;
      }
      json.swap(one_line);
    }
    std::fwrite(json.data(), 1, json.size(), stdout);
    json.clear();
  };
  for (const auto& arg : o.units) {
    auto in = load_unit_argument(fs, arg, !o.root.empty(), lo, o.name);
    if (!in) {
      fmt::print(stderr, "sdharden score: {}: {}\n", arg, unit::escape_for_display(in.error().to_string()));
      sarif.skipped.push_back({arg, o.user ? "user" : "system", in.error().to_string(), true});
      ++errors;
      continue;
    }
    for (const auto& n : in->notes) fmt::print(stderr, "sdharden score: {}: {}\n", arg, n);
    const unit::LoadedUnit& lu = in->unit;
    // A unit masked by a link to /dev/null does not run: nothing to score,
    // and nothing wrong. An empty file given to score is bad input.
    if (lu.masked) {
      if (!lu.fragment_path.empty() && in->fs().lkind(lu.fragment_path) == FileKind::symlink) {
        fmt::print(stderr, "sdharden score: {}: masked ({} links to /dev/null), skipped\n", lu.name,
                   lu.fragment_path);
      } else {
        fmt::print(stderr, "sdharden score: {}: empty unit file {}: nothing to score\n", arg, lu.fragment_path);
        ++errors;
      }
      continue;
    }
    auto a = exposure::assess(lu.settings, version, policy ? &*policy : nullptr);
    scored.push_back(scored_entry(lu.name, a));
    if (format == "json") {
      json += first_json ? "\n" : ",\n";
      first_json = false;
      append_json(json, lu, a, unit::to_string(version));
      flush_json(1 << 16);
    } else if (format == "sarif") {
      sarif.entries.push_back({lu.name, lu.fragment_path, o.user ? "user" : "system", std::move(a)});
    } else {
      print_table(lu, a, o.quiet_items, chosen->why);
    }
  }
  if (format == "json") {
    json += "\n]\n";
    flush_json(0);
  } else if (format == "sarif") {
    fmt::print("{}", report::audit_sarif(sarif, SDHARDEN_VERSION));
  }
  if (errors) return kExitUsage;
  return finish_gate(o.gate, scored);
}

}  // namespace

void add_score_command(CLI::App& app, Dispatch& dispatch) {
  auto opts = std::make_shared<ScoreOptions>();
  auto* cmd = app.add_subcommand("score", "Exposure score of units, exactly as systemd-analyze security --offline=yes");
  cmd->add_option("units", opts->units, "Unit names (looked up like systemd) or unit file paths")->required();
  cmd->add_option("--format", opts->format,
                  "text; json (weight, badness and range per assessor; the --baseline format); sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_flag("--json{pretty}", opts->json_mode, "Same as --format json (systemd-analyze's --json=pretty|short too)")
      ->check(CLI::IsMember({"pretty", "short"}));
  // systemd-analyze security's own spellings, where they mean the same here.
  cmd->add_option("--offline", opts->offline, "Accepted for systemd-analyze's --offline=yes: scoring is always offline")
      ->check(CLI::IsMember({"yes", "true", "1", "on"}));
  cmd->add_flag("--no-pager", opts->no_pager, "Accepted for systemd-analyze's --no-pager: output is never paged");
  add_gate_options(cmd, opts->gate, "unit");
  cmd->add_option("--name", opts->name,
                  "Read the one unit file given under this unit name (default for FILE.in: FILE; @bindir@-style "
                  "placeholders are filled with Debian's paths)");
  add_systemd_option(cmd, &opts->systemd);
  cmd->add_option("--root", opts->root, "Look units up below this root directory");
  cmd->add_option("--policy,--security-policy", opts->policy_file,
                  "JSON policy with per-assessor weight/range overrides (systemd-analyze --security-policy format)");
  cmd->add_flag("--user", opts->user, "Look up user units");
  cmd->add_flag("--summary", opts->quiet_items, "Only the overall score per unit");
  cmd->footer(
      "Exit codes: 0 scored (and the gate passed), 1 the gate failed (--threshold, --baseline), 2 usage error or "
      "a unit that cannot be read. Masked units are skipped with a note.");
  cmd->callback([opts, &dispatch] { dispatch.action = [opts] { return run_score(*opts); }; });
}

}  // namespace sdh::cli
