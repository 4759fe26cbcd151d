#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Exactness check: sdharden score --json against
`SYSTEMD_ANALYZE_DEBUG=1 systemd-analyze security --offline=yes --json=short`
(items) and its text output ("Overall exposure level") for every given unit
file. Usage: compare.py SDHARDEN FILE_LIST_FILE...  (one list per batch: files
of one list are scored in one call of each tool; names must be unique in a list).
With SDH_USER=1 both score user units (--user).
With SDH_POLICY=FILE both tools get that --security-policy / --policy file.
SDH_ANALYZE names the oracle's systemd-analyze (default: the host's) and
SDH_SYSTEMD the release sdharden reproduces (--systemd; default: the installed one).
Exit 0 when everything matches, 1 on mismatches, 77 when systemd-analyze is missing."""
import json
import os
import re
import shutil
import subprocess
import sys

NA = 18446744073709551615
ANALYZE = os.environ.get("SDH_ANALYZE", "systemd-analyze")
OVERALL = re.compile(r"Overall exposure level for (\S+): (\d+)\.(\d)")


def oracle(files):
    env = dict(os.environ, SYSTEMD_ANALYZE_DEBUG="1", SYSTEMD_COLORS="0", SYSTEMD_LOG_LEVEL="err")
    base = [ANALYZE, "security", "--offline=yes", "--no-pager"]
    if os.environ.get("SDH_POLICY"):
        base.append("--security-policy=" + os.environ["SDH_POLICY"])
    if os.environ.get("SDH_USER"):
        base.append("--user")
    j = subprocess.run(base + ["--json=short"] + files, env=env, capture_output=True, text=True)
    t = subprocess.run(base + files, env=env, capture_output=True, text=True)
    overall = [(m.group(1), int(m.group(2)) * 10 + int(m.group(3))) for m in OVERALL.finditer(t.stdout)]
    arrays = [json.loads(l) for l in j.stdout.splitlines() if l.startswith("[")]
    if len(arrays) != len(overall):
        raise RuntimeError("systemd-analyze JSON/text outputs disagree in count for batch starting %s" % files[0])
    return {name: (tenths, arr) for (name, tenths), arr in zip(overall, arrays)}


def ours(sdharden, files):
    extra = ["--policy", os.environ["SDH_POLICY"]] if os.environ.get("SDH_POLICY") else []
    if os.environ.get("SDH_USER"):
        extra.append("--user")
    if os.environ.get("SDH_SYSTEMD"):
        extra += ["--systemd", os.environ["SDH_SYSTEMD"]]
    r = subprocess.run([sdharden, "score", "--json"] + extra + files, capture_output=True, text=True)
    data = json.loads(r.stdout) if r.stdout.strip() else []
    return {u["unit"]: u for u in data}, r.stderr


def main():
    sdharden = sys.argv[1]
    if not shutil.which(ANALYZE):
        print("SKIP: systemd-analyze not installed")
        return 77
    units = matched = refused_both = 0
    mismatches = []
    for lst in sys.argv[2:]:
        with open(lst) as f:
            files = [l.strip() for l in f if l.strip()]
        for i in range(0, len(files), 200):
            chunk = files[i:i + 200]
            want = oracle(chunk)
            got, _ = ours(sdharden, chunk)
            names = set(want) | set(got)
            units += len(chunk)
            # Aliases are scored under their target's name, so count refusals
            # by file: a file neither tool scored under any name.
            refused_both += max(0, len(chunk) - len(names) - sum(1 for f in chunk if os.path.islink(f)))
            for n in sorted(names):
                if n not in want:
                    mismatches.append((n, "systemd-analyze refuses the unit, sdharden scores it %s" % got[n]["exposure_text"]))
                    continue
                if n not in got:
                    mismatches.append((n, "sdharden refuses the unit, systemd-analyze scores it"))
                    continue
                tenths, items = want[n]
                g = got[n]
                diffs = []
                if g["exposure_tenths"] != tenths:
                    diffs.append("overall %d.%d vs ours %s" % (tenths // 10, tenths % 10, g["exposure_text"]))
                mine = {it["id"]: it for it in g["items"]}
                for it in items:
                    m = mine.pop(it["name"], None)
                    if m is None:
                        diffs.append("item %s missing" % it["name"])
                        continue
                    want_b = None if it["badness"] == NA else it["badness"]
                    if (m["badness"] != want_b or m["weight"] != it["weight"] or m["range"] != it["range"]
                            or m["exposure"] != it["exposure"]):
                        diffs.append("%s: systemd b=%s w=%s r=%s e=%s, ours b=%s w=%s r=%s e=%s (%s)" % (
                            it["name"], want_b, it["weight"], it["range"], it["exposure"], m["badness"],
                            m["weight"], m["range"], m["exposure"], m["description"]))
                for extra in mine:
                    diffs.append("extra item %s" % extra)
                if diffs:
                    mismatches.append((n, "; ".join(diffs)))
                else:
                    matched += 1
    print("units: %d, scored identically: %d, refused by both: %d, mismatches: %d" % (
        units, matched, refused_both, len(mismatches)))
    for n, d in mismatches[:25]:
        print("MISMATCH %s: %s" % (n, d))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
