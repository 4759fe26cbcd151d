// SPDX-License-Identifier: GPL-2.0-or-later
#include "synth/sessions.h"

#include <algorithm>

#include <fmt/core.h>
#include <fmt/format.h>

#include "unit/semantics.h"

namespace sdh::synth {

namespace {

bool no_login(const std::string& shell) {
  return shell.empty() || shell.find("nologin") != std::string::npos || shell.find("false") != std::string::npos ||
         shell == "/bin/sync";
}

bool is_shell(const std::string& path, const SystemFacts& facts) {
  std::string base = path.substr(path.rfind('/') + 1);
  static const char* kShells[] = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "tcsh", "csh", "rbash"};
  if (std::any_of(std::begin(kShells), std::end(kShells), [&](const char* s) { return base == s; })) return true;
  for (const auto& a : facts.accounts)
    if (!a.shell.empty() && a.shell == path && !no_login(a.shell)) return true;
  return false;
}


}  // namespace

SessionEvidence recognise_sessions(const Evidence& ev, const SystemFacts& facts) {
  SessionEvidence s;
  if (ev.pam_files.empty()) return s;
  std::vector<std::string> logins;
  for (uint32_t uid : ev.uid_targets) {
    if (uid == 0 || uid >= 65534) continue;
    const Account* a = facts.account(uid);
    bool login = a ? !no_login(a->shell) || uid >= 1000 : uid >= 1000;
    if (login) logins.push_back(a ? fmt::format("{} ({})", uid, a->name) : std::to_string(uid));
  }
  if (logins.empty()) return s;
  s.starts_sessions = true;
  // A file of /etc/pam.d names the PAM service better than the folder.
  std::string pam = *ev.pam_files.begin();
  for (const auto& f : ev.pam_files)
    if (f != "/etc/pam.d") {
      pam = f;
      break;
    }
  s.why = fmt::format("uses PAM ({}) and switches to the login account{} {}", pam,
                      logins.size() > 1 ? "s" : "", fmt::join(logins, ", "));
  for (const auto& exe : ev.executables) {
    if (!is_shell(exe, facts)) continue;
    s.runs_commands = true;
    s.why += "; executes " + exe;
    break;
  }
  return s;
}

void generalise_homes(Evidence& ev) {
  PathUse homes;
  homes.path = "/home";
  bool any = false;
  for (auto it = ev.paths.begin(); it != ev.paths.end();) {
    if (path_under(it->first, "/home") && it->first != "/home") {
      homes.access |= it->second.access;
      homes.count += it->second.count;
      homes.executables.insert(it->second.executables.begin(), it->second.executables.end());
      any = true;
      it = ev.paths.erase(it);
    } else {
      ++it;
    }
  }
  if (!any) return;
  auto& h = ev.paths["/home"];
  h.path = "/home";
  // Writes below it are writes in the folder (never a creation of /home).
  h.access |= homes.access & ~(profile::kCreate | profile::kDelete | profile::kRename);
  if (homes.access & (profile::kCreate | profile::kDelete | profile::kRename)) h.access |= profile::kWrite;
  h.count += homes.count;
  h.executables.insert(homes.executables.begin(), homes.executables.end());
}

std::string cripples_sessions(const std::string& key, const SessionEvidence& s) {
  if (!s.starts_sessions) return "";
  const auto* effect = unit::session_effect(key);
  return effect && (!effect->only_with_commands || s.runs_commands) ? std::string(effect->why) : "";
}

void keep_sessions_whole(std::vector<std::vector<Directive>*> options, const SessionEvidence& s,
                         std::vector<NotSet>& not_set, std::vector<std::string>& reported) {
  if (!s.starts_sessions) return;
  for (auto* directives : options) {
    std::erase_if(*directives, [&](const Directive& d) {
      std::string why = cripples_sessions(d.key, s);
      if (why.empty()) return false;
      if (std::find(reported.begin(), reported.end(), d.key) == reported.end()) {
        reported.push_back(d.key);
        std::string value = d.values.empty() ? "" : d.values.back();
        // The evidence once, on the first entry; the others point to it.
        std::string head = reported.size() == 1 ? "starts login sessions (" + s.why + ")" : "starts login sessions";
        not_set.push_back({d.key + "=" + value, head + ": " + why, "sessions"});
      }
      return true;
    });
  }
}

}  // namespace sdh::synth
