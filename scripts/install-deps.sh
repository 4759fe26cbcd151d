#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what sdharden needs to build and test, from Debian 12 packages.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config clang llvm bpftool
  libsystemd-dev libseccomp-dev libbpf-dev libelf-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev libclang-rt-14-dev
  systemd systemd-container strace python3 curl jq util-linux
  debhelper dpkg-dev lintian xz-utils debootstrap
  ansible-core chromium
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all build dependencies present"
fi

# Real daemons the end-to-end tests harden (nginx for `auto`, memcached for the
# benchmark's CI run; sudo for the login-session test). Installed with a
# policy-rc.d that exits 101 so their init scripts do not start them on this host.
if [[ ${1:-} == --test-daemons ]]; then
  DAEMONS=(nginx memcached netcat-openbsd sudo)
  need=()
  for p in "${DAEMONS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if ((${#need[@]})); then
    echo "install-deps: installing test daemons ${need[*]} (not started)"
    policy=/usr/sbin/policy-rc.d saved=""
    if [[ -e $policy ]]; then saved=$(mktemp); cp -a "$policy" "$saved"; fi
    restore() { if [[ -n $saved ]]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi; }
    trap restore EXIT
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
fi
