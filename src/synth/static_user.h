// SPDX-License-Identifier: GPL-2.0-or-later
// Can a daemon that runs as root run as its package's own account instead?
// Many daemons run as root only because they start that way: the profile
// shows the kernel's permission checks (CAP_DAC_OVERRIDE on redis.conf,
// mode 0640 redis:redis) but no privileged operation. When every file access
// seen is granted to one non-root account by the file modes alone, and no
// other capability or identity change was seen, User= that account is as
// safe as root was for this daemon, and much tighter. A daemon that switches
// to one account itself (memcached -u memcache) may be started as it when
// root was used for nothing else; whether it then skips the switch is for
// verification to show (a daemon that insists on setgroups() fails there).
// Two needs of such daemons have a systemd answer that keeps the account:
// a port below 1024 (an ambient CAP_NET_BIND_SERVICE, the one privilege no
// file mode can grant) and its PID file in a root-owned directory (nginx's
// /run/nginx.pid: systemd creates it for the account before the start).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "synth/evidence.h"
#include "synth/system_facts.h"
#include "unit/loader.h"

namespace sdh::synth {

struct StaticUserAnalysis {
  const Account* account = nullptr;  // the candidate (owner of what it writes), if any
  // Capability checks the candidate would not need, with why.
  std::map<std::string, std::string> obviated_caps;
  // Why the candidate cannot be used (empty with an account: it can).
  std::vector<std::string> blockers;
  // Evidence for the comment: the candidate's files the daemon wrote or read.
  std::vector<std::string> owned_paths;
  // The daemon switched to the candidate itself (setuid/setgid to it); its
  // group is then the one it switched to, when that is a single one.
  bool drops_to_it = false;
  std::optional<uint32_t> group;
  // Capabilities no file mode can grant, kept as ambient capabilities of the
  // account: "CAP_NET_BIND_SERVICE" -> why.
  std::map<std::string, std::string> ambient_caps;
  // The unit's PIDFile=, when the daemon creates it where the account may
  // not (nginx's /run/nginx.pid): systemd creates it for the account first.
  std::vector<std::string> precreated;
  // What-if analysis (`waive`): the blockers a change outside the drop-in
  // would have to remove; `blockers` is then empty when there is an account.
  std::vector<std::string> waived;
  bool usable() const { return account && blockers.empty(); }
};

// What systemd would set up for the unit under an account.
struct UnitSetup {
  // Paths under directories systemd creates or hands over to `who` at start
  // (RuntimeDirectory=, StateDirectory=... that take nothing from anyone).
  std::function<bool(const std::string& path, const Account& who)> handed_over;
  std::string pid_file;  // PIDFile=: systemd removes it after the service stops
  std::string unit_name;  // "knot.service": a system account of that name is the package's
};

// `forced`: analyse this account instead of choosing the owner of the writes.
// `waive`: what-if mode, for the exposure a configuration or packaging change
// would allow: blockers go to `waived`, capabilities that blocked count as
// obviated.
StaticUserAnalysis analyse_static_user(const Evidence& ev, const SystemFacts& facts, const UnitSetup& setup,
                                       const Account* forced = nullptr, bool waive = false);

// A daemon that starts as root and switches to one account itself for
// good (memcached -u memcache, unbound's username:) can keep that start and
// still run under User= that account: its Exec lines keep root's
// credentials ("!", which changes only User=/Group=/SupplementaryGroups=),
// while systemd hands the unit's directories and its other processes to the
// account. Only where no process of the daemon keeps a root user id (real,
// effective or saved) past start-up: a root master with unprivileged
// workers stays root, and User= would misstate it.
struct OwnSwitch {
  const Account* account = nullptr;  // usable when set
  std::optional<uint32_t> group;     // the one group it switches to, if any
  std::string who;                   // the executables that switch
  std::string refused;               // why not, when it switches but cannot be used
};
// `main_programs`: the unit's ExecStart= programs (their trees are the daemon's).
OwnSwitch analyse_own_switch(const Evidence& ev, const SystemFacts& facts,
                             const std::vector<std::string>& main_programs);

// Where the unit gives the daemon its own option to switch to `user`
// ("-u bind", "--user=bind", "-ubind"): in an ExecStart= line, an
// Environment= value or an EnvironmentFile= the facts hold. "`-u bind` in
// /etc/default/named"; nullopt when none names it. The text comes from
// files the unit names: the caller escapes it where it is written.
std::optional<std::string> own_user_option(const unit::LoadedUnit& unit, const SystemFacts& facts,
                                           const std::string& user);

}  // namespace sdh::synth
