#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prints the path of a systemd-analyze of the given systemd version that runs on
# this machine, fetching it from Debian's archive once (cached):
#   scripts/systemd-oracle.sh RELEASE      (a folder of data/systemd)
# Where each release's comes from is data, data/systemd/RELEASE/oracle.txt:
#   host          the machine's own
#   unpack SUITE  SUITE's systemd and libsystemd-shared, unpacked (the host's libc)
#   tree SUITE    a debootstrapped SUITE tree (scripts/os-tree.sh), run with its own loader
# The printed wrapper runs the binary against the host's files (unit paths given
# on the command line are the host's), so it scores exactly what sdharden scores.
# The archive's address is read from this machine's apt configuration.
set -euo pipefail
version=${1:?usage: systemd-oracle.sh RELEASE (a folder of data/systemd)}
here=$(cd "$(dirname "$0")" && pwd)
source_file=$here/../data/systemd/$version/oracle.txt
if [[ ! $version =~ ^[0-9]+$ || ! -f $source_file ]]; then
  echo "systemd-oracle: no oracle known for systemd $version (releases: $(ls "$here/../data/systemd" | tr '\n' ' '))" >&2
  exit 2
fi
read -r how suite < <(grep -v '^#' "$source_file" | grep . | head -1)
cache=${SDH_ORACLE_CACHE:-/var/cache/sdharden/oracles}
mkdir -p "$cache"
wrapper=$cache/systemd-analyze-$version

check() {  # the wrapper must report the version it is named for
  local got
  got=$("$wrapper" --version 2>/dev/null | head -1 | awk '{print $2}')
  [[ $got == "$version" ]] || { echo "systemd-oracle: $wrapper reports systemd '$got', not $version" >&2; exit 1; }
}

if [[ -x $wrapper && -x $cache/systemd-$version ]]; then check; echo "$wrapper"; exit 0; fi

mirror() { "$here/os-tree.sh" --print-mirror; }  # the archive address, read from apt

# write_wrappers ROOT PREFIX: systemd-analyze-VERSION and systemd-VERSION (the
# manager, for --dump-configuration-items) run ROOT's binaries through PREFIX.
write_wrappers() {
  local root=$1 prefix=$2 name bin
  for name in systemd-analyze systemd; do
    bin=$root/usr/bin/systemd-analyze
    if [[ $name == systemd ]]; then
      bin=$root/usr/lib/systemd/systemd
      [[ -x $bin ]] || bin=$root/lib/systemd/systemd   # bookworm-backports' packages are not merged-/usr
    fi
    [[ -x $bin ]] || { echo "systemd-oracle: no $name binary under '${root:-/}'" >&2; exit 1; }
    printf '#!/bin/sh\nexec %s %s "$@"\n' "$prefix" "$bin" > "$cache/$name-$version.new"
    chmod 755 "$cache/$name-$version.new"
    mv "$cache/$name-$version.new" "$cache/$name-$version"
  done
}

loader_prefix() {  # TREE: TREE's own dynamic loader and libraries (a newer libc than the host's)
  local tree=$1 ld
  ld=$tree/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
  [[ -x $ld ]] || { echo "systemd-oracle: no dynamic loader in $tree" >&2; exit 1; }
  echo "\"$ld\" --library-path \"$tree/usr/lib/x86_64-linux-gnu/systemd:$tree/usr/lib/x86_64-linux-gnu\""
}

case $how in
  host)
    command -v systemd-analyze >/dev/null || { echo "systemd-oracle: systemd-analyze is not installed" >&2; exit 1; }
    write_wrappers "" "" ;;
  unpack)
    dir=$cache/$version
    apt=$cache/.apt-$version
    rm -rf "$apt" "$dir.new"; mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$dir.new"
    echo "deb $(mirror) $suite main" > "$apt/sources.list"
    opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache::Archives=$apt/archives")
    echo "systemd-oracle: fetching systemd $version from $suite" >&2
    apt-get "${opts[@]}" update -qq >&2
    (cd "$apt/archives" && apt-get "${opts[@]}" download -t "$suite" systemd libsystemd-shared >&2)
    for deb in "$apt"/archives/*.deb; do dpkg-deb -x "$deb" "$dir.new"; done
    rm -rf "$dir" "$apt"; mv "$dir.new" "$dir"
    write_wrappers "$dir" "env LD_LIBRARY_PATH=\"$dir/usr/lib/x86_64-linux-gnu/systemd\"" ;;
  tree) tree=$("$here/os-tree.sh" "$suite"); write_wrappers "$tree" "$(loader_prefix "$tree")" ;;
  *) echo "systemd-oracle: $source_file: '$how' is not host, unpack SUITE or tree SUITE" >&2; exit 2 ;;
esac
check
echo "$wrapper"
