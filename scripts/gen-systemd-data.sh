#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes data/systemd/VERSION/ from that systemd's own binaries (fetched by
# scripts/systemd-oracle.sh), so a release's tables are read, not typed:
#   directives.txt      Section.Key of every directive its unit files accept
#                       (systemd --dump-configuration-items)
#   syscall-groups.tsv  each @group: direct members, flattened members
#                       (systemd-analyze syscall-filter)
#   syscall-known.txt   @known's members besides @obsolete's
#   features.txt        its compile-time features (+SECCOMP, -BPF_FRAMEWORK, ...),
#                       from systemd --version (Debian's build of that release)
#   assessors.tsv       the security assessors; weight, range and JSON field are
#                       checked against systemd-analyze security --json, the
#                       descriptive columns come from the previous release's file
# Usage: scripts/gen-systemd-data.sh VERSION [BASE_VERSION]
set -euo pipefail
version=${1:?usage: gen-systemd-data.sh VERSION [BASE_VERSION]}
base=${2:-252}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../data/systemd/$version
analyze=$("$here/systemd-oracle.sh" "$version")
mkdir -p "$out"

manager() { "$(dirname "$analyze")/systemd-$version" "$@"; }  # written beside it by systemd-oracle.sh

manager --dump-configuration-items | awk '
  /^\[/ { section = substr($0, 2, length($0) - 2); next }
  /=/   { split($0, kv, "="); print section "." kv[1] }' | sort -u > "$out/.dump"
# Directives systemd dropped are not dumped but still accepted with a warning
# and ignored: find them among the names earlier releases knew, by asking this
# release's own parser (systemd-analyze verify) about each.
candidates=$(cat "$here"/../data/systemd/*/directives.txt 2>/dev/null \
  | grep -v '^#' | cut -f1 | sort -u | comm -23 - "$out/.dump")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
removed=()
for sk in $candidates; do
  section=${sk%%.*} key=${sk#*.}
  type=$(echo "$section" | tr 'A-Z' 'a-z'); [[ $section == Unit || $section == Install ]] && type=service
  f=$tmp/probe.$type
  if [[ $type == service ]]; then
    printf '[%s]\n%s=1\n[Service]\nExecStart=/bin/true\n' "$section" "$key" > "$f"
  else
    printf '[Unit]\nDescription=probe\n[%s]\n%s=1\n' "$section" "$key" > "$f"
  fi
  said=$("$analyze" verify --man=no "$f" 2>&1 || true)   # grep -q on the pipe would race pipefail
  if grep -q "$key= has been removed" <<<"$said"; then removed+=("$sk"); fi
done
{
  echo "# Section.Key of every directive systemd $version accepts in unit files (systemd --dump-configuration-items);"
  echo "# \"removed\": accepted but ignored with a warning (systemd-analyze verify)"
  { cat "$out/.dump"; for sk in "${removed[@]}"; do printf '%s\tremoved\n' "$sk"; done; } | sort -u
} > "$out/directives.txt"
rm "$out/.dump"

"$analyze" syscall-filter --no-pager | python3 -c '
import sys
groups, order, cur = {}, [], None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("@"):
        cur = line.strip(); order.append(cur); groups[cur] = []
    elif line.startswith("    ") and cur is not None:
        w = line.strip()
        if w and not w.startswith("#"): groups[cur].append(w)
    else:
        cur = None
def flat(g, seen=None):
    out = set()
    for m in groups[g]:
        out |= flat(m) if m.startswith("@") else {m}
    return out
known = sys.argv[1]
with open(known, "w") as k:
    k.write("# System call names in systemd %s\x27s @known set besides @obsolete (systemd-analyze syscall-filter)\n" % sys.argv[2])
    for n in sorted(flat("@known") - flat("@obsolete")): k.write(n + "\n")
print("group\tdirect_members_in_order\tflattened_members")
for g in sorted(order):
    members = groups[g]
    if g == "@known":  # kept to @obsolete here; the rest is syscall-known.txt
        members = ["@obsolete"]
    f = flat("@obsolete") if g == "@known" else flat(g)
    print("%s\t%s\t%s" % (g, " ".join(members), " ".join(sorted(f))))
' "$out/syscall-known.txt" "$version" > "$out/syscall-groups.tsv"

{ echo "# Compile-time features of Debian's build of systemd $version (systemd --version)"
  manager --version | tail -1 | tr ' ' '\n' | grep '^[-+]'; } > "$out/features.txt"

# Assessors: the list, weights, ranges and JSON fields of this release.
SYSTEMD_ANALYZE_DEBUG=1 SYSTEMD_LOG_LEVEL=err "$analyze" security --offline=yes --json=short \
  "$here/../tests/data/units/plain.service" 2>/dev/null | python3 -c '
import json, sys
items = {it["name"]: it for it in json.load(sys.stdin)}
base = []  # the table order of systemd itself, kept from the base release
with open(sys.argv[1]) as f:
    header = f.readline()
    for line in f:
        base.append(line.rstrip("\n").split("\t"))
out = [header.rstrip("\n")]
for row in base:
    it = items.get(row[0])
    if it is None:
        continue
    if row[1] != it["json_field"] or int(row[2]) != it["weight"] or int(row[3]) != it["range"]:
        row = [row[0], it["json_field"], str(it["weight"]), str(it["range"])] + row[4:]
        print("changed: %s" % row[0], file=sys.stderr)
    out.append("\t".join(row))
new = set(items) - {row[0] for row in base}
if new:
    sys.exit("assessors new in this release: %s: add their rows by hand" % " ".join(sorted(new)))
gone = {row[0] for row in base} - set(items)
if gone: print("assessors gone in this release: %s" % " ".join(sorted(gone)), file=sys.stderr)
print("\n".join(out))
' "$here/../data/systemd/$base/assessors.tsv" > "$out/assessors.tsv.new"
mv "$out/assessors.tsv.new" "$out/assessors.tsv"
echo "gen-systemd-data: wrote $out ($(grep -vc '^#' "$out/directives.txt") directives, $(($(wc -l < "$out/syscall-groups.tsv") - 1)) groups, $(($(wc -l < "$out/assessors.tsv") - 1)) assessors)"
