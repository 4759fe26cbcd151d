// SPDX-License-Identifier: GPL-2.0-or-later
// Exec*= command lines: their prefixes ("-", "+", "!"...) and programs.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sdh::unit {

// Length of an Exec*= value's prefix characters ("-", "@", ":", "+", "!", "|").
size_t exec_prefix_length(const std::string& exec_value);

// The flags systemctl lists (under KEYEx) for an Exec*= value's prefixes:
// "-" ignore-failure, ":" no-env-expand, "+" privileged, "!" no-setuid,
// "!!" ambient, "|" via-shell.
std::set<std::string> exec_prefix_flags(const std::string& exec_value);

// The program an Exec*= value runs with full privileges, outside the
// sandbox (a "+" among its prefixes): "+/bin/kill -HUP $MAINPID" -> "/bin/kill".
std::optional<std::string> unsandboxed_program(const std::string& exec_value);

// The program an Exec*= value runs, whatever its prefixes:
// "-+/usr/lib/x/helper install" -> "/usr/lib/x/helper"; nullopt when empty.
std::optional<std::string> exec_program(const std::string& exec_value);

// The programs of the lines that run inside the sandbox (no "+"), over
// every Exec*= key: a process tree one of them began may be the daemon's,
// even when a "+" line runs the same program ("sshd -t").
std::vector<std::string> sandboxed_programs(const std::map<std::string, std::vector<std::string>>& exec_lines);

// The same command line run with full privileges, outside the sandbox: "+"
// added to its prefixes, in place of "!" or "!!" (which keep the sandbox).
std::string privileged_exec_line(const std::string& exec_value);
// The line with "!" (root's credentials, User=/Group= not applied, the sandbox
// kept); unchanged when it has "+" or "!" already.
std::string credentials_kept_exec_line(const std::string& exec_value);

}  // namespace sdh::unit
