#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prints a unit file with every sandboxing directive removed: the benchmark's
# baseline, so sdharden starts from nothing as it does for most daemons.
# Usage: strip-sandboxing.sh UNIT_FILE
# Env: STRIP_KEEP=REGEX keeps matching directives (e.g. 'User|Group' for a
# variant where the daemon keeps Debian's service account).
set -euo pipefail
keys='User|Group|DynamicUser|SupplementaryGroups|Private[A-Za-z]*|Protect[A-Za-z]*|RootDirectory|RootImage'
keys+='|LockPersonality|MemoryDenyWriteExecute|NoNewPrivileges|CapabilityBoundingSet|AmbientCapabilities'
keys+='|UMask|KeyringMode|ProcSubset|RemoveIPC|Restrict[A-Za-z]*|SystemCall[A-Za-z]*|IPAddress(Allow|Deny)'
keys+='|DevicePolicy|DeviceAllow|ReadWrite(Paths|Directories)|ReadOnly(Paths|Directories)'
keys+='|Inaccessible(Paths|Directories)|(No)?ExecPaths|TemporaryFileSystem|Bind(ReadOnly)?Paths'
keys+='|SocketBind(Allow|Deny)'
if [[ -n ${STRIP_KEEP:-} ]]; then
  keys=$(tr '|' '\n' <<<"$keys" | grep -vxE "$STRIP_KEEP" | paste -sd'|')
fi
# A continued line ("\" at the end) belongs to the directive it continues.
awk -v re="^[ \t]*(${keys})[ \t]*=" '
  skip { if ($0 !~ /\\$/) skip = 0; next }
  $0 ~ re { if ($0 ~ /\\$/) skip = 1; next }
  { print }
' "$1"
