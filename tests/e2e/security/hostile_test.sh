#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile_test.sh SDHARDEN CASE: one hostile-input case of issue 21. Strings a
# traced daemon controls (profile paths with newlines, spaces, %, HTML), OS
# trees handed to --root (absolute symlinks, "..", aliases, FIFOs, dot-file
# drop-ins), symlinked apply targets and a planted -o temp link, gates on empty
# matches and unloadable units, wrong-typed JSON, escape sequences in unit text.
# Each case must work correctly or be refused with exit 2, and no "host" file
# (planted in a temp folder outside the --root tree) may be read into the
# output, written, or have its mode changed. Every case first runs a control
# variant that must work, so a refusal for the wrong reason cannot pass.
# Exit 0 pass, 1 fail, 77 skip (with the reason printed).
set -uo pipefail
BIN=$1
CASE=$2
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
umask 022
WORK=$(mktemp -d /tmp/sdh-e2e-sec.XXXXXX)
HOST=$(mktemp -d /tmp/sdh-e2e-sec-host.XXXXXX)  # stands for the host, outside every tree
chmod 755 "$WORK" "$HOST"
trap 'chmod -R u+rwx "$WORK" "$HOST" 2>/dev/null; rm -rf "$WORK" "$HOST"' EXIT
# A marker that only the host files carry (letters and digits, so it is also
# a valid directive name): seen in any output or tree file, host data leaked.
MARK=SdhHostSecret$RANDOM$RANDOM$RANDOM
TREEMARK=SdhTreeOwn$RANDOM$RANDOM
# A command that hangs (a FIFO opened for reading) is stopped after this long;
# the issue asks for 10 s, and a run that needs longer fails either way.
LIMIT=10
HUNG=0

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED CMD...: runs with a time limit and stdin closed, keeps
# stdout/stderr in $OUT/$ERR, checks the exit code (EXPECTED is a regex such
# as '0|2') and that nothing crashed or hung. After a hang in this case, later
# commands are skipped (RC=124) so a hanging case costs LIMIT seconds once.
run() {
  local expected=$1
  shift
  if ((HUNG)); then
    RC=124 OUT="" ERR=""
    echo "note: skipped after an earlier hang: $*"
    return
  fi
  timeout -k 2 "$LIMIT" "$@" </dev/null >"$WORK/out" 2>"$WORK/err"
  RC=$?
  OUT=$(tr -d '\0' <"$WORK/out")
  ERR=$(tr -d '\0' <"$WORK/err")
  if ((RC == 124 || RC == 137)); then
    HUNG=1
    fail "did not finish within ${LIMIT} s (hangs): $*"
  elif ((RC >= 128 || RC == 70)) || grep -qE "AddressSanitizer|runtime error:|internal error" "$WORK/err"; then
    fail "crash or internal error (rc=$RC) running: $*"
    head -c 2000 "$WORK/err"
  elif [[ ! $RC =~ ^($expected)$ ]]; then
    fail "exit $RC, expected $expected: $*"
    echo "--- stdout"; head -c 2000 "$WORK/out"; echo; echo "--- stderr"; head -c 2000 "$WORK/err"; echo
  fi
}

# control CMD...: a variant that must work (exit 0); without it the case
# proves nothing, so its failure fails the case.
control() {
  run 0 "$@"
  ((RC == 0)) || fail "control variant does not work, the case cannot test anything: $*"
}

# refused CMD...: must exit 2 for its input, not for a command-line mistake.
refused() {
  run 2 "$@"
  if ((RC == 2)) && [[ $ERR == *"Run with --help"* ]]; then
    fail "refused as a usage error (wrong flag in the test?), not for its input: $* -- $ERR"
  fi
}

# no_leak WHAT: the host marker is in none of the last outputs, nor in any file
# of the work folder (outputs, trees, backups).
no_leak() {
  if [[ $OUT == *"$MARK"* || $ERR == *"$MARK"* ]]; then
    fail "$1: host file content in the output: $(printf '%s\n%s' "$OUT" "$ERR" | grep -m3 "$MARK")"
  fi
  local hits
  hits=$(grep -rl --binary-files=text "$MARK" "$WORK" 2>/dev/null | grep -v -e "^$WORK/out$" -e "^$WORK/err$")
  [[ -z $hits ]] || fail "$1: host file content copied into: $hits"
}

# snapshot DIR: names, types, modes, sizes, mtimes, link targets and hashes
# of everything below DIR (the "host"), to compare before and after.
snapshot() {
  (cd "$1" && find . -printf '%p %y %m %s %T@ %l\n' | sort && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}
host_before() { snapshot "$HOST" >"$WORK/.host.before"; }
host_unchanged() {
  snapshot "$HOST" >"$WORK/.host.after"
  if ! cmp -s "$WORK/.host.before" "$WORK/.host.after"; then
    fail "$1: a host file outside the tree was written, created or changed mode:"
    diff "$WORK/.host.before" "$WORK/.host.after" | head -20
  fi
}

unit_file() {  # unit_file PATH [DIRECTIVES...]: a [Service] unit
  mkdir -p "$(dirname "$1")"
  local f=$1
  shift
  { printf '[Service]\nExecStart=/bin/true\n'; for d in "$@"; do printf '%s\n' "$d"; done; } >"$f"
}
HARDENED=(DynamicUser=yes PrivateNetwork=yes PrivateDevices=yes ProtectSystem=strict ProtectHome=yes
  CapabilityBoundingSet= SystemCallFilter=@system-service RestrictAddressFamilies=AF_UNIX)

# exposure ARGS...: exposure_tenths of `score --json ARGS` (empty on failure).
exposure() {
  "$BIN" score --json "$@" 2>/dev/null </dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["exposure_tenths"])' 2>/dev/null
}
# sa_exposure TREE UNIT: systemd-analyze's overall exposure in tenths, or empty.
sa_exposure() {
  command -v systemd-analyze >/dev/null || return 0
  timeout 30 systemd-analyze security --offline=yes --no-pager --root="$1" "$2" 2>&1 </dev/null |
    sed -n 's/.*Overall exposure level for .*: \([0-9]*\)\.\([0-9]\) .*/\1\2/p' | sed 's/^0*\([0-9]\)/\1/'
}

# --- profiles --------------------------------------------------------------
# A unit and a profile of it (tests/data/profiles/varlib.json, renamed); the
# mutation (Python, on dict p and executable e) plants the hostile string.
DEMO=$WORK/demo.service
printf '[Unit]\nDescription=demo\n\n[Service]\nUser=demo\nExecStart=/usr/bin/demo\n' >"$DEMO"
profile() {  # profile OUT 'PYTHON'
  python3 - "$SRC/tests/data/profiles/varlib.json" "$1" "$2" <<'PY' || fail "cannot write profile $1"
import json, sys
p = json.load(open(sys.argv[1]))
p["unit"] = "demo.service"
e = p["executables"][0]
e["path"] = "/usr/bin/demo"
def write(path):
    e["files"].append({"path": path, "access": ["read", "write", "create"], "count": 3})
exec(sys.argv[3])
json.dump(p, open(sys.argv[2], "w"), indent=1)
PY
}
# The control profile writes /srv/data/ok.db: granted as ReadWritePaths=-/srv/data.
control_profile() {
  profile "$WORK/ok.json" 'write("/srv/data/ok.db")'
  control "$BIN" propose "$DEMO" --profile "$WORK/ok.json" -o "$WORK/ok.conf"
  grep -q '^ReadWritePaths=-/srv/data$' "$WORK/ok.conf" ||
    fail "control: the written /srv path is not granted as expected, so the hostile path may never reach the drop-in"
  check_dropin "$WORK/ok.conf"  # the checks below accept what sdharden writes normally
}

# check_dropin FILE: a drop-in systemd parses back into what was meant: no
# control character, every line outside comments a section header or
# Key=value, no continuation, no Exec*= command that the control lacks, no
# unescaped % (a specifier).
check_dropin() {
  python3 - "$1" "$WORK/ok.conf" <<'PY' || fail "$1 is not a clean drop-in (above)"
import re, sys
data = open(sys.argv[1], "rb").read()
ctl = [c for c in data if (c < 0x20 and c != 0x0A) or c == 0x7F]
bad = []
if ctl:
    bad.append("control characters: %s" % sorted({hex(c) for c in ctl}))
text = data.decode("utf-8", "replace")
exec_re = re.compile(r"^(ExecStart|ExecStartPre|ExecStartPost|ExecStop|ExecStopPost|ExecReload|ExecCondition)=")
control = set(l for l in open(sys.argv[2]).read().split("\n") if exec_re.match(l))
for n, l in enumerate(text.split("\n"), 1):
    if not l.strip() or l.lstrip().startswith(("#", ";")):
        continue
    if not (re.fullmatch(r"\[[A-Za-z]+\]", l) or re.match(r"[A-Za-z][A-Za-z0-9]*=", l)):
        bad.append("line %d is neither a section nor Key=value: %r" % (n, l))
    if l.endswith("\\"):
        bad.append("line %d continues onto the next: %r" % (n, l))
    if l.startswith("ExecStartPre=+/tmp") or (exec_re.match(l) and l not in control):
        bad.append("line %d is an injected command: %r" % (n, l))
    if "%" in l.replace("%%", ""):
        bad.append("line %d has an unescaped %% (a systemd specifier): %r" % (n, l))
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY
}

# --- --root trees ----------------------------------------------------------
TREE=$WORK/tree
SYS=$TREE/etc/systemd/system
mkdir -p "$SYS"
DOTS=$(printf '../%.0s' {1..40})  # more than enough to climb to / from anywhere

case $CASE in
profile_newline)
  # A written file, a bound AF_UNIX socket and a program run whose names carry
  # a newline and an ExecStartPre=+ line.
  control_profile
  inj=$'d\nExecStartPre=+/tmp/x\n'
  profile "$WORK/file.json" "write('/srv/data/' + '''$inj''')"
  profile "$WORK/sock.json" "e['sockets'] = [{'family': 'AF_UNIX', 'type': 'SOCK_STREAM', 'protocol': 0, 'count': 1}]
e['addresses'] = [{'op': 'bind', 'family': 'AF_UNIX', 'address': '/run/demo/' + '''$inj''' + '.sock', 'port': 0, 'count': 1}]"
  profile "$WORK/exe.json" "import copy
x = copy.deepcopy(e); x['path'] = '/usr/bin/' + '''$inj'''; x['files'] = []; p['executables'].append(x)"
  for v in file sock exe; do
    run '0|2' "$BIN" propose "$DEMO" --profile "$WORK/$v.json" -o "$WORK/$v.conf"
    if ((RC == 0)); then
      check_dropin "$WORK/$v.conf"
    elif [[ -e $WORK/$v.conf ]]; then
      fail "$v: refused, yet the drop-in was written"
    fi
  done
  ;;
profile_space)
  control_profile
  profile "$WORK/space.json" 'write("/srv/my data/file")'
  run '0|2' "$BIN" propose "$DEMO" --profile "$WORK/space.json" -o "$WORK/space.conf"
  if ((RC == 0)); then
    check_dropin "$WORK/space.conf"
    python3 - "$WORK/space.conf" <<'PY' || fail "a path with a space becomes two paths"
import sys
bad = False
for l in open(sys.argv[1]).read().split("\n"):
    if l.startswith(("#", ";")) or "/srv/my" not in l:
        continue
    i = l.index("/srv/my")
    rest = l[i + len("/srv/my"):]
    escaped = rest.startswith(("\\x20data", "\\ data", "\\040data"))
    quoted = l[:i].replace('\\"', "").count('"') % 2 == 1 or l[:i].count("'") % 2 == 1
    if not (escaped or quoted):
        print("  unquoted path with a space:", repr(l))
        bad = True
sys.exit(bad)
PY
  fi
  ;;
profile_percent)
  control_profile
  profile "$WORK/pct.json" 'write("/srv/%h/file")'
  run '0|2' "$BIN" propose "$DEMO" --profile "$WORK/pct.json" -o "$WORK/pct.conf"
  if ((RC == 0)); then
    check_dropin "$WORK/pct.conf"  # includes: no unescaped % outside comments
    grep -v '^#' "$WORK/pct.conf" | grep -q '/srv/' && ! grep -v '^#' "$WORK/pct.conf" | grep -q '/srv/%%h' &&
      fail "/srv/%h granted without %%h: $(grep -v '^#' "$WORK/pct.conf" | grep /srv/)"
  fi
  ;;
explain_html)
  control_profile
  control "$BIN" explain "$DEMO" --profile "$WORK/ok.json"
  [[ $OUT == *"/srv/data/ok.db"* ]] || fail "control: explain does not show written paths, the case tests nothing"
  profile "$WORK/html.json" 'write("/srv/<script>alert(1)</script>/f")'
  run '0|2' "$BIN" explain "$DEMO" --profile "$WORK/html.json"
  if [[ ${OUT,,} == *"<script"* || ${OUT,,} == *"</script"* ]]; then
    fail "raw <script> in explain's Markdown: $(echo "$OUT" | grep -m1 -i '<script')"
  fi
  ;;
root_abs_symlink_unit)
  # evil.service -> /HOST/secret.service: inside the tree that link dangles.
  unit_file "$SYS/ok.service"
  control "$BIN" score --root "$TREE" ok.service
  unit_file "$HOST/secret.service" "${HARDENED[@]}" "$MARK=1"
  ln -s "$HOST/secret.service" "$SYS/evil.service"
  host_before
  for cmd in lint score; do
    refused "$BIN" "$cmd" --root "$TREE" evil.service
    no_leak "$cmd of a dangling absolute link"
  done
  run '2' "$BIN" score --json --root "$TREE" evil.service
  no_leak "score --json of a dangling absolute link"
  # The same link with the target present inside the tree: that one is read.
  unit_file "$TREE$HOST/secret.service" "$TREEMARK=1"
  want=$(exposure --name evil.service "$TREE$HOST/secret.service")
  run '0|1' "$BIN" lint --root "$TREE" evil.service
  no_leak "lint of an absolute link whose target is in the tree"
  [[ $OUT == *"$TREEMARK"* ]] || fail "lint did not read the tree's target of the link: $OUT"
  got=$(exposure --root "$TREE" evil.service)
  [[ -n $want && $got == "$want" ]] || fail "score of the link: $got tenths, the tree's target scores $want"
  host_unchanged "absolute link"
  ;;
root_dotdot_dropin)
  unit_file "$SYS/x.service"
  control "$BIN" score --root "$TREE" x.service
  base=$(exposure --root "$TREE" x.service)
  printf '[Service]\n%s\n' "${HARDENED[@]}" "$MARK=1" >"$HOST/evil.conf"
  mkdir -p "$SYS/x.service.d"
  ln -s "$DOTS${HOST#/}/evil.conf" "$SYS/x.service.d/10.conf"
  host_before
  run '0|1|2' "$BIN" lint --root "$TREE" x.service
  no_leak "lint of a drop-in linked through .."
  run '0|2' "$BIN" score --root "$TREE" x.service
  no_leak "score of a drop-in linked through .."
  if ((RC == 0)); then
    got=$(exposure --root "$TREE" x.service)
    [[ $got == "$base" ]] || fail "the drop-in dangles inside the tree, yet it changed the score: $base -> $got tenths"
  fi
  # With the target present inside the tree, that one is used.
  mkdir -p "$TREE$HOST"
  printf '[Service]\nPrivateTmp=yes\n%s=1\n' "$TREEMARK" >"$TREE$HOST/evil.conf"
  mkdir -p "$WORK/ref/etc/systemd/system/x.service.d"
  cp "$SYS/x.service" "$WORK/ref/etc/systemd/system/"
  cp "$TREE$HOST/evil.conf" "$WORK/ref/etc/systemd/system/x.service.d/10.conf"
  want=$(exposure --root "$WORK/ref" x.service)
  run '0|1' "$BIN" lint --root "$TREE" x.service
  no_leak "lint, drop-in target in the tree"
  [[ $OUT == *"$TREEMARK"* ]] || fail "lint did not read the tree's target of the drop-in link: $OUT"
  got=$(exposure --root "$TREE" x.service)
  [[ -n $want && $got == "$want" ]] || fail "score with the drop-in link: $got tenths, with the tree's drop-in $want"
  host_unchanged "drop-in linked through .."
  ;;
root_alias)
  # alias.service -> /usr/lib/systemd/system/REAL: the tree's REAL, not the host's.
  real=""
  for d in /usr/lib/systemd/system /lib/systemd/system; do
    for f in "$d"/*.service; do
      [[ -f $f && ! -L $f && $f != *@.service ]] && { real=$f; break 2; }
    done
  done
  [[ -n $real ]] || { echo "SKIP: no regular .service file on this host to stand for the host's unit"; exit 77; }
  name=$(basename "$real")
  unit_file "$TREE$real" "${HARDENED[@]}"
  ln -s "$real" "$SYS/alias.service"
  control "$BIN" score --root "$TREE" "$name"
  tree_score=$(exposure --root "$TREE" "$name")
  host_score=$(exposure "$real")
  [[ -n $host_score && $host_score != "$tree_score" ]] ||
    echo "note: the host's $name scores like the tree's ($host_score), the comparison is weaker"
  run '0' "$BIN" score --root "$TREE" alias.service
  got=$(exposure --root "$TREE" alias.service)
  [[ $got == "$tree_score" ]] || fail "alias.service scored $got tenths, the tree's $name $tree_score (the host's: $host_score)"
  sa=$(sa_exposure "$TREE" alias.service)
  if [[ -n $sa ]]; then
    [[ $got == "$sa" ]] || fail "alias.service: sdharden $got tenths, systemd-analyze --root $sa"
  else
    echo "note: systemd-analyze not usable here, compared with the tree's own unit only"
  fi
  ;;
root_fifo_unit)
  unit_file "$SYS/ok.service"
  control "$BIN" score --root "$TREE" ok.service
  control "$BIN" audit -q --root "$TREE"
  mkfifo "$SYS/fifo.service"
  for cmd in score lint; do
    refused "$BIN" "$cmd" --root "$TREE" fifo.service
    ((RC == 2)) && { [[ $ERR == *fifo.service* ]] || fail "$cmd: the message does not name fifo.service: $ERR"; }
  done
  run '0|1|2' "$BIN" audit -q --root "$TREE"
  ((RC == 124)) || [[ "$OUT$ERR" == *fifo.service* ]] || fail "audit says nothing about fifo.service: $OUT $ERR"
  ;;
root_fifo_dropin)
  unit_file "$SYS/x.service"
  mkdir -p "$SYS/x.service.d"
  printf '[Service]\nPrivateTmp=yes\n' >"$SYS/x.service.d/10.conf"
  control "$BIN" score --root "$TREE" x.service
  control "$BIN" audit -q --root "$TREE"
  rm "$SYS/x.service.d/10.conf"
  mkfifo "$SYS/x.service.d/10.conf"
  # systemd 252 itself hangs here (it opens the FIFO); score must refuse the
  # unit, lint may instead report the unreadable drop-in as a finding.
  refused "$BIN" score --root "$TREE" x.service
  ((RC == 2)) && { [[ $ERR == *10.conf* ]] || fail "score: the message does not name the drop-in: $ERR"; }
  run '1|2' "$BIN" lint --root "$TREE" x.service
  ((RC == 124)) || [[ "$OUT$ERR" == *x.service.d/10.conf* ]] || fail "lint: the message does not name the drop-in: $OUT $ERR"
  run '0|1|2' "$BIN" audit -q --root "$TREE"
  ((RC == 124)) || [[ "$OUT$ERR" == *x.service* ]] || fail "audit says nothing about x.service: $OUT $ERR"
  ;;
apply_symlinked_dropin_dir)
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/d.conf"
  unit_file "$WORK/ctl/etc/systemd/system/web.service"
  control "$BIN" apply --root "$WORK/ctl" web.service --dropin "$WORK/d.conf"
  cmp -s "$WORK/d.conf" "$WORK/ctl/etc/systemd/system/web.service.d/50-sdharden.conf" || fail "control: apply did not install"
  unit_file "$SYS/web.service"
  mkdir -p "$HOST/dropins"
  printf '[Service]\n%s=1\n' "$MARK" >"$HOST/dropins/00-host.conf"
  ln -s "$HOST/dropins" "$SYS/web.service.d"
  host_before
  run '0|2' "$BIN" apply --root "$TREE" web.service --dropin "$WORK/d.conf"
  host_unchanged "apply through a symlinked UNIT.d"
  no_leak "apply through a symlinked UNIT.d"
  if ((RC == 0)); then
    f=$(realpath -m "$SYS/web.service.d/50-sdharden.conf")
    [[ $f == "$(realpath "$TREE")"/* && -f $f ]] || fail "apply says installed, but not inside the tree: $f"
  fi
  ;;
apply_symlinked_dropin_file)
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/d.conf"
  unit_file "$WORK/ctl/etc/systemd/system/web.service"
  control "$BIN" apply --root "$WORK/ctl" web.service --dropin "$WORK/d.conf"
  unit_file "$SYS/web.service"
  mkdir -p "$SYS/web.service.d"
  printf '[Service]\nEnvironment=TOKEN=%s\n' "$MARK" >"$HOST/target.conf"
  chmod 640 "$HOST/target.conf"
  ln -s "$HOST/target.conf" "$SYS/web.service.d/50-sdharden.conf"
  host_before
  run '0|2' "$BIN" apply --root "$TREE" web.service --dropin "$WORK/d.conf"
  host_unchanged "apply onto a symlinked drop-in"
  no_leak "apply onto a symlinked drop-in (its backup must not copy the host file)"
  if ((RC == 0)); then
    f=$SYS/web.service.d/50-sdharden.conf
    [[ -f $f && ! -L $f ]] && cmp -s "$f" "$WORK/d.conf" || fail "apply says installed, but $f is not the drop-in"
  fi
  ;;
apply_symlinked_backup_dir)
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/d.conf"
  unit_file "$WORK/ctl/etc/systemd/system/web.service"
  control "$BIN" apply --root "$WORK/ctl" web.service --dropin "$WORK/d.conf"
  unit_file "$SYS/web.service"
  mkdir -p "$SYS/web.service.d" "$TREE/var/lib" "$HOST/state"
  printf '[Service]\nProtectHome=yes\n' >"$SYS/web.service.d/50-sdharden.conf"
  echo "host state $MARK" >"$HOST/state/keep"
  ln -s "$HOST/state" "$TREE/var/lib/sdharden"
  host_before
  run '0|2' "$BIN" apply --root "$TREE" web.service --dropin "$WORK/d.conf"
  host_unchanged "apply with a symlinked backup folder"
  no_leak "apply with a symlinked backup folder"
  ;;
apply_backup_mode)
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/d.conf"
  unit_file "$SYS/web.service"
  mkdir -p "$SYS/web.service.d"
  printf '[Service]\nEnvironment=TOKEN=s3cret\n' >"$SYS/web.service.d/50-sdharden.conf"
  chmod 600 "$SYS/web.service.d/50-sdharden.conf"
  control "$BIN" apply --root "$TREE" web.service --dropin "$WORK/d.conf"
  b=$TREE/var/lib/sdharden/backup/web.service/50-sdharden.conf.prev
  if [[ ! -f $b ]]; then
    fail "no backup at $b: $OUT"
  else
    grep -q s3cret "$b" || fail "the backup is not the previous drop-in"
    m=$(stat -c %a "$b")
    (((8#$m & 8#177) == 0)) || fail "backup of a 0600 drop-in has mode $m"
  fi
  ;;
output_tmp_symlink)
  # -o OUT writes OUT.tmp.PID first: links planted there for the next PIDs.
  control_profile
  printf 'host canary %s\n' "$MARK" >"$HOST/canary"
  chmod 600 "$HOST/canary"
  host_before
  plant() {  # plant PREFIX: PREFIX.tmp.N -> canary for the next 300 PIDs (one process)
    python3 - "$HOST/canary" "$1" <<'PY'
import os, sys
last = int(open("/proc/sys/kernel/ns_last_pid").read())
top = int(open("/proc/sys/kernel/pid_max").read())
for i in range(1, 300):
    pid = (last + i) % top
    if pid > 1:
        os.symlink(sys.argv[1], "%s.tmp.%d" % (sys.argv[2], pid))
PY
  }
  [[ -r /proc/sys/kernel/ns_last_pid ]] || { echo "SKIP: /proc/sys/kernel/ns_last_pid unreadable, PIDs unpredictable"; exit 77; }
  mkdir -p "$WORK/o"
  plant "$WORK/o/out.conf"
  run '0|2' "$BIN" propose "$DEMO" --profile "$WORK/ok.json" -o "$WORK/o/out.conf"
  if ((RC == 0)); then
    [[ -f $WORK/o/out.conf && ! -L $WORK/o/out.conf ]] && cmp -s "$WORK/o/out.conf" "$WORK/ok.conf" ||
      fail "propose -o: the output is not the drop-in (or is a link): $(ls -l "$WORK/o/out.conf")"
  fi
  plant "$WORK/o/audit.txt"
  unit_file "$SYS/ok.service"
  run '0|2' "$BIN" audit -q --root "$TREE" -o "$WORK/o/audit.txt"
  host_unchanged "-o through a planted OUT.tmp.PID link"
  ;;
gate_dotfile_dropin)
  unit_file "$SYS/x.service"
  control "$BIN" score --root "$TREE" x.service
  base=$(exposure --root "$TREE" x.service)
  run 1 "$BIN" score --summary --threshold 5 --root "$TREE" x.service  # the bare unit fails the gate
  # Control: the same directives in a visible drop-in do count.
  mkdir -p "$SYS/x.service.d"
  printf '[Service]\n%s\n' "${HARDENED[@]}" >"$SYS/x.service.d/10-visible.conf"
  control "$BIN" score --summary --threshold 5 --root "$TREE" x.service
  mv "$SYS/x.service.d/10-visible.conf" "$SYS/x.service.d/.hidden.conf"
  got=$(exposure --root "$TREE" x.service)
  [[ $got == "$base" ]] || fail "a dot-file drop-in (ignored by systemd) changed the score: $base -> $got tenths"
  run 1 "$BIN" score --summary --threshold 5 --root "$TREE" x.service
  run 1 "$BIN" audit -q --threshold 5 --root "$TREE"
  sa=$(sa_exposure "$TREE" x.service)
  [[ -z $sa || $sa == "$got" ]] || fail "sdharden $got tenths, systemd-analyze --root $sa"
  ;;
gate_empty_match)
  unit_file "$SYS/ok.service"
  control "$BIN" audit -q --root "$TREE" --unit 'ok*'
  [[ $OUT == *ok.service* ]] || fail "control: --unit 'ok*' does not list ok.service"
  run '1|2' "$BIN" audit -q --root "$TREE" --unit 'nomatch*'
  run '1|2' "$BIN" audit -q --root "$TREE" --unit 'nomatch*' --threshold 5
  ;;
gate_unloadable)
  # Units systemd refuses to load ("Refusing."): a second ExecStart= outside
  # Type=oneshot, and no ExecStart= at all.
  unit_file "$SYS/ok.service"
  control "$BIN" score --root "$TREE" ok.service
  control "$BIN" audit -q --root "$TREE" --threshold 9.9
  printf '[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n' >"$WORK/twice.service"
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/noexec.service"
  for u in twice noexec; do
    cp "$WORK/$u.service" "$SYS/"
    refused "$BIN" score --root "$TREE" "$u.service"
    run '1|2' "$BIN" audit -q --root "$TREE" --threshold 9.9
    [[ "$OUT$ERR" == *"$u.service"* ]] || fail "audit does not name $u.service"
    rm "$SYS/$u.service"
  done
  ;;
sarif_errors)
  unit_file "$SYS/ok.service"
  control "$BIN" audit -q --root "$TREE" --format sarif
  echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["runs"][0]["results"]' ||
    fail "control: no SARIF results"
  python3 -c 'import sys,random; r=random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))' \
    >"$SYS/garbage.service"
  run '0|1|2' "$BIN" audit -q --root "$TREE" --format sarif
  echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
inv = d["runs"][0].get("invocations")
assert inv, "no invocations[] in the run"
assert inv[0].get("executionSuccessful") is False, "executionSuccessful: %r" % inv[0].get("executionSuccessful")
' || fail "SARIF of a run with a unit that failed to load does not say executionSuccessful: false"
  ;;
report_wrong_type)
  unit_file "$SYS/ok.service"
  control "$BIN" audit -q --root "$TREE" --format json -o "$WORK/audit.json"
  control "$BIN" report --format json "$WORK/audit.json"
  while IFS='|' read -r field mutation; do
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); u=d["units"][0]; exec(sys.argv[3]); json.dump(d, open(sys.argv[2], "w"))' \
      "$WORK/audit.json" "$WORK/bad.json" "$mutation" || { fail "cannot mutate: $mutation"; continue; }
    refused "$BIN" report --format json "$WORK/bad.json"
    ((RC == 2)) && { [[ $ERR == *"$field"* ]] || fail "$mutation: the message does not name $field: $ERR"; }
  done <<'M'
units|d["units"] = "x"
exposure_tenths|u["exposure_tenths"] = "96"
exposure_tenths|u["exposure_tenths"] = 99999999999
unit|u["unit"] = 5
fragment_path|u["fragment_path"] = 7
scope|u["scope"] = 1
host|d["host"] = 5
systemd|d["systemd"] = 252
generated_at|d["generated_at"] = []
skipped|d["skipped"] = "x"
M
  ;;
explain_bad_dropin)
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/good.conf"
  control "$BIN" explain "$DEMO" --dropin "$WORK/good.conf"
  mkdir -p "$WORK/dropin-dir"
  refused "$BIN" explain "$DEMO" --dropin "$WORK/dropin-dir"
  python3 -c 'import sys,random; r=random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))' \
    >"$WORK/garbage.conf"
  refused "$BIN" explain "$DEMO" --dropin "$WORK/garbage.conf"
  ;;
profile_wrong_type)
  control_profile
  while IFS='|' read -r field mutation; do
    profile "$WORK/bad.json" "$mutation"
    refused "$BIN" propose "$DEMO" --profile "$WORK/bad.json" -o "$WORK/bad.conf"
    ((RC == 2)) && { [[ $ERR == *"$field"* ]] || fail "$mutation: the message does not name $field: $ERR"; }
    [[ -e $WORK/bad.conf ]] && fail "$mutation: a drop-in was written" && rm -f "$WORK/bad.conf"
  done <<'M'
executables|p["executables"] = "x"
files|e["files"] = "x"
runs|p["runs"] = "3"
M
  ;;
profile_unknown_syscall)
  control_profile
  grep -q '^SystemCallFilter=' "$WORK/ok.conf" || fail "control: no SystemCallFilter= proposed, the case tests nothing"
  for name in frobnicate 'notasyscall;ExecStartPre'; do
    profile "$WORK/sc.json" "e['syscalls']['startup'].append('''$name''')"
    run '0|2' "$BIN" propose "$DEMO" --profile "$WORK/sc.json" -o "$WORK/sc.conf"
    if ((RC == 0)); then
      check_dropin "$WORK/sc.conf"
      grep -v '^#' "$WORK/sc.conf" | grep -E "frobnicate|notasyscall" &&
        fail "unknown system call name $name copied into the drop-in"
    fi
    rm -f "$WORK/sc.conf"
  done
  ;;
profile_negative_count)
  control_profile
  while read -r mutation; do
    profile "$WORK/neg.json" "$mutation"
    for fmt in text json; do
      args=()
      [[ $fmt == json ]] && args=(--json)
      run '0|2' "$BIN" propose "$DEMO" --profile "$WORK/neg.json" "${args[@]}"
      # Digit groups ("18,446,744,...") joined before looking for a wrapped value.
      if printf '%s\n%s' "$OUT" "$ERR" | sed -E ':a; s/([0-9])[,. _'\'']([0-9]{3})/\1\2/g; ta' |
        grep -qE '18446744073709551|4294967295|4294967294|4294967291'; then
        fail "$mutation ($fmt): a negative count wrapped: $(printf '%s\n%s' "$OUT" "$ERR" | grep -m2 -E '18|42')"
      fi
    done
  done <<'M'
p["runs"] = -1
p["events"] = -5
p["lost_events"] = -1
e["processes"] = -1
e["files"][-1]["count"] = -1
M
  ;;
lint_escape_sequences)
  # ESC (CSI colour, OSC window title, clear screen) and BEL in a value, a
  # comment and a directive name: lint's text must show none of them raw.
  printf '[Unit]\nDescription=evil \033[31mred\033[0m\n# comment \033]0;title\007 here\n\n[Service]\nExecStart=/bin/true\nProtectSytem=\033]0;pwned-title\007strict\nFoo\033[2JBar=1\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM\n' \
    >"$WORK/esc.service"
  printf '[Unit]\nDescription=plain\n\n[Service]\nExecStart=/bin/true\nProtectSytem=strict\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM\n' \
    >"$WORK/plain.service"
  run 1 "$BIN" lint --color never "$WORK/plain.service"
  [[ $OUT == *"ProtectSytem=strict"* ]] || fail "control: lint does not print the offending line, the case tests nothing"
  for args in "lint --color never" "lint" "lint --color auto" "score --summary"; do
    # shellcheck disable=SC2086
    run '0|1' "$BIN" $args "$WORK/esc.service"
    [[ $OUT == *ProtectSytem* ]] || [[ $args == score* ]] || fail "$args: the finding on the hostile line is missing"
    if LC_ALL=C grep -q $'[\e\a]' "$WORK/out" "$WORK/err"; then
      fail "$args prints raw ESC/BEL from the unit file: $(cat -v "$WORK/out" "$WORK/err" | grep -m3 -e '\^\[' -e '\^G')"
    fi
  done
  ;;
apply_invalid_name)
  printf '[Service]\nPrivateTmp=yes\n' >"$WORK/d.conf"
  unit_file "$WORK/ctl/etc/systemd/system/x.service"
  control "$BIN" apply --root "$WORK/ctl" x.service --dropin "$WORK/d.conf"
  unit_file "$SYS/x.service"
  (cd "$TREE" && find . -printf '%p %y %m\n' | sort) >"$WORK/.tree.before"
  host_before
  for name in '' '../x.service' 'a/b.service' '.service'; do
    run 2 "$BIN" apply --root "$TREE" "$name" --dropin "$WORK/d.conf"
    (cd "$TREE" && find . -printf '%p %y %m\n' | sort) >"$WORK/.tree.after"
    cmp -s "$WORK/.tree.before" "$WORK/.tree.after" ||
      { fail "apply '$name' created files:"; diff "$WORK/.tree.before" "$WORK/.tree.after" | head; }
    rm -rf "${TREE:?}/var"
    find "$SYS" -mindepth 1 -maxdepth 1 -name '*.d' -exec rm -rf {} +
  done
  host_unchanged "apply with an invalid unit name"
  ;;
*)
  echo "unknown case $CASE"; exit 1 ;;
esac

if ((failures)); then
  echo "$CASE: $failures failure(s)"
  exit 1
fi
echo "$CASE: ok"
