#!/usr/bin/env bash
# Installs what sdharden needs to build and test, from Debian 12 packages.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config clang llvm bpftool
  libsystemd-dev libseccomp-dev libbpf-dev libelf-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev libclang-rt-14-dev
  systemd systemd-container strace python3 curl
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
