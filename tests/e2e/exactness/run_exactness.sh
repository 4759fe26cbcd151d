#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Exactness e2e test: every unit file on the machine plus COUNT generated units,
# `sdharden score --systemd VERSION` vs that release's own
# `systemd-analyze security --offline=yes` (fetched by scripts/systemd-oracle.sh:
# the host's for 252, bookworm-backports' for 254, debootstrapped trixie/forky
# trees for 257/262, cached outside the clone).
# Usage: run_exactness.sh SDHARDEN VERSION [COUNT] [SEED]
set -eu
# Every compare run must pass; the first failure stops the script with its status.
SDHARDEN=$1
VERSION=$2
COUNT=${3:-5000}
SEED=${4:-20261123}
HERE=$(dirname "$0")
if [ "$VERSION" = 252 ] && ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed"; exit 77
fi
if ! ANALYZE=$("$HERE/../../../scripts/systemd-oracle.sh" "$VERSION"); then
  if [ "$(id -u)" != 0 ]; then echo "SKIP: fetching systemd $VERSION's systemd-analyze needs root"; exit 77; fi
  echo "FAIL: could not get systemd $VERSION's systemd-analyze (scripts/systemd-oracle.sh $VERSION)"; exit 1
fi
echo "oracle: $("$ANALYZE" --version | head -1) ($ANALYZE)"
export SDH_ANALYZE="$ANALYZE" SDH_SYSTEMD="$VERSION"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Machine units: one list per directory (names are unique within one).
for d in /lib/systemd/system /etc/systemd/system; do
  find "$d" -maxdepth 1 \( -type f -o -type l \) \
    -regex '.*\.\(service\|socket\|target\|timer\|path\|mount\|swap\|slice\|automount\)' \
    | sort > "$WORK/machine-$(echo "$d" | tr / _).list"
done
# A release run from a debootstrapped tree also scores that tree's own units
# (the unit files of the Debian release that ships it).
TREE=$(grep -o '/[^" ]*/os-trees/[a-z]*' "$ANALYZE" | head -1 || true)
if [ -n "$TREE" ] && [ -d "$TREE/usr/lib/systemd/system" ]; then
  find "$TREE/usr/lib/systemd/system" -maxdepth 1 \( -type f -o -type l \) \
    -regex '.*\.\(service\|socket\|target\|timer\|path\|mount\|swap\|slice\|automount\)' \
    | sort > "$WORK/machine-tree.list"
fi
find /usr/lib/systemd/user -maxdepth 1 \( -type f -o -type l \) -name '*.service' 2>/dev/null | sort > "$WORK/user.list" || true
python3 "$HERE/gen_units.py" "$WORK/gen" "$COUNT" "$SEED" "$VERSION"
for b in "$WORK"/gen/batch-*; do ls "$b"/*.service "$b"/*.socket > "$b.list" 2>/dev/null || true; done
echo "machine units (this host${TREE:+, and $TREE}):"
python3 "$HERE/compare.py" "$SDHARDEN" "$WORK"/machine-*.list
if [ -s "$WORK/user.list" ]; then
  echo "user units (--user):"
  mkdir -m 700 "$WORK/xdg"
  XDG_RUNTIME_DIR="$WORK/xdg" SDH_USER=1 python3 "$HERE/compare.py" "$SDHARDEN" "$WORK/user.list"
fi
echo "generated units (seed $SEED, systemd $VERSION's directives):"
python3 "$HERE/compare.py" "$SDHARDEN" "$WORK"/gen/batch-*.list
echo "generated units, first two batches, with a policy file (weights/ranges overridden):"
SDH_POLICY="$HERE/policy.json" python3 "$HERE/compare.py" "$SDHARDEN" "$WORK"/gen/batch-000.list "$WORK"/gen/batch-001.list
