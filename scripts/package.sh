#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/package.sh [OUTDIR]: builds the Debian package from a copy of this
# tree with dpkg-buildpackage, checks it with lintian (no error allowed) and
# checks what it installs: the binary runs and finds its probe helper, the
# man page and the completions are in place, and the version is the one of
# project(VERSION). The .deb is left in OUTDIR (default: build-deb/).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build-deb}")
version=$(sed -n 's/^project(sdharden VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
changelog=$(dpkg-parsechangelog -S Version)
if [[ $changelog != "$version" ]]; then
  echo "package: debian/changelog says $changelog, project(VERSION) says $version" >&2
  exit 1
fi
work=$(mktemp -d /tmp/sdh-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/sdharden-$version
mkdir -p "$src"
# The tracked files only: what a clean clone has.
git ls-files -z | xargs -0 cp --parents -t "$src"
echo "package: dpkg-buildpackage (${DEB_BUILD_OPTIONS:-with unit tests})"
(cd "$src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
  tail -40 "$work/build.log"
  exit 1
}
deb=$(ls "$work"/sdharden_"$version"_*.deb)
echo "package: lintian $(basename "$deb")"
lintian --fail-on error --suppress-tags initial-upload-closes-no-bugs "$deb" | tee "$work/lintian.txt"
# What the package installs, and that it runs from there.
root=$work/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/sdharden usr/libexec/sdharden/sdharden-probe usr/share/man/man1/sdharden.1.gz \
         usr/share/bash-completion/completions/sdharden usr/share/zsh/vendor-completions/_sdharden; do
  [[ -e $root/$f ]] || { echo "package: $f missing" >&2; exit 1; }
done
got=$("$root/usr/bin/sdharden" --version)
[[ $got == *"$version"* ]] || { echo "package: --version says '$got', expected $version" >&2; exit 1; }
# The helper is found next to the binary's ../libexec/sdharden.
printf '[Service]\nExecStart=/bin/true\n' >"$work/t.service"
"$root/usr/bin/sdharden" score --summary "$work/t.service" | grep -q "Overall exposure" ||
  { echo "package: the packaged binary does not score" >&2; exit 1; }
# score and lint need no container: systemd-nspawn is recommended (verify,
# auto), not pulled into CI images that only gate on scores.
depends=$(dpkg-deb -f "$deb" Depends) recommends=$(dpkg-deb -f "$deb" Recommends)
[[ $depends != *systemd-container* ]] || { echo "package: Depends pulls systemd-container: $depends" >&2; exit 1; }
[[ $recommends == *systemd-container* ]] || { echo "package: Recommends lacks systemd-container: $recommends" >&2; exit 1; }
# Installed for real (as root; removed again): the command, its man page and
# its completion work from where the package puts them.
if [[ $(id -u) -eq 0 ]] && ! dpkg-query -W -f='${Status}' sdharden 2>/dev/null | grep -q "install ok installed"; then
  dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; exit 1; }
  installed_ok=1
  [[ $(/usr/bin/sdharden --version) == *"$version"* ]] || installed_ok=0
  if command -v man >/dev/null; then
    man -w sdharden >/dev/null 2>&1 || { echo "package: man sdharden finds no page" >&2; installed_ok=0; }
    MANPAGER=cat man sdharden 2>/dev/null | grep -q "sdharden score" || { echo "package: man sdharden is empty" >&2; installed_ok=0; }
  fi
  bash -c 'source /usr/share/bash-completion/completions/sdharden && complete -p sdharden' >/dev/null ||
    { echo "package: the bash completion does not register" >&2; installed_ok=0; }
  words=$(bash -c 'source /usr/share/bash-completion/completions/sdharden
    COMP_WORDS=(sdharden sc); COMP_CWORD=1; _sdharden; echo "${COMPREPLY[*]}"')
  [[ $words == *score* ]] || { echo "package: completing 'sdharden sc' gives '$words'" >&2; installed_ok=0; }
  # The autopkgtest, run as autopkgtest would against the installed package.
  AUTOPKGTEST_TMP=$(mktemp -d "$work/adt.XXXXXX") debian/tests/score-and-lint ||
    { echo "package: the autopkgtest debian/tests/score-and-lint fails" >&2; installed_ok=0; }
  # (dh_compress gzips the larger documents.)
  [[ -f /usr/share/doc/sdharden/json-output.md || -f /usr/share/doc/sdharden/json-output.md.gz ]] ||
    { echo "package: /usr/share/doc/sdharden/json-output.md missing" >&2; installed_ok=0; }
  dpkg -r sdharden >>"$work/dpkg.log" 2>&1
  ((installed_ok)) || exit 1
  echo "package: installed, ran --version, man sdharden, the bash completion and the autopkgtest, removed again"
fi
mkdir -p "$out"
cp "$deb" "$out/"
echo "package: ok: $out/$(basename "$deb") ($(du -h "$deb" | cut -f1)), lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors, $(grep -c '^W:' "$work/lintian.txt" || true) warnings"
