// SPDX-License-Identifier: GPL-2.0-or-later
// What a login session would inherit. A daemon that starts sessions (an SSH,
// FTP or mail server with local accounts) hands its sandbox to every session:
// the bounding set, no_new_privs, the seccomp filter, its mounts and
// namespaces. A root shell there is the administrator's only way in. So
// verification takes the session's view from inside the unit's own sandbox
// (sdharden-probe as an ExecStartPost= of the unit, with root's credentials:
// "!" keeps the sandbox and drops User=), with and without the drop-in, and
// any difference fails, naming the drop-in's directives that cause it. A
// drop-in written by hand is held to the same test.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "verify/dropin.h"

namespace sdh::verify {

// One fact of the session view, as the probe prints it: "session KEY VALUE".
using SessionView = std::map<std::string, std::string>;

// The session lines in a text (journal lines included: "...: session KEY VALUE").
SessionView parse_session_view(const std::string& text);

// What a key means for a session, and the directives that can change it.
struct SessionFact {
  std::string key;                     // "capbnd"
  std::string meaning;                 // "capabilities root can have in a session"
  std::vector<std::string> directives; // "CapabilityBoundingSet", ...
};
const std::vector<SessionFact>& session_facts();

// Each fact that differs between the two views: "what (baseline -> hardened),
// set by KEY=..." with the drop-in's directives that can cause it (all the
// fact's directives when the drop-in sets none of them: a reset elsewhere).
// For sessions that run no commands (`commands` false), a difference that
// only such directives cause (unit::session_effects, only_with_commands) is
// not one: an FTP login feels no bounding set.
std::vector<std::string> session_differences(const SessionView& baseline, const SessionView& hardened,
                                             const std::vector<Directive>& dropin, bool commands = true);

}  // namespace sdh::verify
