#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Exactness e2e test: every unit file on the machine plus 5,000 generated units,
# sdharden score vs systemd-analyze security --offline=yes (systemd 252).
# Usage: run_exactness.sh SDHARDEN [COUNT] [SEED]
set -eu
# Every compare run must pass; the first failure stops the script with its status.
SDHARDEN=$1
COUNT=${2:-5000}
SEED=${3:-20261123}
HERE=$(dirname "$0")
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed"; exit 77
fi
if ! systemd-analyze --version | head -1 | grep -q '^systemd 252'; then
  echo "SKIP: the oracle must be systemd 252, found: $(systemd-analyze --version | head -1)"; exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Machine units: one list per directory (names are unique within one).
for d in /lib/systemd/system /etc/systemd/system; do
  find "$d" -maxdepth 1 \( -type f -o -type l \) \
    -regex '.*\.\(service\|socket\|target\|timer\|path\|mount\|swap\|slice\|automount\)' \
    | sort > "$WORK/machine-$(echo "$d" | tr / _).list"
done
find /usr/lib/systemd/user -maxdepth 1 \( -type f -o -type l \) -name '*.service' 2>/dev/null | sort > "$WORK/user.list" || true
python3 "$HERE/gen_units.py" "$WORK/gen" "$COUNT" "$SEED"
for b in "$WORK"/gen/batch-*; do ls "$b"/*.service "$b"/*.socket > "$b.list" 2>/dev/null || true; done
echo "machine units:"
python3 "$HERE/compare.py" "$SDHARDEN" "$WORK"/machine-*.list
if [ -s "$WORK/user.list" ]; then
  echo "user units (--user):"
  mkdir -m 700 "$WORK/xdg"
  XDG_RUNTIME_DIR="$WORK/xdg" SDH_USER=1 python3 "$HERE/compare.py" "$SDHARDEN" "$WORK/user.list"
fi
echo "generated units (seed $SEED):"
python3 "$HERE/compare.py" "$SDHARDEN" "$WORK"/gen/batch-*.list
echo "generated units, first two batches, with a policy file (weights/ranges overridden):"
SDH_POLICY="$HERE/policy.json" python3 "$HERE/compare.py" "$SDHARDEN" "$WORK"/gen/batch-000.list "$WORK"/gen/batch-001.list
