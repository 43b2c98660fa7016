#!/usr/bin/env bash
# Partitions on threads (docs/engine.md, "Partitions"): `quest run` of the
# same events on 1, 2 and 4 partitions, wall time, CPU and whether the
# actions and state are the bytes of one partition. Two packages: the
# casino, and the casino without its competitions (every bet scores one,
# which takes a turn at the global state).
# Usage: bench/partitions.sh [USERS] [EVENTS] [BUILD_DIR]   (default 20000 400000 build)
set -euo pipefail
users=${1:-20000}
events=${2:-400000}
build=${3:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# engine_bench writes the month of play it replays (the casino's event mix).
QUESTLINE_BENCH_EVENTS=$tmp/events.ndjson "$build/bench/engine_bench" "$users" "$events" "$src/examples/casino" jit >/dev/null
cp -r "$src/examples/casino" "$tmp/casino"
cp -r "$src/examples/casino" "$tmp/casino_without_competitions"
rm "$tmp/casino_without_competitions/tournaments.quest" "$tmp"/casino*/*.test.yaml
echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $users users, $events events; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| package | partitions | wall (s) | events/s | CPU | same bytes as 1 |\n|---|---|---|---|---|---|\n'
for package in casino casino_without_competitions; do
  for n in 1 2 4; do
    /usr/bin/time -f "%e %P" -o "$tmp/time" "$build/quest" run "$tmp/$package" --events "$tmp/events.ndjson" \
      --partitions "$n" --actions "$tmp/actions-$n.ndjson" --state "$tmp/state-$n.json" >/dev/null 2>&1
    read -r wall cpu < "$tmp/time"
    same=yes
    if [ "$n" != 1 ]; then
      cmp -s "$tmp/actions-1.ndjson" "$tmp/actions-$n.ndjson" && cmp -s "$tmp/state-1.json" "$tmp/state-$n.json" || same=NO
    fi
    printf '| %s | %s | %s | %.0f | %s | %s |\n' "$package" "$n" "$wall" "$(echo "$events / $wall" | bc -l)" "$cpu" "$same"
  done
done
