#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: a daemon that starts login sessions (PAM through runuser -l,
# the account's shell, a command in it) must get a drop-in under which
# `sudo -n true` still works in the sessions it starts: auto must recognise
# it and keep NoNewPrivileges=, the bounding set and the syscall filter out
# without needing a relaxation. The same check under NoNewPrivileges=yes
# must fail, or it proves nothing; so must a drop-in the check cannot feel
# but sessions would inherit. Cost: about 60 s.
set -uo pipefail
SDHARDEN=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root (eBPF profiler, systemd container)"; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then echo "SKIP: systemd-nspawn missing"; exit 77; fi
if ! command -v sudo >/dev/null || ! command -v runuser >/dev/null; then
  echo "SKIP: sudo or runuser missing (scripts/install-deps.sh --test-daemons installs sudo)"; exit 77
fi
out=$(mktemp -d /tmp/sdharden-session-XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! "$SDHARDEN" profile -o "$out/probe.json" -- /bin/true >/dev/null 2>"$out/probe.err"; then
  echo "SKIP: the eBPF profiler does not work here: $(head -2 "$out/probe.err")"; exit 77
fi
cat >"$out/sdh-e2e-sessions.service" <<UNIT
[Unit]
Description=sdharden e2e: a daemon that starts login sessions

[Service]
ExecStart=/usr/bin/python3 /etc/sdh-e2e/session_server.py 8094
UNIT
# The account and its sudo rule live in the container's throw-away /etc.
check='id sdhsess >/dev/null 2>&1 || useradd -m -s /bin/bash sdhsess
echo "sdhsess ALL=(ALL) NOPASSWD: ALL" >/etc/sudoers.d/sdhsess
python3 -c "import socket; s = socket.create_connection((\"127.0.0.1\", 8094)); s.sendall(b\"sdhsess\n\"); print(s.recv(4096).decode())" | grep -q SUDO-OK'
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
server=(--file "/etc/sdh-e2e/session_server.py=$here/session_server.py")
timeout 400 "$SDHARDEN" auto "$out/sdh-e2e-sessions.service" "${server[@]}" --check "$check" -o "$out/dropin.conf" >"$out/auto.txt" 2>&1
rc=$?
grep -E '^(exposure|relaxed)' "$out/auto.txt"
if [[ $rc -eq 0 && -s $out/dropin.conf ]]; then echo "ok: auto verified a drop-in under which sudo works in a session"
else fail "auto exited $rc"; tail -20 "$out/auto.txt"; fi
if grep -q '^relaxed' "$out/auto.txt"; then fail "the proposal needed a relaxation: it did not recognise the sessions"; fi
for key in NoNewPrivileges CapabilityBoundingSet SystemCallFilter ProtectHome; do
  if grep -q "^$key=" "$out/dropin.conf" 2>/dev/null; then fail "the drop-in sets $key=, which sessions inherit"
  else echo "ok: no $key= (sessions inherit it)"; fi
done
if grep -q 'starts login sessions (uses PAM' "$out/dropin.conf" 2>/dev/null; then echo "ok: the drop-in says why"
else fail "the drop-in does not say it starts login sessions"; fi
# The check can fail: NoNewPrivileges=yes breaks sudo in the sessions.
printf '[Service]\nNoNewPrivileges=yes\n' >"$out/nnp.conf"
timeout 300 "$SDHARDEN" verify "$out/sdh-e2e-sessions.service" "${server[@]}" --dropin "$out/nnp.conf" --check "$check" >"$out/nnp.txt" 2>&1
rc=$?
if [[ $rc -eq 1 ]]; then echo "ok: under NoNewPrivileges=yes the same check fails (verify exit 1)"
else fail "verify with NoNewPrivileges=yes exited $rc (expected 1)"; tail -10 "$out/nnp.txt"; fi
# Sessions are a verified property: the auto verdict says so, and a drop-in
# written by hand that the check cannot feel (sudo -n true still works) but
# that every administrator's session would inherit fails, naming its lines.
if grep -q 'PASS login-sessions' "$out/auto.txt"; then echo "ok: auto verified what sessions inherit"
else fail "auto's verdict has no passed login-sessions item"; grep -i session "$out/auto.txt" | tail -5; fi
printf '[Service]\nProtectKernelLogs=yes\nPrivateDevices=yes\n' >"$out/quiet.conf"
timeout 300 "$SDHARDEN" verify "$out/sdh-e2e-sessions.service" "${server[@]}" --dropin "$out/quiet.conf" --check "$check" >"$out/quiet.txt" 2>&1
rc=$?
if [[ $rc -eq 1 ]] && grep -q 'FAIL login-sessions.*ProtectKernelLogs=' "$out/quiet.txt" \
   && grep -q 'FAIL login-sessions.*PrivateDevices=' "$out/quiet.txt"; then
  echo "ok: a session-crippling drop-in the check passes fails on what sessions inherit"
else fail "verify of ProtectKernelLogs= PrivateDevices= exited $rc without naming them"; tail -12 "$out/quiet.txt"; fi
[[ $failures -eq 0 ]] && echo PASS
exit $((failures > 0))
