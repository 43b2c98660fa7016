#!/usr/bin/env bash
# questd under HTTP load (issue 16 §10). For each setting: starts build/questd
# on examples/casino with a temporary config (loopback port 0, a file sink,
# the JIT, durability.fsync none or group), runs build/bench/questd_loadgen
# against it for SECONDS, stops questd with SIGTERM, and prints one row of a
# markdown table, with the CPU questd used (cores: CPU seconds / wall seconds,
# from /proc) next to the load generator's. Builds nothing: run ninja first.
# Usage: bench/questd_load.sh [SECONDS (default 10)] [BUILD_DIR (default build)]
# (QUESTD=PATH runs another questd binary, e.g. a build of another worktree.
# ROWS="FSYNC K B RATE;…" runs only those rows, e.g. issue 17's durable
# latency: ROWS="group 16 100 50000;always 16 100 50000". PARTITIONS=N sets
# questd's `partitions`.)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
build=${2:-build}
questd=${QUESTD:-$build/questd}
loadgen=$build/bench/questd_loadgen
for f in "$questd" "$loadgen"; do
  [ -x "$f" ] || { echo "questd_load: $f is not built (ninja -C $build)" >&2; exit 2; }
done
export QUESTLINE_CACHE_DIR=${QUESTLINE_CACHE_DIR:-$build/jit-cache}
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)

start_questd() {   # FSYNC: starts questd, sets pid and port
  rm -rf "$tmp/run" && mkdir -p "$tmp/run"
  cat > "$tmp/run/questd.yaml" <<EOF
rules: $PWD/examples/casino
data_dir: $tmp/run/data
listen: { http: "127.0.0.1:0" }
engine: jit
durability: { fsync: $1 }
log_level: warn
partitions: ${PARTITIONS:-1}
sinks:
  - { type: file, path: $tmp/run/data/actions.ndjson }
EOF
  "$questd" --config "$tmp/run/questd.yaml" > "$tmp/run/stdout" 2> "$tmp/run/stderr" &
  pid=$!
  port=""
  for _ in $(seq 1200); do   # up to 120 s: a first JIT compile of the package
    port=$(sed -n 's/^questd: listening http .*:\([0-9]*\)$/\1/p' "$tmp/run/stdout")
    [ -n "$port" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "questd_load: questd did not start:" >&2
  cat "$tmp/run/stderr" >&2
  exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {   # FSYNC K B RATE
  start_questd "$1"
  local before after status=0 line
  before=$(cpu_ticks "$pid")
  line=$("$loadgen" --port "$port" --connections "$2" --batch "$3" --rate "$4" --seconds "$seconds" \
         --users 10000 --format tsv) || status=$?
  after=$(cpu_ticks "$pid")
  kill -TERM "$pid"
  wait "$pid" || { echo "questd_load: questd exited $? on SIGTERM" >&2; exit 1; }
  pid=""
  [ "$status" -le 1 ] || { echo "questd_load: loadgen exited $status" >&2; exit 1; }
  # mode K B events/s batches/s p50 p90 p99 p99.9 max failures backlog loadgen-CPU-s
  IFS=$'\t' read -r mode k b eps bps p50 p90 p99 p999 max failures backlog lcpu <<< "$line"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f |\n" \
    "$1" "$k" "$b" "$mode" "$eps" "$bps" "$p50" "$p90" "$p99" "$p999" "$max" "$failures" "$backlog" \
    "$(echo "($after - $before) / $hz / $seconds" | bc -l)" "$(echo "$lcpu / $seconds" | bc -l)"
}

echo "| fsync | K | B | load (events/s) | events/s | batches/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | failures | backlog | questd cores | loadgen cores |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
if [ -n "${ROWS:-}" ]; then
  IFS=';' read -r -a rows <<< "$ROWS"
  for row in "${rows[@]}"; do
    # shellcheck disable=SC2086
    run $row
  done
  exit 0
fi
# closed loop: connections x batch size
for kb in "1 1" "1 100" "1 1000" "4 1" "4 100" "4 1000" "16 100" "16 1000"; do
  run none $kb 0
done
for kb in "1 1" "4 100" "16 1000"; do
  run group $kb 0
done
# open loop: a target rate on a clock, latency from each batch's due time
for rate in 10000 30000 100000; do
  run none 4 100 $rate
done
run group 4 100 10000
