#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Speed of `sdharden score` against `systemd-analyze security --offline=yes`
on the same corpus: N generated units plus this machine's services.
sdharden scores the whole corpus in one process; systemd-analyze is run once
per unit (the only way to get one verdict per unit from it). Prints wall-clock
and CPU (user+sys) rates and their ratios; CPU time is the fairer number on a
busy machine. Usage: bench_score.py SDHARDEN [N]"""
import glob
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    sdharden = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, os.path.join(HERE, "../../tests/e2e/exactness/gen_units.py"),
                        os.path.join(work, "gen"), str(n), "42"], check=True)
        corpus = sorted(glob.glob(os.path.join(work, "gen/batch-*/*.service")))
        corpus += sorted(f for f in glob.glob("/lib/systemd/system/*.service") if os.path.isfile(f))
        count = len(corpus)

        w0, c0 = time.monotonic(), cpu()
        subprocess.run([sdharden, "score", "--json"] + corpus, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        w1, c1 = time.monotonic(), cpu()
        for f in corpus:
            subprocess.run(["systemd-analyze", "security", "--offline=yes", "--no-pager", f],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        w2, c2 = time.monotonic(), cpu()

    ours_w, ours_c = w1 - w0, c1 - c0
    sa_w, sa_c = w2 - w1, c2 - c1
    print(f"corpus: {count} unit files ({n} generated + this machine's services)")
    print(f"sdharden score, 1 process:           wall {ours_w:7.2f} s = {count / ours_w:8.0f} units/s;"
          f" cpu {ours_c:7.2f} s = {count / ours_c:8.0f} units/s")
    print(f"systemd-analyze, 1 process per unit: wall {sa_w:7.2f} s = {count / sa_w:8.0f} units/s;"
          f" cpu {sa_c:7.2f} s = {count / sa_c:8.0f} units/s")
    print(f"ratio: wall {sa_w / ours_w:.0f}x, cpu {sa_c / ours_c:.0f}x")


if __name__ == "__main__":
    main()
