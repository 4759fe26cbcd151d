#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e2e: for every profile fixture, `sdharden propose` predicts the exposure of
# the unit with its drop-in applied; `systemd-analyze security --offline=yes`
# on the unit file with NAME.service.d/ next to it must agree, before and after.
# Also runs `sdharden explain` on the result. Usage: SCRIPT SDHARDEN DATA_DIR
set -u
sdharden=$1
data=$2
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
overall() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' | tail -1; }
for profile in "$data"/*.json; do
  name=$(basename "$profile" .json)
  unit="$tmp/$name.service"
  cp "$data/units/$name.service" "$unit"
  before=$(cd "$tmp" && systemd-analyze security --offline=yes "$unit" 2>/dev/null | overall)
  mkdir -p "$tmp/$name.service.d"
  if ! "$sdharden" propose "$unit" --profile "$profile" -o "$tmp/$name.service.d/90-sdharden.conf" 2>"$tmp/err"; then
    echo "FAIL $name: propose failed: $(cat "$tmp/err")"
    status=1
    continue
  fi
  predicted=$(sed -n 's/^# Predicted exposure.*: \([0-9.?]*\) -> \([0-9.?]*\)$/\1 \2/p' "$tmp/$name.service.d/90-sdharden.conf")
  after=$(cd "$tmp" && systemd-analyze security --offline=yes "$unit" 2>/dev/null | overall)
  if [ -z "$before" ] || [ -z "$after" ]; then
    echo "FAIL $name: systemd-analyze gave no score"
    status=1
  elif [ "$predicted" != "$before $after" ]; then
    echo "FAIL $name: sdharden predicted '$predicted', systemd-analyze says '$before $after'"
    status=1
  elif [ "$before" = "$after" ]; then
    echo "FAIL $name: systemd-analyze ignored the drop-in directory next to the unit file"
    status=1
  else
    echo "ok   $name: $before -> $after (systemd-analyze agrees)"
  fi
  if ! "$sdharden" explain "$unit" --profile "$profile" >"$tmp/$name.md" 2>"$tmp/err" ||
     ! grep -q "^\*\*Exposure: $after" "$tmp/$name.md"; then
    echo "FAIL $name: explain did not report exposure $after: $(cat "$tmp/err")"
    status=1
  fi
done
exit $status
