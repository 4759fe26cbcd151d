// SPDX-License-Identifier: GPL-2.0-or-later
// The directive registry: for each directive the unit model interprets, its
// section, how its value is parsed, whether repeated assignments accumulate
// and what an empty assignment does. Everything else systemd accepts is
// known by name only (data/systemd/NNN/directives.txt) and kept as a raw assignment.
#pragma once

#include <string>
#include <vector>

#include "unit/settings.h"

namespace sdh::unit {

enum class DirectiveScope { unit, service, exec, cgroup };  // exec/cgroup: any unit type with that context
enum class ParseRule {
  boolean, boolean_fatal, protect_system, protect_home, protect_proc, proc_subset, keyring_mode,
  notify_access, device_policy, service_type, user_group, supplementary_groups, umask, path,
  capability_set, restrict_namespaces, address_families, syscall_filter, syscall_archs,
  syscall_errno, device_allow, delegate, ip_prefixes, ip_filter_path, path_list, exec_command, pid_file,
  // Credentials by ID (only whether an encrypted one remains matters): the
  // plain and the encrypted spelling share one list, which empty clears.
  load_credential, load_credential_encrypted,  // ID[:PATH]
  set_credential, set_credential_encrypted,    // ID:TEXT, ID:BASE64
};
enum class Accumulation { last_wins, accumulates };
enum class EmptyAssignment {
  invalid,    // ignored with a warning
  reset,      // back to the default / clears the list
  empty_set,  // the empty set (CapabilityBoundingSet=, AmbientCapabilities=)
  enables,    // Delegate= turns delegation on
};

std::string to_string(DirectiveScope v);
std::string to_string(ParseRule v);
std::string to_string(Accumulation v);
std::string to_string(EmptyAssignment v);

// A value a boolean directive takes besides yes/no, turning it on in a
// particular way (PrivateTmp=disconnected), with the first release of the
// table that accepts it. A spelling ending in ':' stands alone (private) or
// takes a host name (ProtectHostname=private:NAME), and from that release
// "yes:NAME" is accepted too.
struct Spelling {
  std::string_view text;
  int since;
};

// What a directive does to the service, as far as proving it goes: whether
// an operation inside the service is refused (a negative control shows it)
// or what else it does. verify reads this to excuse a key from a control.
enum class Effect {
  refuses,       // an operation fails under it: a negative control shows it
  widens,        // only widens what other directives restrict; refuses nothing alone
  hides,         // takes things out of reach: the containment battery shows what stays
  grants,        // creates a folder and hands it over: nothing is refused
  identity,      // who the service runs as; tested with User=
  command,       // a command line systemd runs: its run is part of the check
  inward,        // changes nothing an operation inside could meet (a file mode, who may
                 // notify, what happens at stop): the check and workload exercise it
};
std::string to_string(Effect v);

struct DirectiveInfo {
  std::string name;  // "ProtectSystem"
  DirectiveScope scope;
  ParseRule rule;
  Accumulation accumulation;
  EmptyAssignment empty;
  // The UnitSettings field a boolean or path-list directive sets: adding
  // one is this row and the field (the table test checks every row is bound).
  bool UnitSettings::* flag = nullptr;
  std::vector<std::string> UnitSettings::* list = nullptr;
  // The first release of the table whose unit files accept it (0: all of
  // them); the table test checks it against data/systemd/NNN/directives.txt.
  int since = 0;
  std::vector<Spelling> spellings = {};
  // From this release on the boolean is a tristate: an empty assignment
  // resets it to "never assigned", which the assessor scores apart from
  // "no" (`assigned` records which). 0: a plain boolean.
  int tristate_since = 0;
  bool UnitSettings::* assigned = nullptr;
  // From this release on an empty assignment resets it to "no" (before: ignored).
  int empty_resets_since = 0;
  // systemd sets NoNewPrivileges= with it for a service without CAP_SYS_ADMIN
  // (a seccomp filter or a mount the service could otherwise undo).
  bool implies_nnp = false;
  // Each entry of the list is a restriction of its own (a path hidden, made
  // read-only or not executable): leaving one entry out loosens that entry
  // alone, so bisection and relaxation work entry by entry.
  bool entries_restrict = false;
  Effect effect = Effect::refuses;
};

// The spelling of `d` that `value` is, accepted by `version`; nullptr when none.
const Spelling* find_spelling(const DirectiveInfo& d, const std::string& value, int version);

const std::vector<DirectiveInfo>& directive_table();
// Type= values, each with the first release that accepts it (notify-reload: 253).
const std::vector<Spelling>& service_types();
// The spelling of Type= that `value` is, accepted by `version`; nullptr when none.
const Spelling* find_service_type(const std::string& value, int version);
// The interpreted directive named `key` valid in `section` of a `type` unit.
const DirectiveInfo* find_directive(const std::string& section, const std::string& key,
                                    const std::string& type);
bool type_has_exec_context(const std::string& type);
// Whether setting `key` implies NoNewPrivileges= for an unprivileged service.
bool implies_no_new_privileges(const std::string& key);
// Whether each entry of `key`'s list is a restriction of its own (DirectiveInfo::entries_restrict).
bool entries_restrict(const std::string& key);
// Whether `key` of `section` is a service's command line (ExecStart= and the like).
bool is_exec_command(const std::string& section, const std::string& key);
// The section a unit type's own settings live in: "service" -> "Service".
std::string own_section(const std::string& type);
bool type_has_cgroup_context(const std::string& type);

// Capability names (CAP_*) with their numbers, and lookup (case-insensitive).
int capability_from_name(const std::string& name);  // -1 when unknown
// Address family names (AF_*) Linux knows.
bool is_address_family(const std::string& name);

}  // namespace sdh::unit
