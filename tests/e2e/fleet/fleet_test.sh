#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fleet_test.sh SDHARDEN SOURCE_DIR ARTIFACTS: the Ansible role audits three
# hosts (this machine, and two OS trees through sdharden_root), the playbook
# merges the audits with `sdharden report`, and the page is rendered by a
# headless Chromium (its DOM checked, a screenshot kept in ARTIFACTS).
# Exit 0 pass, 1 fail, 77 skip (what is missing is said).
set -uo pipefail
BIN=$1 SRC=$2 ART=$3
for tool in ansible-playbook chromium; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
WORK=$(mktemp -d /tmp/sdh-fleet.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Two OS trees: this machine's service units, one tree with a unit hardened
# by a drop-in and one unit removed, so the report has something to tell.
for t in tree-a tree-b; do
  mkdir -p "$WORK/$t/usr/lib/systemd/system" "$WORK/$t/etc/systemd/system"
  find /usr/lib/systemd/system -maxdepth 1 -name '*.service' -type f -print0 2>/dev/null |
    xargs -0 -r cp -n -t "$WORK/$t/usr/lib/systemd/system/" 2>/dev/null
  printf '[Service]\nExecStart=/usr/bin/fleet-demo\n' >"$WORK/$t/usr/lib/systemd/system/fleet-demo.service"
  printf '[Service]\nExecStart=/usr/bin/only-a\n' >"$WORK/$t/usr/lib/systemd/system/only-a.service"
done
rm "$WORK/tree-b/usr/lib/systemd/system/only-a.service"
mkdir -p "$WORK/tree-b/etc/systemd/system/fleet-demo.service.d"
printf '[Service]\nDynamicUser=yes\nPrivateNetwork=yes\nProtectSystem=strict\nCapabilityBoundingSet=\n' \
  >"$WORK/tree-b/etc/systemd/system/fleet-demo.service.d/harden.conf"

cat >"$WORK/inventory" <<INV
[fleet]
this-machine ansible_connection=local
tree-a ansible_connection=local sdharden_root=$WORK/tree-a
tree-b ansible_connection=local sdharden_root=$WORK/tree-b

[all:vars]
sdharden_bin=$BIN
ansible_python_interpreter=/usr/bin/python3
INV
export ANSIBLE_LOCAL_TEMP=$WORK/ansible-tmp ANSIBLE_REMOTE_TEMP=$WORK/ansible-tmp ANSIBLE_HOME=$WORK/ansible
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
reports=$WORK/reports
if ! ansible-playbook -i "$WORK/inventory" "$SRC/contrib/ansible/audit.yml" \
    -e "sdharden_reports_dir=$reports" -e "sdharden_controller_bin=$BIN" >"$WORK/ansible.log" 2>&1; then
  tail -30 "$WORK/ansible.log"
  fail "ansible-playbook failed"
  exit 1
fi
ls "$reports"/{this-machine,tree-a,tree-b}.json >/dev/null || fail "an audit was not fetched"

python3 - "$reports/fleet.json" "$WORK" <<'PY' || fail "fleet.json is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
work = sys.argv[2]
hosts = [h["host"] for h in d["hosts"]]
assert len(hosts) == 3, hosts
assert f"{work}/tree-a" in hosts and f"{work}/tree-b" in hosts, hosts
by_unit = {s["unit"]: s for s in d["services"]}
demo = by_unit["fleet-demo.service"]
assert demo["differs"], demo
assert demo["hosts"][f"{work}/tree-b"]["exposure_tenths"] < demo["hosts"][f"{work}/tree-a"]["exposure_tenths"], demo
only = by_unit["only-a.service"]
assert f"{work}/tree-b" in only["missing_on"], only
w = [s["worst_tenths"] for s in d["services"]]
assert w == sorted(w, reverse=True), "not worst first"
print(f"fleet: {len(hosts)} hosts, {len(d['services'])} services, {sum(s['differs'] for s in d['services'])} differ")
PY

# A real browser: the DOM after the page's script ran, and a screenshot.
mkdir -p "$ART"
browser=(chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$WORK/chromium")
timeout 120 "${browser[@]}" --dump-dom "file://$reports/fleet.html" >"$WORK/dom.html" 2>"$WORK/chromium.log" ||
  { tail -5 "$WORK/chromium.log"; fail "chromium could not load the page"; }
python3 - "$WORK/dom.html" <<'PY' || fail "the rendered page lacks the hosts or services"
import re, sys
dom = open(sys.argv[1]).read()
heads = re.findall(r"<th data-numeric=\"\">([^<]*)</th>|<th data-numeric>([^<]*)</th>", dom)
names = [a or b for a, b in heads]
assert len(names) == 4, names  # worst + three hosts
assert "fleet-demo.service" in dom and "absent" in dom
assert dom.count("<tr") > 10
PY
timeout 120 "${browser[@]}" --window-size=1280,1600 --screenshot="$ART/fleet.png" "file://$reports/fleet.html" \
  >>"$WORK/chromium.log" 2>&1 || fail "no screenshot"
size=$(stat -c %s "$ART/fleet.png" 2>/dev/null || echo 0)
((size > 20000)) || fail "the screenshot is empty-looking ($size bytes)"
cp "$reports/fleet.html" "$reports/fleet.json" "$ART/" 2>/dev/null
echo "fleet: screenshot $ART/fleet.png ($size bytes)"
((failures == 0)) && echo "fleet: ok" || echo "fleet: $failures failure(s)"
exit $((failures > 0))
