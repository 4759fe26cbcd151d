// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/system_facts.h"

#include <sys/stat.h>

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
  for (const auto& p : synth::paths_with_ancestors(paths)) {
    struct stat st;
    if (::stat((root + p).c_str(), &st) != 0) continue;
    facts.files[p] = {st.st_uid, st.st_gid, static_cast<uint32_t>(st.st_mode & 07777), S_ISDIR(st.st_mode)};
  }
  RealFileSystem fs(root);
  auto passwd = fs.read_file("/etc/passwd");
  auto group = fs.read_file("/etc/group");
  if (passwd) facts.accounts = synth::parse_accounts(*passwd, group ? *group : "");
  return facts;
}

}  // namespace sdh::cli
