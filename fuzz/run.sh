#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/run.sh [SECONDS]: builds the libFuzzer targets with clang in build-fuzz,
# seeds a corpus with every unit file on this machine (plus fuzz/regressions),
# fuzzes for SECONDS in all (default 120: half the unit-file parser, a
# quarter the other readers, a quarter the drop-in round trip) and fails on
# a crash, leak, timeout or broken round trip.
# A failure leaves the reproducer in fuzz/artifacts/; copy it to
# fuzz/regressions/ once fixed so it runs as a regression test forever.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET=${1:-120}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}

echo "fuzz: configuring clang build in $BUILD"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSDHARDEN_FUZZ=ON -DSDHARDEN_TESTS=OFF -DSDHARDEN_BENCH=OFF -DSDHARDEN_BPF=OFF >/dev/null
ninja -C "$BUILD" -j "${JOBS:-2}" fuzz_unit fuzz_inputs fuzz_dropin

corpus=fuzz/corpus-run
mkdir -p "$corpus" fuzz/artifacts
# Seeds: every unit file and drop-in on the machine, deduplicated by content.
n=0
while IFS= read -r -d '' f; do
  sum=$(sha1sum <"$f" | cut -c1-16)
  [[ -e $corpus/$sum ]] || { cp -- "$f" "$corpus/$sum" 2>/dev/null && n=$((n + 1)) || true; }
done < <(find -L /lib/systemd /usr/lib/systemd /etc/systemd /run/systemd /usr/local/lib/systemd \
           -maxdepth 4 -type f -size -256k \
           \( -name '*.service' -o -name '*.socket' -o -name '*.timer' -o -name '*.mount' -o -name '*.path' \
              -o -name '*.slice' -o -name '*.target' -o -name '*.conf' -o -name '*.swap' \) -print0 2>/dev/null)
cp -n fuzz/regressions/* "$corpus/" 2>/dev/null || true
echo "fuzz: $n new seeds, $(ls "$corpus" | wc -l) corpus files; fuzzing for ${SECONDS_BUDGET}s"

set +e
# -entropic=0: the entropic scheduler spends ~40% of the time on bookkeeping
# with a corpus this size; plain scheduling runs about twice as many inputs.
"$BUILD/fuzz/fuzz_unit" -entropic=0 -max_total_time="$((SECONDS_BUDGET / 2))" -timeout=20 -rss_limit_mb=2560 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix=fuzz/artifacts/ "$corpus" 2>fuzz/artifacts/last-run.log
rc=$?
# fuzz_seeded TARGET SEEDS SECONDS MAX_LEN: a target from its committed seeds.
fuzz_seeded() {
  local run=fuzz/corpus-$1-run
  mkdir -p "$run" && cp -n "$2"/* "$run/" 2>/dev/null
  echo "fuzz: $1 for $3s"
  "$BUILD/fuzz/$1" -max_total_time="$3" -timeout=20 -rss_limit_mb=2560 -max_len="$4" -print_final_stats=1 \
    -artifact_prefix=fuzz/artifacts/ "$run" 2>fuzz/artifacts/last-run.log
}
# The other readers (profile JSON, drop-ins, policies, trace text), then the
# drop-in round trip (hostile file names in a profile, the proposed drop-in
# read back: tests/support/dropin_property.h), a quarter of the budget each.
if ((rc == 0)); then fuzz_seeded fuzz_inputs fuzz/corpus/inputs "$((SECONDS_BUDGET / 4))" 65536; rc=$?; fi
if ((rc == 0)); then fuzz_seeded fuzz_dropin fuzz/corpus/dropin "$((SECONDS_BUDGET / 4))" 4096; rc=$?; fi
set -e
tail -n 15 fuzz/artifacts/last-run.log
if ((rc != 0)); then
  echo "fuzz: FAILED (exit $rc); reproducer(s):"
  ls -1 fuzz/artifacts/ | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true
  echo "fuzz: reproduce with $BUILD/fuzz/fuzz_unit (or fuzz_inputs, fuzz_dropin) fuzz/artifacts/<file>"
  exit 1
fi
echo "fuzz: no crash in ${SECONDS_BUDGET}s"
