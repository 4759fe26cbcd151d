#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cli_test.sh SDHARDEN CASE [SOURCE_DIR]: one end-to-end case of the sdharden CLI
# (SOURCE_DIR: the checkout, for the cases that read its README).
# Exit 0 pass, 1 fail, 77 skip (with the reason printed).
set -uo pipefail
BIN=$1
CASE=$2
SOURCE_DIR=${3:-}
WORK=$(mktemp -d /tmp/sdh-e2e-cli.XXXXXX)
chmod 755 "$WORK"
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED_RC CMD...: runs, keeps stdout/stderr in $OUT/$ERR, checks the
# exit code and that nothing crashed (signal, sanitizer report).
run() {
  local expected=$1
  shift
  "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
  if ((RC >= 128)) || grep -qE "AddressSanitizer|runtime error:|internal error" "$WORK/err"; then
    fail "crash (rc=$RC) running: $*"
    head -c 2000 "$WORK/err"
  elif [[ $RC != "$expected" ]]; then
    fail "exit $RC, expected $expected: $*"
    echo "--- stdout"; head -c 2000 "$WORK/out"; echo "--- stderr"; head -c 2000 "$WORK/err"
  fi
}

# Bad input must exit 2 and name the offending path on stderr, for each
# command that reads unit files.
expect_bad() {
  local path=$1 shown=${2:-$1}
  for cmd in lint score; do
    run 2 "$BIN" "$cmd" "$path"
    [[ $ERR == *"$shown"* ]] || fail "$cmd $path: stderr does not name $shown: $ERR"
  done
}

unit_dir() { mkdir -p "$WORK/units"; echo "$WORK/units"; }

case $CASE in
help_all)
  run 0 "$BIN" --help
  [[ $OUT == *Usage* || $OUT == *usage* ]] || fail "top-level --help prints no usage"
  run 0 "$BIN" --version
  cmds=$("$BIN" --help | awk 'tolower($0) ~ /^subcommands:/ {s=1; next} s && !NF {s=0} s && NF {print $1}')
  [[ -n $cmds ]] || fail "no subcommands listed in --help"
  for c in $cmds; do
    run 0 "$BIN" "$c" --help
    [[ $OUT == *"$c"* ]] || fail "$c --help does not mention the command"
  done
  for c in score audit lint profile propose verify bisect auto apply explain report; do
    [[ " $(echo $cmds) " == *" $c "* ]] || fail "command $c missing from --help"
  done
  ;;
bad_empty_file)
  d=$(unit_dir); : >"$d/empty.service"
  expect_bad "$d/empty.service"
  ;;
bad_binary_garbage)
  d=$(unit_dir)
  # Deterministic garbage: NUL bytes, invalid UTF-8, control characters.
  python3 -c 'import sys,random; r=random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))' >"$d/garbage.service"
  expect_bad "$d/garbage.service"
  ;;
bad_long_line)
  d=$(unit_dir)
  { printf '[Service]\nExecStart=/bin/true '; head -c 10485760 /dev/zero | tr '\0' a; printf '\n'; } >"$d/long.service"
  expect_bad "$d/long.service"
  ;;
bad_unterminated_continuation)
  d=$(unit_dir)
  printf '[Service]\nExecStart=/bin/true \\\n  --flag \\' >"$d/cont.service"
  run 2 "$BIN" lint "$d/cont.service"
  [[ $ERR == *"$d/cont.service"*continuation* ]] || fail "lint does not name the truncated file: $ERR"
  # score follows systemd, which applies the joined line: it must not crash
  # and must name the file in its diagnostics; its exit code is score's own.
  "$BIN" score "$d/cont.service" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  ((rc < 128)) || fail "score crashed on an unterminated continuation (rc=$rc)"
  grep -q "$d/cont.service" "$WORK/out" "$WORK/err" || fail "score output does not name the file"
  ;;
bad_unreadable_dropin_dir)
  d=$(unit_dir)
  printf '[Service]\nExecStart=/bin/true\n' >"$d/dropin.service"
  mkdir -p "$d/dropin.service.d"
  printf '[Service]\nPrivateTmp=yes\n' >"$d/dropin.service.d/10-x.conf"
  chmod 000 "$d/dropin.service.d"
  if [[ $(id -u) == 0 ]]; then
    # Root reads anything; drop to nobody so the directory is really unreadable.
    if ! command -v setpriv >/dev/null; then echo "SKIP: setpriv missing (needed to drop root)"; exit 77; fi
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    # The build directory may sit below a directory nobody cannot enter.
    cp "$BIN" "$WORK/sdharden" && chmod 755 "$WORK/sdharden"
    RUNBIN=$WORK/sdharden
  else
    AS=()
    RUNBIN=$BIN
  fi
  for cmd in lint score; do
    run 2 "${AS[@]}" "$RUNBIN" "$cmd" "$d/dropin.service"
    [[ $ERR == *"$d/dropin.service.d"* ]] || fail "$cmd: stderr does not name the drop-in directory: $ERR"
  done
  ;;
bad_symlink_loop)
  d=$(unit_dir)
  ln -s "$d/b.service" "$d/a.service"
  ln -s "$d/a.service" "$d/b.service"
  expect_bad "$d/a.service"
  ;;
bad_missing_unit)
  expect_bad "$WORK/nope/missing.service"
  expect_bad no-such-unit-sdh-e2e.service
  ;;
bad_usage)
  run 2 "$BIN" lint
  run 2 "$BIN" lint --format yaml x.service
  run 2 "$BIN" audit --format pdf
  run 2 "$BIN" no-such-command
  # A mistyped option or command gets the nearest one.
  run 2 "$BIN" lint --fromat json x.service
  [[ $ERR == *"did you mean --format?"* ]] || fail "no suggestion for --fromat: $ERR"
  run 2 "$BIN" scroe x.service
  [[ $ERR == *"did you mean 'score'?"* ]] || fail "no suggestion for scroe: $ERR"
  ;;
lint_findings)
  d=$(unit_dir)
  cat >"$d/app.service" <<'UNIT'
[Unit]
Description=e2e lint sample

[Service]
User=app
ExecStart=/bin/sh -c "date | sendmail root"
SystemCallFilter=@system-service
PrivateDevices=yes
DeviceAllow=/dev/sda r
UNIT
  run 1 "$BIN" lint "$d/app.service"
  [[ $OUT == *"$d/app.service:7:1: warning:"*"[syscall-filter-without-errno]"* ]] || fail "missing SystemCallFilter finding at line 7: $OUT"
  [[ $OUT == *"$d/app.service:9:1: warning:"*"[private-devices-device-allow]"* ]] || fail "missing DeviceAllow finding at line 9: $OUT"
  [[ $OUT == *"[no-new-privileges-setuid-helper]"* ]] || fail "missing setuid helper finding: $OUT"
  [[ $OUT == *"= fix: Add SystemCallErrorNumber=EPERM"* ]] || fail "no fix hint: $OUT"
  [[ $OUT == *"DeviceAllow=/dev/sda r"* ]] || fail "offending line not shown: $OUT"
  ;;
lint_clean)
  d=$(unit_dir)
  printf '[Service]\nExecStart=/bin/true\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM\n' >"$d/clean.service"
  run 0 "$BIN" lint "$d/clean.service"
  [[ $OUT == *"0 errors, 0 warnings"* ]] || fail "clean unit summary: $OUT"
  # A name without a unit type is a service, as systemctl reads it.
  mkdir -p "$d/root/etc/systemd/system" && cp "$d/clean.service" "$d/root/etc/systemd/system/clean.service"
  run 0 "$BIN" lint --root "$d/root" clean
  [[ $OUT == *"0 errors, 0 warnings"* ]] || fail "lint clean (no type): $OUT $ERR"
  # The rules, and an unknown one named with where to find them.
  run 0 "$BIN" lint --list-rules
  [[ $OUT == *"syscall-filter-without-errno"*warning* ]] || fail "--list-rules: $OUT"
  run 2 "$BIN" lint --disable no-such-rule "$d/clean.service"
  [[ $ERR == *"--list-rules"* ]] || fail "--disable unknown: $ERR"
  ;;
lint_versions)
  # Directives and values of newer releases: unknown or invalid for 252's
  # rules, clean for 257's (and 262's), with the release named in the summary.
  d=$(unit_dir)
  printf '[Service]\nExecStart=/bin/true\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM\nPrivatePIDs=yes\nPrivateTmp=disconnected\nPrivateUsers=identity\nProtectControlGroups=private\n' >"$d/new.service"
  run 1 "$BIN" lint --systemd 252 "$d/new.service"
  [[ $OUT == *"unknown directive PrivatePIDs="*"systemd 257 and later know it"* ]] || fail "252: PrivatePIDs= not unknown: $OUT"
  [[ $OUT == *"PrivateTmp="*"systemd 257 and later accept"* ]] || fail "252: PrivateTmp=disconnected not flagged: $OUT"
  [[ $OUT == *"(rules of systemd 252 (--systemd))"* ]] || fail "252: release not named: $OUT"
  for r in 257 262 latest; do
    run 0 "$BIN" lint --systemd "$r" "$d/new.service"
    [[ $OUT == *"0 errors, 0 warnings"* ]] || fail "$r: findings on its own directives: $OUT"
  done
  printf '[Service]\nExecStart=/bin/true\nProtectHostname=private\n' >"$d/host.service"
  run 1 "$BIN" lint --systemd 257 "$d/host.service"
  [[ $OUT == *"systemd 262 and later accept"* ]] || fail "257: ProtectHostname=private not flagged: $OUT"
  run 2 "$BIN" lint --systemd 253 "$d/host.service"
  [[ $ERR == *"unknown systemd version '253'"* ]] || fail "253 not refused: $ERR"
  ;;
audit_compare)
  # One tree under several releases side by side: PrivateMounts= unset
  # scores worse on 252 than on 254+, PrivateTmp=disconnected only counts on 257+.
  r=$WORK/croot
  mkdir -p "$r/etc/systemd/system"
  printf '[Service]\nExecStart=/bin/true\nPrivateTmp=disconnected\n' >"$r/etc/systemd/system/newer.service"
  printf '[Service]\nExecStart=/bin/true\nPrivateMounts=yes\nPrivateTmp=yes\n' >"$r/etc/systemd/system/same.service"
  run 0 "$BIN" audit --root "$r" --systemd 252 --compare-systemd 254,257 --format json -q
  python3 - "$WORK/out" <<'PY' || fail "comparison JSON wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["releases"] == ["252", "254", "257"], d["releases"]
u = {x["unit"]: x for x in d["units"]}
n, s = u["newer.service"]["exposure"], u["same.service"]["exposure"]
assert float(n["252"]) > float(n["254"]) > float(n["257"]), n
assert s["252"] == s["254"] == s["257"], s
assert u["same.service"]["change_tenths"] == 0 and u["newer.service"]["change_tenths"] < 0
assert d["units"][0]["unit"] == "newer.service", d["units"]  # changed units first
PY
  run 0 "$BIN" audit --root "$r" --systemd 252 --compare-systemd all -q
  [[ $OUT == *"systemd 262"*"CHANGE"* && $OUT == *"score differently under systemd 262 than under systemd 252"* ]] \
    || fail "comparison table: $OUT"
  run 2 "$BIN" audit --root "$r" --compare-systemd 253 -q
  run 2 "$BIN" audit --root "$r" --compare-systemd all --format sarif -q
  ;;
lint_formats)
  d=$(unit_dir)
  printf '[Service]\nExecStart=/bin/true\nSystemCallFilter=~@mount\nProtectSytem=strict\n' >"$d/f.service"
  run 1 "$BIN" lint --format json "$d/f.service"
  python3 - "$WORK/out" <<'PY' || fail "lint JSON wrong"
import json, sys
d = json.load(open(sys.argv[1]))
rules = {f["rule"]: f for u in d["units"] for f in u["findings"]}
assert "syscall-filter-without-errno" in rules, rules
assert rules["syscall-filter-without-errno"]["line"] == 3
assert "unknown-directive" in rules, rules
assert rules["unknown-directive"]["line"] == 4
PY
  run 1 "$BIN" lint --format sarif "$d/f.service"
  python3 - "$WORK/out" <<'PY' || fail "lint SARIF wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert len(run["results"]) >= 2
for r in run["results"]:
    assert ids[r["ruleIndex"]] == r["ruleId"]
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///")
PY
  ;;
audit_root)
  r=$WORK/root
  mkdir -p "$r/etc/systemd/system/multi-user.target.wants" "$r/usr/lib/systemd/system"
  printf '[Service]\nExecStart=/bin/true\n' >"$r/usr/lib/systemd/system/open.service"
  cat >"$r/usr/lib/systemd/system/tight.service" <<'UNIT'
[Service]
ExecStart=/bin/true
DynamicUser=yes
PrivateNetwork=yes
PrivateDevices=yes
ProtectSystem=strict
ProtectHome=yes
CapabilityBoundingSet=
SystemCallFilter=@system-service
RestrictAddressFamilies=AF_UNIX
UNIT
  printf '[Service]\nExecStart=/bin/true %%i\n' >"$r/usr/lib/systemd/system/inst@.service"
  printf '[Service]\nExecStart=/bin/true %%i\n' >"$r/usr/lib/systemd/system/lonely@.service"
  ln -s /usr/lib/systemd/system/inst@.service "$r/etc/systemd/system/multi-user.target.wants/inst@one.service"
  ln -s /dev/null "$r/etc/systemd/system/masked.service"
  printf '[Service]\nExecStart=/bin/true\n' >"$r/usr/lib/systemd/system/masked.service"
  run 0 "$BIN" audit --root "$r" -q
  [[ $OUT == *open.service* && $OUT == *tight.service* && $OUT == *inst@one.service* ]] || fail "audit misses units: $OUT"
  first=$(echo "$OUT" | sed -n 3p)
  [[ $first == *open.service* || $first == *inst@one.service* ]] || fail "not sorted worst first: $OUT"
  last_unit=$(echo "$OUT" | awk 'NR>2 && !NF {exit} NR>2 {u=$1} END {print u}')
  [[ $last_unit == tight.service ]] || fail "tight.service should be last, got $last_unit: $OUT"
  [[ $OUT == *"lonely@.service"*"template without an enabled instance"* ]] || fail "template note missing: $OUT"
  [[ $OUT == *"masked.service"*masked* ]] || fail "masked note missing: $OUT"
  [[ $OUT == *"services scored"* && $OUT == *median* ]] || fail "summary missing: $OUT"
  ;;
audit_outputs)
  r=$WORK/root
  mkdir -p "$r/usr/lib/systemd/system"
  for i in 1 2 3; do printf '[Service]\nExecStart=/bin/true\nPrivateTmp=yes\n' >"$r/usr/lib/systemd/system/s$i.service"; done
  run 0 "$BIN" audit --root "$r" --format html -o "$WORK/report.html"
  [[ -s $WORK/report.html ]] || fail "no HTML written"
  grep -q "<svg" "$WORK/report.html" || fail "no inline SVG chart"
  if grep -qiE '<link|src=|url\(' "$WORK/report.html"; then fail "HTML references external resources"; fi
  [[ $ERR == *"wrote $WORK/report.html"* ]] || fail "no confirmation on stderr: $ERR"
  ls -a "$WORK" | grep -q '\.tmp' && fail "temporary file left behind"
  run 0 "$BIN" audit --root "$r" --format json -o "$WORK/report.json"
  python3 - "$WORK/report.json" <<'PY' || fail "audit JSON wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["services"] == 3, d["summary"]
e = [u["exposure_tenths"] for u in d["units"]]
assert e == sorted(e, reverse=True)
assert all(u["items"] for u in d["units"])
PY
  run 0 "$BIN" audit --root "$r" --format sarif
  echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]=="2.1.0"' || fail "audit SARIF wrong"
  run 2 "$BIN" audit --root "$r" -o "$WORK/no/such/dir/report.txt"
  [[ $ERR == *"$WORK/no/such/dir"* ]] || fail "write error does not name the path: $ERR"
  ;;
score_gate)
  # A CI gate: against a baseline only what got worse (or is new and above
  # the threshold) fails, and stderr says what changed.
  d=$(unit_dir)
  printf '[Service]\nExecStart=/bin/true\nPrivateTmp=yes\nProtectSystem=strict\n' >"$d/a.service"
  printf '[Service]\nExecStart=/bin/true\n' >"$d/b.service"
  run 0 "$BIN" score --json "$d/a.service" "$d/b.service"
  echo "$OUT" >"$WORK/base.json"
  run 0 "$BIN" score --baseline "$WORK/base.json" --summary "$d/a.service" "$d/b.service"
  [[ $ERR == *"gate: passed: 2 units"* ]] || fail "unchanged units do not pass: $ERR"
  printf '[Service]\nExecStart=/bin/true\n' >"$d/a.service"  # lost its hardening
  run 1 "$BIN" score --baseline "$WORK/base.json" --summary "$d/a.service" "$d/b.service"
  [[ $ERR == *"FAIL worse   a.service"* ]] || fail "the worse unit is not named: $ERR"
  [[ $ERR == *"ProtectSystem= 0 -> "* ]] || fail "the item that got worse is not named: $ERR"
  printf '[Service]\nExecStart=/bin/true\n' >"$d/c.service"
  run 0 "$BIN" score --baseline "$WORK/base.json" --summary "$d/b.service" "$d/c.service"
  [[ $ERR == *"new     c.service"* && $ERR == *"gone    a.service"* ]] || fail "new/gone not reported: $ERR"
  run 1 "$BIN" score --baseline "$WORK/base.json" --threshold 5 --summary "$d/b.service" "$d/c.service"
  [[ $ERR == *"FAIL new     c.service 9.6 (above 5.0)"* ]] || fail "a new unit above the threshold passes: $ERR"
  run 1 "$BIN" score --threshold 5 --summary "$d/b.service"
  echo '{"no": "units"}' >"$WORK/bad.json"
  run 2 "$BIN" score --baseline "$WORK/bad.json" "$d/b.service"
  [[ $ERR == *"$WORK/bad.json"* ]] || fail "a bad baseline is not named: $ERR"
  # SARIF with relative locations; relative unit paths; masked units skipped.
  run 0 "$BIN" score --format sarif "$d/b.service"
  echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d["runs"][0]["results"][0]
assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "ROOT", r
assert r["partialFingerprints"], r' || fail "score SARIF wrong"
  (cd "$d" && "$BIN" score --summary b.service >/dev/null 2>&1) || fail "a unit file in the working directory is not found"
  (cd "$WORK" && "$BIN" score --summary units/b.service >/dev/null 2>&1) || fail "a relative path is not found"
  # systemd-analyze's spellings of the same options.
  run 0 "$BIN" score --offline=yes --no-pager --json=short "$d/b.service"
  [[ $(echo "$OUT" | wc -l) -le 2 ]] || fail "--json=short is not one line: $(echo "$OUT" | head -3)"
  echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0]["schema_version"] == 1' ||
    fail "--json=short is not JSON with a schema version"
  run 2 "$BIN" score --offline=no "$d/b.service"
  ln -s /dev/null "$d/m.service"
  run 0 "$BIN" score --summary "$d/m.service"
  [[ $ERR == *"masked"* ]] || fail "a masked unit is not said to be skipped: $ERR"
  ;;
audit_gate)
  r=$WORK/root
  mkdir -p "$r/usr/lib/systemd/system"
  for i in 1 2; do printf '[Service]\nExecStart=/bin/true\nPrivateTmp=yes\n' >"$r/usr/lib/systemd/system/s$i.service"; done
  printf '[Service]\nExecStart=/bin/true\n' >"$r/usr/lib/systemd/system/other.service"
  run 0 "$BIN" audit -q --root "$r" --format json -o "$WORK/base.json"
  run 0 "$BIN" audit -q --root "$r" --unit 's*' --format json
  echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert sorted(u["unit"] for u in d["units"]) == ["s1.service", "s2.service"], d["units"]
u = d["units"][0]
assert "fragment_path" in u and "json_field" in u["items"][0] and "systemd_label" in u, u.keys()' || fail "--unit or the JSON keys are wrong"
  run 0 "$BIN" audit -q --root "$r" --exclude 's2*' --format json
  [[ $OUT != *s2.service* && $OUT == *s1.service* ]] || fail "--exclude did not leave s2 out"
  run 1 "$BIN" audit -q --root "$r" --threshold 5
  [[ $ERR == *"FAIL above   other.service"* ]] || fail "--threshold does not name the unit above: $ERR"
  printf '[Service]\nExecStart=/bin/true\n' >"$r/usr/lib/systemd/system/s1.service"
  run 1 "$BIN" audit -q --root "$r" --baseline "$WORK/base.json"
  [[ $ERR == *"FAIL worse   s1.service"* ]] || fail "the baseline gate does not name s1: $ERR"
  run 0 "$BIN" audit -q --root "$r" --baseline "$WORK/base.json" --exclude 's1*'
  # An enablement link a removed package left behind names no unit file:
  # systemd lists it not-found and runs nothing, so there is nothing to
  # score and the gate holds; a unit file it cannot read still fails it.
  mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
  ln -s /usr/lib/systemd/system/gone.service "$r/etc/systemd/system/multi-user.target.wants/gone.service"
  run 0 "$BIN" audit --root "$r" --baseline "$WORK/base.json" --exclude 's1*'
  [[ $OUT$ERR == *"gone.service"*"not found"* ]] || fail "the dangling link is not reported: $OUT $ERR"
  printf '[Service\nExecStart=/bin/true\n' >"$r/usr/lib/systemd/system/broken.service"
  run 1 "$BIN" audit -q --root "$r" --baseline "$WORK/base.json" --exclude 's1*'
  ;;
lint_gate)
  # The upstream-CI use: a template in the source tree, a drop-in of the
  # project, rules disabled or waived inline, the failing severity chosen.
  mkdir -p "$WORK/src/contrib"
  printf '[Service]\nExecStart=@bindir@/app\nDynamicUser=yes\nUser=root\n' >"$WORK/src/contrib/app.service.in"
  (cd "$WORK/src" && "$BIN" lint --format json contrib/app.service.in >"$WORK/tmpl.json" 2>"$WORK/err")
  rc=$?
  [[ $rc == 1 ]] || fail "lint of a template: exit $rc, expected 1: $(cat "$WORK/err")"
  grep -q "filled @bindir@=/usr/bin" "$WORK/err" || fail "the filled placeholder is not said: $(cat "$WORK/err")"
  rule=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["units"][0]["findings"][0]["rule"]); assert d["units"][0]["unit"] == "app.service"' "$WORK/tmpl.json") ||
    fail "no finding in the template, or not named app.service"
  run 0 "$BIN" lint --fail-on error --disable "$rule" "$WORK/src/contrib/app.service.in" --name app.service
  run 2 "$BIN" lint --disable no-such-rule "$WORK/src/contrib/app.service.in"
  [[ $ERR == *no-such-rule* ]] || fail "an unknown rule is not named: $ERR"
  # Waived inline, at the line it concerns.
  python3 - "$WORK/src/contrib/app.service.in" "$WORK/tmpl.json" <<'PY'
import json, sys
path, report = sys.argv[1], sys.argv[2]
f = json.load(open(report))["units"][0]["findings"][0]
lines = open(path).read().split("\n")
lines.insert(f["line"] - 1, "# sdharden: ignore=" + f["rule"])
open(path, "w").write("\n".join(lines))
PY
  "$BIN" lint --format json "$WORK/src/contrib/app.service.in" >"$WORK/out2" 2>/dev/null
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=sys.argv[2]; assert all(x["rule"] != r for x in d["units"][0]["findings"]), d' \
    "$WORK/out2" "$rule" || fail "the inline waiver did not waive $rule"
  # A lone drop-in of the project, linted with the unit it is for.
  printf '[Service]\nExecStart=/bin/true\n' >"$WORK/src/plain.service"
  printf '[Service]\nDynamicUser=yes\nUser=root\n' >"$WORK/src/harden.conf"
  run 1 "$BIN" lint --format json "$WORK/src/plain.service" --dropin "$WORK/src/harden.conf"
  [[ $OUT == *harden.conf* ]] || fail "a finding of the drop-in is not located in it: $OUT"
  run 2 "$BIN" lint "$WORK/src/plain.service" --dropin "$WORK/src/missing.conf"
  [[ $ERR == *missing.conf* ]] || fail "a missing drop-in is not named: $ERR"
  # Colour on a terminal (script(1) gives one), none there under NO_COLOR.
  if command -v script >/dev/null; then
    lint_cmd="'$BIN' lint --color auto '$WORK/src/plain.service' --dropin '$WORK/src/harden.conf'"
    script -qec "$lint_cmd" /dev/null >"$WORK/tty" 2>/dev/null
    grep -q $'\e\[' "$WORK/tty" || fail "no colour on a terminal"
    NO_COLOR=1 script -qec "$lint_cmd" /dev/null >"$WORK/tty" 2>/dev/null
    grep -q $'\e\[' "$WORK/tty" && fail "NO_COLOR is ignored"
    SYSTEMD_COLORS=0 script -qec "$lint_cmd" /dev/null >"$WORK/tty" 2>/dev/null
    grep -q $'\e\[' "$WORK/tty" && fail "SYSTEMD_COLORS=0 is ignored"
  else
    echo "note: script(1) missing, colour on a terminal not checked"
  fi
  ;;
readme_recipe)
  # The README's "In CI" block as written, with `sdharden` this binary, in a
  # folder holding a copy of contrib/ci: every gate in it passes.
  d=$(unit_dir)
  mkdir -p "$d/contrib" && cp -r "$SOURCE_DIR/contrib/ci" "$d/contrib/ci"
  awk '/^## In CI/ { f = 1 } f && /^```sh/ { g = 1; next } g && /^```/ { exit } g' "$SOURCE_DIR/README.md" >"$d/recipe.sh"
  [[ -s $d/recipe.sh ]] || fail "README.md has no sh block under '## In CI'"
  grep -q '^sdharden ' "$d/recipe.sh" || fail "the README's recipe runs no sdharden command"
  (cd "$d" && sdharden() { "$BIN" "$@"; } && set -e && source ./recipe.sh) >"$d/recipe.out" 2>&1 ||
    fail "the README's recipe fails as written: $(tail -5 "$d/recipe.out")"
  # Its score gate can fail: the unit got worse than the baseline it kept.
  sed -i 's/^DynamicUser=yes$/DynamicUser=no/' "$d/contrib/ci/app.service"
  run 1 "$BIN" score --baseline "$d/baseline.json" "$d/contrib/ci/app.service"
  ;;
audit_bad_root)
  run 2 "$BIN" audit --root "$WORK/missing-root"
  [[ $ERR == *"$WORK/missing-root"* ]] || fail "bad root not named: $ERR"
  ;;
*)
  echo "unknown case $CASE"; exit 1 ;;
esac

if ((failures)); then
  echo "$CASE: $failures failure(s)"
  exit 1
fi
echo "$CASE: ok"
