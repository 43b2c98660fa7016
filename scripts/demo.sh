#!/usr/bin/env bash
# README main command: set up, build, check every example package, then replay
# the casino's sample events through it and summarise what the engine did.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
for pkg in examples/*/; do
  echo "== quest check ${pkg}"
  build/quest check "${pkg}"
done
echo "== quest run examples/casino --events examples/casino/events.ndjson"
mkdir -p build/demo
build/quest run examples/casino --events examples/casino/events.ndjson \
  --actions build/demo/actions.ndjson --state build/demo/state.json --until 2027-01-01T00:00:00Z
echo "actions: build/demo/actions.ndjson ($(wc -l < build/demo/actions.ndjson) lines), state: build/demo/state.json"
