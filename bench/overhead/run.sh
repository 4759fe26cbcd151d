#!/usr/bin/env bash
# Overhead of `sdharden profile` against no tracing and `strace -f`, in one run:
#  1. a syscall-bound loop (1-byte reads from /dev/zero), reads per second;
#  2. a real daemon: redis-benchmark (SET and GET) against a loopback
#     redis-server started here on a non-default port, requests per second.
# usage: bench/overhead/run.sh [path/to/sdharden]   (as root)
# Needs: cc, strace, redis-server, redis-benchmark, redis-cli. Install the
# redis packages with a policy-rc.d that exits 101 so that no init script
# starts a system instance.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sdh=${1:-$here/../../build/src/cli/sdharden}
port=${BENCH_REDIS_PORT:-16399}
loop_seconds=${BENCH_LOOP_SECONDS:-2}
requests=${BENCH_REQUESTS:-200000}
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

lost_note() {  # lost_note SUMMARY_FILE
  if grep -q "LOST EVENTS" "$1"; then grep "LOST EVENTS" "$1"; else echo "0"; fi
}

# --- 1. syscall-bound loop
echo "== syscall-bound loop: 1-byte reads, ${loop_seconds}s each"
loop_plain=$("$work/readloop" "$loop_seconds")
"$sdh" profile -o "$work/loop.json" -- "$work/readloop" "$loop_seconds" >"$work/loop.out" 2>&1
loop_prof=$(head -1 "$work/loop.out")
loop_strace=$(strace -f -qq -o /dev/null "$work/readloop" "$loop_seconds")
loop_lost=$(lost_note "$work/loop.out")

# --- 2. redis
redis_run() {  # redis_run MODE -> prints "SET GET" requests/s
  local mode=$1
  local args=(redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no
              --dir "$work" --logfile "$work/redis-$mode.log")
  case $mode in
    plain) "${args[@]}" & ;;
    profile) "$sdh" profile -o "$work/redis.json" -- "${args[@]}" >"$work/redis-prof.out" 2>&1 & ;;
    strace) strace -f -qq -o /dev/null "${args[@]}" & ;;
  esac
  server_pid=$!
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-benchmark -p "$port" -h 127.0.0.1 -q -c 50 -n "$requests" -t set,get --csv >"$work/bench-$mode.csv"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$server_pid" || true
  server_pid=
  awk -F'"' '/^"SET"/{s=$4} /^"GET"/{g=$4} END{print s, g}' "$work/bench-$mode.csv"
}
echo "== redis-benchmark -c 50 -n $requests (SET, GET) against redis-server on 127.0.0.1:$port"
read -r set_plain get_plain < <(redis_run plain)
read -r set_prof get_prof < <(redis_run profile)
read -r set_strace get_strace < <(redis_run strace)
redis_lost=$(lost_note "$work/redis-prof.out")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }
echo
printf "%-26s %14s %14s %14s\n" "workload" "untraced" "sdharden" "strace -f"
printf "%-26s %14.0f %14.0f %14.0f\n" "read loop (reads/s)" "$loop_plain" "$loop_prof" "$loop_strace"
printf "%-26s %14.0f %14.0f %14.0f\n" "redis SET (req/s)" "$set_plain" "$set_prof" "$set_strace"
printf "%-26s %14.0f %14.0f %14.0f\n" "redis GET (req/s)" "$get_plain" "$get_prof" "$get_strace"
echo
slow_prof=$(ratio "$loop_plain" "$loop_prof")
slow_strace=$(ratio "$loop_plain" "$loop_strace")
echo "read loop slowdown: sdharden ${slow_prof}x, strace -f ${slow_strace}x;" \
     "strace's slowdown is $(ratio "$slow_strace" "$slow_prof")x sdharden's (target >= 50)"
echo "redis throughput under sdharden: SET $(ratio "$set_prof" "$set_plain"), GET $(ratio "$get_prof" "$get_plain") of untraced (target >= 0.90)"
echo "redis throughput under strace -f: SET $(ratio "$set_strace" "$set_plain"), GET $(ratio "$get_strace" "$get_plain") of untraced"
echo "lost events: read loop $loop_lost; redis $redis_lost"
