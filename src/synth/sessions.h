// SPDX-License-Identifier: GPL-2.0-or-later
// Daemons that start login sessions (sshd, FTP and mail servers with local
// users, cron) pass their sandbox on to every session they start: with
// NoNewPrivileges= or a narrow bounding set, `sudo` can no longer work for
// anyone who logs in; with ProtectHome= the users lose their homes. Such a
// daemon is recognised from its profile (PAM, a switch to a login account,
// and, for sessions that run commands, a shell executed), and what would
// cripple the sessions is kept out of its drop-in, each with that reason.
#pragma once

#include <string>
#include <vector>

#include "synth/evidence.h"
#include "synth/synth.h"
#include "synth/system_facts.h"

namespace sdh::synth {

struct SessionEvidence {
  bool starts_sessions = false;  // PAM and a switch to a login account
  bool runs_commands = false;    // ... and a shell executed: sessions run what users type
  std::string why;               // "reads /etc/pam.d/vsftpd; switches to uid 1000 (alice); executes /bin/bash"
};

SessionEvidence recognise_sessions(const Evidence& ev, const SystemFacts& facts);

// What one user's session did in its home, every user's session does in
// theirs: paths under /home/USER/ become /home itself (the profile saw the
// test login; the drop-in must serve every login).
void generalise_homes(Evidence& ev);

// Why `key` may not be set for such a daemon ("" when it may).
std::string cripples_sessions(const std::string& key, const SessionEvidence& s);

// Removes from the rule's options the directives that would cripple the
// sessions, and records each once in `not_set` (keys in `reported`).
void keep_sessions_whole(std::vector<std::vector<Directive>*> options, const SessionEvidence& s,
                         std::vector<NotSet>& not_set, std::vector<std::string>& reported);

}  // namespace sdh::synth
