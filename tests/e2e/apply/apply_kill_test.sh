#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sdharden apply killed (SIGKILL) at each step leaves the old drop-in or the
# new one, never a partial file; then a full apply installs the new one and
# keeps the old one as backup. Runs in a --root tree: no root needed.
set -euo pipefail
SDHARDEN=$1
root=$(mktemp -d /tmp/sdharden-apply-XXXXXX)
trap 'rm -rf "$root"' EXIT
unit=demo.service
target=$root/etc/systemd/system/$unit.d/50-sdharden.conf
old=$'[Service]\nProtectSystem=full\n'
new_file=$root/new.conf
printf '[Service]\nProtectSystem=strict\nPrivateTmp=yes\n' > "$new_file"
mkdir -p "$(dirname "$target")"
printf '%s' "$old" > "$target"

for step in 1 2 3; do
  printf '%s' "$old" > "$target"
  set +e
  SDHARDEN_APPLY_KILL_AT=$step "$SDHARDEN" apply "$unit" --dropin "$new_file" --root "$root" >/dev/null 2>&1
  rc=$?
  set -e
  [[ $rc -eq 137 ]] || { echo "FAIL: step $step: expected death by SIGKILL (137), got $rc"; exit 1; }
  content=$(cat "$target")
  if [[ "$content"$'\n' != "$old" && "$content" != "$(cat "$new_file")" ]]; then
    echo "FAIL: step $step left a partial drop-in:"; cat "$target"; exit 1
  fi
  # Only *.conf files are read by systemd; leftovers must not be one.
  if ls "$(dirname "$target")" | grep -v '^50-sdharden.conf$' | grep -q '\.conf$'; then
    echo "FAIL: step $step left another .conf file"; ls -la "$(dirname "$target")"; exit 1
  fi
  echo "ok: killed at step $step -> $( [[ "$content" == "$(cat "$new_file")" ]] && echo new || echo old ) configuration"
done

# The header's host changes are said before anything is installed, escaped.
printf '# Host change: /var/agentx: root:root -> snmp:snmp, the folder alone\n# Host change: /x\033[31m: a -> b\n%s' \
  "$(cat "$new_file")" > "$new_file.tmp" && mv "$new_file.tmp" "$new_file"
said=$("$SDHARDEN" apply "$unit" --dropin "$new_file" --root "$root")
cmp -s "$target" "$new_file" || { echo "FAIL: new drop-in not installed"; exit 1; }
[[ $said == *"changes the owner of these paths"*"  /var/agentx: root:root -> snmp:snmp, the folder alone"* ]] ||
  { echo "FAIL: apply did not say the host changes: $said"; exit 1; }
[[ $said != *$'\033'* ]] || { echo "FAIL: apply printed a raw escape from the drop-in"; exit 1; }
backup=$root/var/lib/sdharden/backup/$unit/50-sdharden.conf.prev
[[ -f $backup ]] || { echo "FAIL: no backup at $backup"; exit 1; }
if ls -a "$(dirname "$target")" | grep -q '\.tmp-'; then echo "FAIL: stale temp files"; exit 1; fi
echo "PASS"
