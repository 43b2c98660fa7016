#!/usr/bin/env bash
# README main command: set up, build, check every example package, then replay
# the casino's sample events through it and summarise what the engine did;
# then serve the same package with questd and look at it over HTTP.
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
echo "== questd: the casino served live (docs/daemon.md), the same events over HTTP"
rm -rf build/demo/questd
mkdir -p build/demo/questd
cat > build/demo/questd.yaml <<'YAML'
rules: examples/casino
data_dir: build/demo/questd
listen: { http: "127.0.0.1:0" }
sinks: [ { type: file, path: build/demo/questd/actions.ndjson } ]
auth: { token_env: QUESTD_TOKEN }
YAML
export QUESTD_TOKEN="demo-$RANDOM$RANDOM"
build/questd --config build/demo/questd.yaml > build/demo/questd.out 2> build/demo/questd.log &
questd_pid=$!
for _ in $(seq 300); do grep -q "listening http" build/demo/questd.out && break; sleep 0.1; done
port=$(sed -n 's/^questd: listening http .*:\([0-9]*\)$/\1/p' build/demo/questd.out)
python3 scripts/questd_demo.py "$port" examples/casino/events.ndjson
kill -TERM "$questd_pid"
wait "$questd_pid"
echo "questd stopped (exit 0); its actions: build/demo/questd/actions.ndjson ($(wc -l < build/demo/questd/actions.ndjson) lines)"
