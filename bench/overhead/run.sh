#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Overhead of `sdharden profile` against no tracing and `strace -f`, in one run:
#  1. a syscall-bound loop (1-byte reads from /dev/zero), reads per second;
#  2. a real daemon: redis-benchmark (SET and GET) against a loopback
#     redis-server started here on a non-default port, requests per second.
# Untraced and profiled runs alternate BENCH_ROUNDS times and the medians are
# compared (the build machines are shared and noisy). The read loop also runs
# under strace -f and, when clang and libbpf can build it, under the floor:
# one empty BPF program on the hook the profiler uses for every syscall
# (empty.bpf.c, run by floor.c), which is what any eBPF tracer pays here
# before doing anything. Redis runs once under strace, with fewer requests (it
# is slow, and a rate does not depend on the count).
# usage: bench/overhead/run.sh [path/to/sdharden]   (as root; ~2 minutes)
# Needs: cc, strace, redis-server, redis-benchmark, redis-cli. Install the
# redis packages with a /usr/sbin/policy-rc.d that exits 101, so that no init
# script starts a system instance.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sdh=${1:-$here/../../build/src/cli/sdharden}
port=${BENCH_REDIS_PORT:-16399}
loop_seconds=${BENCH_LOOP_SECONDS:-1}
requests=${BENCH_REQUESTS:-100000}
rounds=${BENCH_ROUNDS:-3}
[[ $(id -u) -eq 0 ]] || { echo "bench: needs root (eBPF)"; exit 1; }
for tool in cc strace redis-server redis-benchmark redis-cli; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing"; exit 1; }
done
[[ -x $sdh ]] || { echo "bench: $sdh not found (build first or pass its path)"; exit 1; }

work=$(mktemp -d /tmp/sdh-bench.XXXXXX)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -o "$work/readloop" "$here/readloop.c"
floor=
if command -v clang >/dev/null && clang -O2 -target bpf -c "$here/empty.bpf.c" -o "$work/empty.bpf.o" 2>/dev/null &&
   cc -O2 -o "$work/floor" "$here/floor.c" -lbpf 2>/dev/null; then
  floor=$work/floor
fi
lost_total=0
lost_runs=0
median() { printf "%s\n" "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }
note_lost() {  # note_lost SUMMARY_FILE
  local n
  n=$(awk '/lost events|LOST EVENTS/{print $3; exit}' "$1")
  [[ -n $n ]] || { echo "bench: no summary in $1:"; cat "$1"; exit 1; }
  lost_total=$((lost_total + n)); lost_runs=$((lost_runs + 1))
}

# --- 1. syscall-bound loop
echo "== syscall-bound loop: 1-byte reads from /dev/zero, ${loop_seconds}s per run, $rounds rounds"
loop_plain=() loop_prof=() loop_strace=() loop_floor=()
for _ in $(seq "$rounds"); do
  loop_plain+=("$("$work/readloop" "$loop_seconds")")
  "$sdh" profile -o "$work/loop.json" -- "$work/readloop" "$loop_seconds" >"$work/loop.out" 2>&1
  loop_prof+=("$(head -1 "$work/loop.out")")
  note_lost "$work/loop.out"
  loop_strace+=("$(strace -f -qq -o /dev/null "$work/readloop" "$loop_seconds")")
  if [[ -n $floor ]]; then loop_floor+=("$("$floor" "$work/empty.bpf.o" "$work/readloop" "$loop_seconds")"); fi
done

# --- 2. redis
redis_run() {  # redis_run MODE REQUESTS -> prints "SET GET" requests/s
  local mode=$1 n=$2
  local args=(redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no
              --dir "$work" --logfile "$work/redis-$mode.log")
  case $mode in
    plain) "${args[@]}" >/dev/null 2>&1 & ;;
    profile) "$sdh" profile -o "$work/redis.json" -- "${args[@]}" >"$work/redis-prof.out" 2>&1 & ;;
    strace) strace -f -qq -o /dev/null "${args[@]}" >/dev/null 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-benchmark -p "$port" -h 127.0.0.1 -q -c 50 -n "$n" -t set,get --csv >"$work/bench-$mode.csv"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$server_pid" || true
  server_pid=
  if [[ $mode == profile ]]; then note_lost "$work/redis-prof.out"; fi
  awk -F'"' '/^"SET"/{s=$4} /^"GET"/{g=$4} END{print s, g}' "$work/bench-$mode.csv"
}
echo "== redis-benchmark -c 50 -n $requests (SET, GET), redis-server on 127.0.0.1:$port, $rounds rounds"
set_plain=() get_plain=() set_prof=() get_prof=()
for _ in $(seq "$rounds"); do
  read -r s g < <(redis_run plain "$requests"); set_plain+=("$s"); get_plain+=("$g")
  redis_run profile "$requests" >"$work/r.txt"; read -r s g <"$work/r.txt"; set_prof+=("$s"); get_prof+=("$g")
done
read -r set_strace get_strace < <(redis_run strace $((requests / 5)))

lp=$(median "${loop_plain[@]}") lq=$(median "${loop_prof[@]}") lt=$(median "${loop_strace[@]}")
sp=$(median "${set_plain[@]}") sq=$(median "${set_prof[@]}")
gp=$(median "${get_plain[@]}") gq=$(median "${get_prof[@]}")
echo
echo "all runs: read loop untraced ${loop_plain[*]} / profiled ${loop_prof[*]} / strace -f ${loop_strace[*]}"
if [[ -n $floor ]]; then echo "          read loop under the floor (one empty BPF program) ${loop_floor[*]}"; fi
echo "          redis SET untraced ${set_plain[*]} / profiled ${set_prof[*]}"
echo "          redis GET untraced ${get_plain[*]} / profiled ${get_prof[*]}"
printf "%-26s %14s %14s %14s\n" "median" "untraced" "sdharden" "strace -f"
printf "%-26s %14.0f %14.0f %14.0f\n" "read loop (reads/s)" "$lp" "$lq" "$lt"
printf "%-26s %14.0f %14.0f %14.0f\n" "redis SET (req/s)" "$sp" "$sq" "$set_strace"
printf "%-26s %14.0f %14.0f %14.0f\n" "redis GET (req/s)" "$gp" "$gq" "$get_strace"
echo
slow_prof=$(ratio "$lp" "$lq")
slow_strace=$(ratio "$lp" "$lt")
echo "read loop slowdown: sdharden ${slow_prof}x, strace -f ${slow_strace}x;" \
     "strace's slowdown is $(ratio "$slow_strace" "$slow_prof")x sdharden's (target >= 50)"
if [[ -n $floor ]]; then
  slow_floor=$(ratio "$lp" "$(median "${loop_floor[@]}")")
  echo "floor: one empty BPF program on every syscall slows the loop ${slow_floor}x;" \
       "no eBPF profiler can do better than $(ratio "$slow_strace" "$slow_floor")x here"
else
  echo "floor: not measured (needs clang and libbpf to build bench/overhead/empty.bpf.c and floor.c)"
fi
echo "redis throughput under sdharden: SET $(ratio "$sq" "$sp"), GET $(ratio "$gq" "$gp") of untraced (target >= 0.90)"
echo "redis throughput under strace -f: SET $(ratio "$set_strace" "$sp"), GET $(ratio "$get_strace" "$gp") of untraced"
if (( lost_total == 0 )); then
  echo "lost events: none in $lost_runs profiled runs"
else
  echo "LOST EVENTS: $lost_total over $lost_runs profiled runs: those profiles are incomplete"
fi
