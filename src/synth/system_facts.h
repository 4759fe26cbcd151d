// SPDX-License-Identifier: GPL-2.0-or-later
// What the machine says about the files a daemon touched and about its user
// accounts: owners, modes, passwd and group entries. The synthesiser needs
// them to propose a static User= (a daemon run as root only to reach files
// that belong to its package's own account). Plain values, filled by the CLI
// from the machine the service runs on; the synthesiser does no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sdh::synth {

struct FileFacts {
  uint32_t uid = 0, gid = 0;
  uint32_t mode = 0;  // permission bits incl. setuid/setgid/sticky (st_mode & 07777)
  bool directory = false;
};

struct Account {
  std::string name;
  uint32_t uid = 0, gid = 0;   // gid: the primary group
  std::string group;           // the primary group's name ("" when not in /etc/group)
  std::set<uint32_t> groups;   // primary + supplementary gids
  std::string shell;
};

struct SystemFacts {
  // Paths the profile mentions and their existing ancestors; a path absent
  // here does not exist (it was created and removed while profiling, or only
  // inside the container).
  std::map<std::string, FileFacts> files;
  std::vector<Account> accounts;
  // The unit's EnvironmentFile= contents by path, as read on that machine
  // (Debian's /etc/default/NAME): where a daemon's own options often live.
  std::map<std::string, std::string> environment_files;

  bool empty() const { return files.empty() && accounts.empty(); }
  const Account* account(uint32_t uid) const;
  const Account* account(const std::string& name) const;
  const FileFacts* file(const std::string& path) const;
};

// Parses /etc/passwd and /etc/group text (malformed lines are skipped, as
// NSS does).
std::vector<Account> parse_accounts(const std::string& passwd, const std::string& group);

// Permission wanted on a path, in rwx bits (4 read, 2 write, 1 search/exec).
// True when `who` gets it from the owner/group/other bits alone (no
// capability), searching every ancestor directory on the way.
bool permits(const SystemFacts& facts, const Account& who, const std::string& path, uint32_t rwx);

// Every path whose facts a static-user decision needs: `paths` and all their
// ancestors.
std::set<std::string> paths_with_ancestors(const std::set<std::string>& paths);

}  // namespace sdh::synth
