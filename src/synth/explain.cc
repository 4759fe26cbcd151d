// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/explain.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/core.h>

#include "synth/evidence.h"
#include "synth/knowledge.h"
#include "synth/syscall_groups.h"
#include "unit/value_writer.h"

#include "exposure/assess.h"

namespace sdh::synth {

std::optional<std::string> rule_for_assessor(const std::string& json_field) {
  for (const auto& r : knowledge_base()) {
    for (const auto& a : r.assessors) {
      if (a == json_field) return r.id;
    }
  }
  return std::nullopt;
}

namespace {

// Markdown from text that may come from the traced daemon, a unit file or
// an image: one line, no control characters, HTML's three specials as
// entities (no raw tag survives), the punctuation that makes code spans,
// links and table cells backslash-escaped.
std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : unit::escape_for_display(s)) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (std::string_view("\\`[]|").find(c) != std::string_view::npos) out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

// A code span for a name or path: as code when it holds only characters
// that need no escaping, else as escaped text (a code span shows entities
// and backslashes literally, so it cannot carry them).
std::string md_code(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_./@:=,-%").find(c) != std::string_view::npos;
  });
  return plain ? "`" + s + "`" : md_escape(s);
}

// Matches the assessor ids' capability patterns: one "(A|B)" group and a
// trailing "*" per alternative ("CAP_(DAC_*|FOWNER|IPC_OWNER)").
bool cap_pattern_matches(const std::string& pattern, const std::string& cap) {
  std::vector<std::string> alts;
  auto open = pattern.find('('), close = pattern.find(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string prefix = pattern.substr(0, open), suffix = pattern.substr(close + 1);
    std::string inner = pattern.substr(open + 1, close - open - 1);
    size_t start = 0;
    for (size_t bar; (bar = inner.find('|', start)) != std::string::npos; start = bar + 1) {
      alts.push_back(prefix + inner.substr(start, bar - start) + suffix);
    }
    alts.push_back(prefix + inner.substr(start) + suffix);
  } else {
    alts.push_back(pattern);
  }
  for (const auto& a : alts) {
    if (!a.empty() && a.back() == '*') {
      if (cap.compare(0, a.size() - 1, a, 0, a.size() - 1) == 0) return true;
    } else if (cap == a) {
      return true;
    }
  }
  return false;
}

// Why an item stays partly open although its directive is set: the
// observed behaviour that needs what remains allowed.
std::string partly_needed(const std::string& field, const std::string& id, const Evidence& ev,
                          unit::SystemdVersion version) {
  const std::string cbs = "CapabilityBoundingSet=~";
  if (id.rfind(cbs, 0) == 0) {
    std::string used;
    for (const auto& [cap, w] : ev.capabilities) {
      if (cap_pattern_matches(id.substr(cbs.size()), cap)) {
        used += (used.empty() ? "" : ", ") + cap + " used by " + who(w.executables);
      }
    }
    return used.empty() ? "" : "needed: " + used;
  }
  const std::string raf = "RestrictAddressFamilies_";
  if (field.rfind(raf, 0) == 0) {
    std::string which = field.substr(raf.size());
    std::vector<std::string> fams;
    if (which == "AF_INET_INET6") fams = {"AF_INET", "AF_INET6"};
    else if (which == "OTHER") {
      for (const auto& [f, w] : ev.families) {
        if (f != "AF_INET" && f != "AF_INET6" && f != "AF_UNIX" && f != "AF_NETLINK" && f != "AF_PACKET") fams.push_back(f);
      }
    } else fams = {which};
    std::string used;
    for (const auto& f : fams) {
      auto w = ev.families.find(f);
      if (w != ev.families.end()) used += (used.empty() ? "" : ", ") + f + " used by " + who(w->second.executables);
    }
    return used.empty() ? "" : "needed: " + used;
  }
  const std::string scf = "SystemCallFilter_";
  if (field.rfind(scf, 0) == 0) {
    std::string group = "@" + field.substr(scf.size());
    for (auto& ch : group) if (ch == '_') ch = '-';
    std::string calls;
    for (const auto& sc : SyscallGroups::builtin(version).members(group)) {
      if (ev.syscalls_all.count(sc)) calls += (calls.empty() ? "" : ", ") + sc;
    }
    return calls.empty() ? "" : "the daemon calls " + calls;
  }
  if (field == "DeviceAllow") return "device access is an allow-list, of the devices used (PrivateDevices= adds the pseudo devices)";
  return "";
}

std::string observed_section(const profile::Profile& p) {
  Evidence ev = digest(p);
  std::string out = "## What was observed\n\n";
  out += fmt::format("- Scope: {}{}.\n", ev.scope(),
                     p.complete() ? "" : fmt::format(" (**incomplete: {} events lost**)", thousands(p.lost_events)));
  for (const auto& e : p.executables) {
    out += fmt::format("- {} ({}{}, {} process{})\n", md_code(e.path), e.elf_machine.empty() ? "?" : md_escape(e.elf_machine),
                       e.setuid_binary ? ", setuid/setgid" : "", e.processes, e.processes == 1 ? "" : "es");
  }
  out += fmt::format("- System calls: {} distinct ({} at start-up, {} while serving).\n", ev.syscalls_all.size(),
                     ev.syscalls_startup.size(), ev.syscalls_serving.size());
  std::string fams;
  for (const auto& [f, w] : ev.families) fams += (fams.empty() ? "" : ", ") + md_escape(f) + fmt::format(" ({})", w.count);
  out += "- Sockets created: " + (fams.empty() ? std::string("none") : fams) + ".\n";
  std::string caps;
  for (const auto& [c, w] : ev.capabilities) caps += (caps.empty() ? "" : ", ") + md_escape(c);
  out += "- Capabilities used: " + (caps.empty() ? std::string("none") : caps) + ".\n";
  std::vector<std::string> writes;
  for (const auto& [path, use] : ev.paths) {
    if ((use.access & kWriteBits) && !path_under(path, "/dev") && !path_under(path, "/proc")) writes.push_back(path);
  }
  out += fmt::format("- Paths written: {}.\n", writes.empty() ? std::string("none") : [&] {
    std::string s;
    for (size_t i = 0; i < writes.size() && i < 8; ++i) s += (i ? ", " : "") + md_code(writes[i]);
    if (writes.size() > 8) s += fmt::format(" and {} more", writes.size() - 8);
    return s;
  }());
  std::string flags;
  for (const auto& [f, w] : ev.flags) flags += (flags.empty() ? "" : ", ") + f + " (" + md_escape(who(w.executables)) + ")";
  if (!flags.empty()) out += "- Notable behaviour: " + flags + ".\n";
  return out + "\n";
}

}  // namespace

Result<std::string> explain_markdown(const ExplainInput& in) {
  if (!in.unit) return fail("explain: no unit");
  auto a = exposure::assess(in.unit->settings, in.version);
  std::string out = fmt::format("# Security posture of {}\n\n", md_code(in.unit->name));
  out += fmt::format("Unit file: {}", md_code(in.unit->fragment_path));
  if (!in.dropin_path.empty()) out += fmt::format(", with drop-in {}", md_code(in.dropin_path));
  out += ".\n\n";
  out += fmt::format("**Exposure: {} ({})**, as `systemd-analyze security --offline=yes` of systemd {} computes it "
                     "(0 is fully confined, 10 is unconfined).\n\n",
                     a.exposure_text(), exposure::to_string(a.band),
                     unit::to_string(in.version));
  // Why each unrestricted item stays so, from the plan's evidence.
  auto why_not = [&](const exposure::Item& it) -> std::string {
    if (!in.plan) return "";
    auto rule = rule_for_assessor(it.json_field);
    if (!rule) return "";
    std::string reasons;
    for (const auto& n : in.plan->not_set) {
      if (n.rule == *rule) reasons += (reasons.empty() ? "" : "; ") + n.directive + ": " + n.reason;
    }
    if (!reasons.empty()) return reasons;
    if (in.profile) {
      std::string partial = partly_needed(it.json_field, it.id, digest(*in.profile), in.version);
      if (!partial.empty()) return partial;
    }
    for (const auto& d : in.plan->directives) {
      if (d.rule != *rule || d.values.empty()) continue;
      return "nothing observed forbids restricting it: sdharden propose adds " + d.key + "=" + d.values.back() +
             " (" + d.justification + ")";
    }
    return "";
  };
  out += "## Restricted\n\n| Setting | What it prevents |\n|---|---|\n";
  int restricted = 0;
  for (const auto& it : a.items) {
    if (!it.applicable || it.badness != 0) continue;
    ++restricted;
    out += fmt::format("| `{}` | {} |\n", md_escape(it.id), md_escape(it.description));
  }
  if (restricted == 0) out += "| (none) | |\n";
  out += "\n## Not restricted\n\n| Setting | Exposure points | Risk | Why it stays |\n|---|---|---|---|\n";
  int open = 0;
  for (const auto& it : a.items) {
    if (!it.applicable || it.badness == 0) continue;
    ++open;
    std::string why = why_not(it);
    if (why.empty()) why = in.plan ? "not restricted by the unit; no evidence recorded" : "no profile given";
    out += fmt::format("| `{}` | {} | {} | {} |\n", md_escape(it.id), it.contribution(), md_escape(it.description),
                       md_escape(why));
  }
  if (open == 0) out += "| (none) | | | |\n";
  out += "\n";
  if (in.plan && !in.plan->not_set.empty()) {
    out += "## Deliberately not set\n\n";
    for (const auto& n : in.plan->not_set) out += fmt::format("- {}: {}\n", md_code(n.directive), md_escape(n.reason));
    out += "\n";
  }
  if (in.profile) out += observed_section(*in.profile);
  std::string na;
  for (const auto& it : a.items) {
    if (!it.applicable) na += (na.empty() ? "`" : ", `") + it.id + "`";
  }
  if (!na.empty()) out += "Not applicable to this unit: " + na + ".\n";
  return out;
}

}  // namespace sdh::synth
