#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end, against the real systemd of this machine: NoExecPaths= mounts
# each listed folder on its own, and such a mount escapes the read-only pass
# of ProtectSystem=strict, so root can create files in /run under
# `ProtectSystem=strict` + `NoExecPaths=-/run`. The exec-paths rule restates
# the folder read-only (`ReadOnlyPaths=-/run`); this test shows both, with
# the containment battery's write-run attempt, on a plain root service.
# Cost: four verifications, about 20 s.
set -uo pipefail
SDHARDEN=$1
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root (systemd container)"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing"; exit 77; fi
work=$(mktemp -d /tmp/sdharden-noexec-XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Unit]\nDescription=sdharden e2e: a root service\n[Service]\nExecStart=/bin/sleep infinity\n' \
  >"$work/sdh-e2e-noexec.service"
failures=0
attempt() {  # attempt ID NAME DROPIN-BODY: prints the battery's outcome of attempt ID under the drop-in
  printf '[Service]\n%s\n' "$3" >"$work/$2.conf"
  "$SDHARDEN" verify "$work/sdh-e2e-noexec.service" --dropin "$work/$2.conf" --check true --no-profile --json \
    >"$work/$2.json" 2>"$work/$2.err"
  jq -r --arg id "$1" '.containment.rows[] | select(.id == $id) | .hardened' "$work/$2.json" 2>/dev/null
}
write_run() { attempt write-run "$@"; }
strict=$(write_run strict 'ProtectSystem=strict')
quirk=$(write_run noexec $'ProtectSystem=strict\nNoExecPaths=-/run')
fixed=$(write_run restated $'ProtectSystem=strict\nNoExecPaths=-/run\nReadOnlyPaths=-/run')
echo "write-run: strict=$strict, strict+NoExecPaths=$quirk, strict+NoExecPaths+ReadOnlyPaths=$fixed"
if [[ -z $strict || -z $fixed ]]; then
  echo "FAIL: the battery did not run: $(tail -3 "$work/strict.err" "$work/restated.err")"; exit 1
fi
[[ $strict == refused ]] || { echo "FAIL: ProtectSystem=strict alone leaves /run writable"; failures=$((failures + 1)); }
[[ $fixed == refused ]] || { echo "FAIL: ReadOnlyPaths=-/run does not keep /run read-only beside NoExecPaths=-/run"; failures=$((failures + 1)); }
# Either outcome is a fact about this systemd; anything else (no battery
# row, a probe that could not tell) means nothing was shown.
outcome_of() {  # outcome_of NAME VALUE: fails unless VALUE is possible or refused
  [[ $2 == possible || $2 == refused ]] && return 0
  echo "FAIL: $1: the battery gave no outcome ('$2'): $(tail -3 "$work/$1.err" 2>/dev/null)"
  failures=$((failures + 1))
  return 1
}
outcome_of noexec "$quirk"
if [[ $quirk == possible ]]; then
  echo "ok: this systemd leaves /run writable under NoExecPaths=-/run, and the restated ReadOnlyPaths= closes it"
else
  [[ $quirk == refused ]] && echo "note: this systemd keeps /run read-only under NoExecPaths=-/run: the restated line is harmless"
fi
# ExecPaths= entries are mounts of their own too: why a root service gets no
# program list (its programs and libraries would be open to rewriting).
holes=$(attempt write-var-lib execpaths $'ProtectSystem=strict\nExecPaths=/var/lib')
outcome_of execpaths "$holes"
if [[ $holes == possible ]]; then
  echo "ok: this systemd leaves an ExecPaths= entry (/var/lib) writable under ProtectSystem=strict"
else
  [[ $holes == refused ]] && echo "note: this systemd keeps an ExecPaths= entry read-only under ProtectSystem=strict"
fi
exit $((failures > 0))
