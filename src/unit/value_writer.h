// SPDX-License-Identifier: GPL-2.0-or-later
// The one writer for values sdharden puts into unit files and drop-ins.
//
// Every string that reaches a drop-in may come from something hostile: a file
// name the traced daemon chose, a user name from an OS image, a path from the
// journal. Each value kind below is written the way systemd's parser for that
// kind reads it back (quotes, backslashes, "%%" for a literal percent sign,
// "$$" in command lines), or refused with the reason; nothing that cannot be
// read back as exactly the same value is ever written. Control characters are
// refused everywhere: a newline would end the assignment and start another.
// The inverse of each writer is the unit parser (unit/assign.cc), and the
// tests check the round trip for arbitrary bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace sdh::unit {

// A path systemd takes whole, unquoted (RootDirectory=, WorkingDirectory=,
// PIDFile=): absolute, no control characters, no leading or trailing blank,
// no trailing backslash (it would continue the line); "%" is doubled.
Result<std::string> write_path(std::string_view path);

// One entry of a space-separated path list (ReadWritePaths=, ReadOnlyPaths=,
// InaccessiblePaths=, ExecPaths=, NoExecPaths=, BindPaths= sources...),
// `prefixes` ("-", "+", "-+") written before it. Quoted when it holds a blank,
// a quote, a backslash or a colon (BindPaths= splits at colons outside quotes).
Result<std::string> write_path_item(std::string_view path, std::string_view prefixes = "");
// Several entries, each as write_path_item with the same prefixes, blank-separated.
Result<std::string> write_path_list(const std::vector<std::string>& paths, std::string_view prefixes = "");

// The entries of a list value as written above, quotes and "%%" undone (a
// written list reads back as the items it was written from, prefixes kept);
// nullopt when the quoting is broken.
std::optional<std::vector<std::string>> read_list_items(std::string_view value);

// A command line (ExecStartPre= ...): `prefixes` ("+", "-", "!", ...) before the
// program, each argument quoted where needed, "%" and "$" doubled so neither a
// specifier nor an environment variable is expanded.
Result<std::string> write_command_line(const std::vector<std::string>& argv, std::string_view prefixes = "");

// A name below a managed-directory base (RuntimeDirectory=, StateDirectory=...):
// relative, no "." or ".." component, only characters that need no quoting.
Result<std::string> write_directory_name(std::string_view name);

// A user or group name for User=/Group=/SupplementaryGroups= (systemd's strict
// rules: letters, digits, "_", "-", "." and a final "$"; not starting with a
// digit or "-"), or a numeric id.
Result<std::string> write_account_name(std::string_view name);

// A word of a fixed vocabulary (a system call, an address family, a
// capability, an IP address): letters, digits, "_", "@", ":", "." and "-" only; `what` names the
// vocabulary in the refusal ("system call").
Result<std::string> write_word(std::string_view word, std::string_view what);

// Free text for a comment line: one line, control characters replaced by
// blanks, invalid UTF-8 replaced by "?". Never fails.
std::string write_comment_text(std::string_view text);

// Untrusted text shown to a person (a comment, a terminal, a report): control
// characters and bytes that are not UTF-8 as C escapes ("\n", "\x1b"), so
// it stays one line and cannot steer the terminal.
std::string escape_for_display(std::string_view text);

// The same for several lines: each line escaped, the newlines kept.
std::string escape_lines_for_display(std::string_view text);

// Whether `text` is valid UTF-8 (systemd ignores unit-file lines that are not).
bool valid_utf8(std::string_view text);
// Whether `text` holds a byte below 0x20 or DEL.
bool has_control_character(std::string_view text);

}  // namespace sdh::unit
