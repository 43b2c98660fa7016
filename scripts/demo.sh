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
echo "== quest build examples/casino -o build/demo/casino.qlb   (checked program + native code)"
build/quest build examples/casino -o build/demo/casino.qlb
echo "== quest run --bundle build/demo/casino.qlb, and --engine interp: both must match the run above"
build/quest run --bundle build/demo/casino.qlb --events examples/casino/events.ndjson \
  --actions build/demo/bundle_actions.ndjson --until 2027-01-01T00:00:00Z 2> /dev/null
build/quest run examples/casino --engine interp --events examples/casino/events.ndjson \
  --actions build/demo/interp_actions.ndjson --until 2027-01-01T00:00:00Z 2> /dev/null
cmp build/demo/actions.ndjson build/demo/bundle_actions.ndjson
cmp build/demo/actions.ndjson build/demo/interp_actions.ndjson
echo "jit, bundle and interpreter: identical actions"
