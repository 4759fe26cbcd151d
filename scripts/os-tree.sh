#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds (once) and prints the path of a Debian OS tree made with debootstrap:
# minbase plus systemd, systemd-sysv and dbus, so it boots under systemd-nspawn
# and its systemd-analyze is an oracle for that release's systemd.
#   scripts/os-tree.sh SUITE|DIR [PACKAGE...]
# SUITE is a Debian suite (trixie, forky, sid, bookworm). The tree is cached in
# ${SDH_TREE_CACHE:-/var/cache/sdharden/os-trees}/SUITE; a half-built tree is
# never left under the final name (built beside it, then renamed). PACKAGEs
# (the daemon to harden and what its check needs) are installed into it with
# the tree's own apt, inside systemd-nspawn, with a policy-rc.d that keeps
# them from starting; a DIR (an existing tree) only gets its packages. The
# archive's address is read from this machine's apt configuration. Progress
# goes to stderr, the path to stdout. Installed as sdharden-os-tree.
# `os-tree.sh --print-mirror` prints that address (scripts/systemd-oracle.sh uses it).
set -euo pipefail

mirror() {
  local uri
  uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | tr ' ' '\n' | grep -v -- '-security' | head -1 || true)
  if [[ -z $uri ]]; then
    uri=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | grep -v -- '-security' | awk '{print $2}' | head -1 || true)
  fi
  [[ -n $uri ]] || { echo "os-tree: no Debian archive found in the apt configuration" >&2; exit 1; }
  echo "${uri%/}"
}

if [[ ${1:-} == --print-mirror ]]; then mirror; exit 0; fi
suite=${1:?usage: os-tree.sh SUITE|DIR [PACKAGE...]}
shift
extra=("$@")
cache=${SDH_TREE_CACHE:-/var/cache/sdharden/os-trees}
want="systemd systemd-sysv dbus"

# Installs the PACKAGEs the tree lacks, with its own apt inside a container.
install_packages() {
  local tree=$1 missing=() p
  for p in "${extra[@]}"; do
    [[ $p =~ ^[a-z0-9][a-z0-9.+-]*$ ]] || { echo "os-tree: bad package name '$p'" >&2; exit 2; }
    chroot "$tree" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [[ -x $tree/usr/sbin/policy-rc.d ]] || { printf '#!/bin/sh\nexit 101\n' > "$tree/usr/sbin/policy-rc.d"; chmod 755 "$tree/usr/sbin/policy-rc.d"; }
  echo "os-tree: installing ${missing[*]} into $tree" >&2
  systemd-nspawn --quiet --register=no --keep-unit --machine="sdh-os-tree-$$" --directory="$tree" --resolv-conf=replace-host \
    /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]}" >&2 \
    || { echo "os-tree: installing ${missing[*]} into $tree failed" >&2; exit 1; }
}

if [[ -d $suite ]]; then
  [[ -x $suite/usr/lib/systemd/systemd || -x $suite/lib/systemd/systemd ]] \
    || { echo "os-tree: $suite has no systemd" >&2; exit 1; }
  install_packages "$suite"
  cd "$suite" && pwd; exit 0
fi
[[ $suite =~ ^[a-z]+$ ]] || { echo "os-tree: '$suite' is neither a directory nor a Debian suite name" >&2; exit 2; }
tree=$cache/$suite


mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ -f $tree/.sdharden-stamp && $(cat "$tree/.sdharden-stamp") == "$want" ]]; then
  install_packages "$tree"
  echo "$tree"; exit 0
fi
if ! command -v debootstrap >/dev/null; then
  echo "os-tree: installing debootstrap" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2
fi
script=/usr/share/debootstrap/scripts/$suite
[[ -e $script ]] || script=/usr/share/debootstrap/scripts/sid   # newer suites than this debootstrap knows
url=$(mirror)
tmp=$cache/.$suite.new
rm -rf "$tmp"
echo "os-tree: debootstrap $suite (minbase; $want) into $tree; a few minutes" >&2
include=$(echo "$want" | tr ' ' ',')
if ! debootstrap --variant=minbase --include="$include" "$suite" "$tmp" "$url" "$script" >"$cache/.$suite.log" 2>&1; then
  echo "os-tree: debootstrap failed; last lines of $cache/.$suite.log:" >&2
  tail -5 "$cache/.$suite.log" >&2
  rm -rf "$tmp"; exit 1
fi
# Daemons installed into the tree later must not start from their maintainer scripts.
printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"
chmod 755 "$tmp/usr/sbin/policy-rc.d"
echo "$want" > "$tmp/.sdharden-stamp"
rm -rf "$tree"
mv "$tmp" "$tree"
install_packages "$tree"
echo "$tree"
