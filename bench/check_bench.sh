#!/usr/bin/env bash
# Times `quest check` on the generated package at 1x, 2x and 4x its size, to
# show the cost per construct stays flat. Usage: bench/check_bench.sh [QUEST]
set -euo pipefail
quest=${1:-build/quest}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(dirname "$0")
printf "%-6s %8s %10s %12s\n" scale files "lines" "check (ms)"
for scale in 1 2 4; do
  python3 "$here/gen_package.py" "$tmp/p$scale" "$scale"
  lines=$(cat "$tmp/p$scale"/*.quest | wc -l)
  best=""
  for run in 1 2 3; do
    start=$(date +%s%N)
    "$quest" check "$tmp/p$scale" > /dev/null 2>&1 || { echo "check failed at scale $scale"; "$quest" check "$tmp/p$scale" | head; exit 1; }
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf "%-6s %8s %10s %12s\n" "${scale}x" "$(ls "$tmp/p$scale" | wc -l)" "$lines" "$best"
done
