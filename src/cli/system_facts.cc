// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/system_facts.h"

#include <sys/stat.h>
#include <unistd.h>

#include "synth/evidence.h"
#include "synth/sessions.h"
#include "util/fs.h"

namespace sdh::cli {

synth::SystemFacts gather_system_facts(const profile::Profile& profile, const std::string& root) {
  synth::SystemFacts facts;
  std::set<std::string> paths;
  for (const auto& e : profile.executables) {
    for (const auto& f : e.files) paths.insert(f.path);
    for (const auto& a : e.addresses)
      if (a.family == "AF_UNIX" && !a.address.empty() && a.address[0] == '/') paths.insert(a.address);
  }
  // Owners and modes as the tree has them: resolved inside the root, so a
  // symlink in an OS tree never reports a host file's owner.
  RealFileSystem fs(root);
  for (const auto& p : synth::paths_with_ancestors(paths)) {
    auto fd = fs.open_path(p, true);
    if (!fd) continue;
    struct stat st {};
    int r = ::fstat(*fd, &st);
    ::close(*fd);
    if (r != 0) continue;
    facts.files[p] = {st.st_uid, st.st_gid, static_cast<uint32_t>(st.st_mode & 07777), S_ISDIR(st.st_mode)};
  }
  auto passwd = fs.read_file("/etc/passwd");
  auto group = fs.read_file("/etc/group");
  if (passwd) facts.accounts = synth::parse_accounts(*passwd, group ? *group : "");
  return facts;
}

void add_environment_files(synth::SystemFacts& facts, const unit::LoadedUnit& unit, const std::string& root) {
  RealFileSystem fs(root);
  for (const auto& a : unit.assignments) {
    if (a.section != "Service" || a.key != "EnvironmentFile") continue;
    std::string path = a.value;
    if (!path.empty() && path[0] == '-') path.erase(0, 1);
    if (path.empty() || path[0] != '/') continue;  // systemd takes absolute paths only
    if (auto text = fs.read_file(path)) facts.environment_files[path] = *text;
  }
}

std::optional<bool> login_sessions(const profile::Profile& profile, const std::string& root) {
  auto s = synth::recognise_sessions(synth::digest(profile), gather_system_facts(profile, root));
  if (!s.starts_sessions) return std::nullopt;
  return s.runs_commands;
}

}  // namespace sdh::cli
