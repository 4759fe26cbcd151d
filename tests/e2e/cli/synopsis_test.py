#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# synopsis_test.py SDHARDEN README MANPAGE: every option each command's --help
# shows is in the command's synopsis line of the README and of the man page
# (one of its spellings), and every option a synopsis names exists; so the
# three cannot drift apart.
import re
import subprocess
import sys

binary, readme, manpage = sys.argv[1:4]


def help_of(*args):
    return subprocess.run([binary, *args, "--help"], capture_output=True, text=True, check=True).stdout


commands = []
listing = False
for line in help_of().splitlines():
    if line.lower().startswith("subcommands:"):
        listing = True
        continue
    if listing and line.strip():
        commands.append(line.split()[0])
    elif listing:
        listing = False

# An option: one or two dashes at the start of a word ("-o", "--fail-on"), not
# the dash inside one ("drop-in").
opt = re.compile(r"(?<![\w-])--?[a-zA-Z][a-zA-Z0-9-]*")


def synopsis_lines(text, strip_roff):
    lines = {}
    for line in text.splitlines():
        if strip_roff:
            line = re.sub(r"\\f[BIRP]", "", line).replace("\\-", "-").replace("\\", "")
        m = re.match(r"\s*sdharden\s+([a-z]+)\b(.*)", line)
        if m and m.group(1) in commands and m.group(1) not in lines:
            lines[m.group(1)] = m.group(2)
    return lines


readme_lines = synopsis_lines(open(readme).read(), False)
man_text = open(manpage).read()
man_synopsis = man_text[man_text.index(".SH SYNOPSIS"):man_text.index(".SH DESCRIPTION")]
man_lines = synopsis_lines(man_synopsis, True)

failures = []
for cmd in commands:
    groups = []  # the spellings of one option, from one --help line
    for line in help_of(cmd).splitlines():
        if re.match(r"\s+-", line):
            # "  -o,--output TEXT   description": the names come before the description.
            head = re.split(r"\s{2,}", line.strip())[0]
            names = [n for n in opt.findall(head) if n not in ("-h", "--help")]
            if names:
                groups.append(names)
    known = {n for g in groups for n in g}
    for where, lines in (("README.md", readme_lines), ("man page", man_lines)):
        if cmd not in lines:
            failures.append(f"{where}: no synopsis line for `sdharden {cmd}`")
            continue
        shown = set(opt.findall(lines[cmd]))
        for g in groups:
            if not shown & set(g):
                failures.append(f"{where}: `sdharden {cmd}` synopsis lacks {g[0]}")
        for s in sorted(shown - known):
            failures.append(f"{where}: `sdharden {cmd}` synopsis names {s}, which --help does not show")

for f in failures:
    print("FAIL:", f)
print(f"synopsis: {len(commands)} commands checked against README.md and the man page, {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
