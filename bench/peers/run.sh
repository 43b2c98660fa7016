#!/usr/bin/env bash
# Peers (issue 15): the same points rules, capped rule and two-task weekly
# mission run by Questline (interpreter and JIT), LuaJIT + lua-cjson,
# json-rules-engine on Node and hand-written C++ on the same events. Checks that
# every engine awards the same points and mission completions to every player
# (exit 1 if not) and prints events/s with JSON parsing included and excluded,
# peak RSS and the ratios to Questline.
#
# Usage: bench/peers/run.sh [USERS] [EVENTS]      (default 10,000 and 200,000)
# Environment: QUEST (default build/quest), ENGINE_BENCH (default
# build/bench/engine_bench), OUT (work folder, default bench/peers/out),
# REPEAT (runs of each engine, best kept; default 3), NODE_REPEAT (the same for
# json-rules-engine, which takes minutes; default 1), SKIP_NODE=1 to leave it out.
# Needs: python3, g++ and libsimdjson-dev, luajit and lua-cjson, node and npm,
# GNU time (/usr/bin/time) — scripts/setup.sh --bench installs them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
users=${1:-10000}
count=${2:-200000}
quest=${QUEST:-$root/build/quest}
engine_bench=${ENGINE_BENCH:-$root/build/bench/engine_bench}
out=${OUT:-$here/out}
repeat=${REPEAT:-3}
node_repeat=${NODE_REPEAT:-1}
mkdir -p "$out"

for tool in python3 g++ luajit node npm /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/setup.sh --bench)" >&2; exit 2; }
done
[ -x "$quest" ] || { echo "run.sh: no Questline binary at $quest (set QUEST)" >&2; exit 2; }
[ -x "$engine_bench" ] || { echo "run.sh: no engine_bench at $engine_bench (set ENGINE_BENCH)" >&2; exit 2; }
luajit -e 'require("cjson")' 2>/dev/null || { echo "run.sh: lua-cjson is missing" >&2; exit 2; }

echo "== workload: $users players, $count events"
python3 "$here/gen.py" "$out" "$users" "$count"
events=$out/events.ndjson
pkg=$out/pkg
"$quest" check "$pkg" >/dev/null 2>&1 || { "$quest" check "$pkg"; exit 1; }

echo "== building the C++ peer (g++ -O2)"
g++ -O2 -std=c++17 -o "$out/rules_cpp" "$here/cpp/rules.cpp" -lsimdjson
if [ "${SKIP_NODE:-0}" != 1 ] && [ ! -d "$here/node/node_modules/json-rules-engine" ]; then
  echo "== npm ci (json-rules-engine)"
  (cd "$here/node" && npm ci --no-audit --no-fund --silent)
fi

results=$out/results.txt
: > "$results"
# timed NAME CMD...: runs CMD under GNU time; records wall seconds and peak RSS
timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" > "$out/$name.stdout" 2> "$out/$name.stderr" || {
    echo "run.sh: $name failed:" >&2; tail -20 "$out/$name.stderr" >&2; exit 1; }
  python3 - "$name" "$out/$name.time" >> "$results" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
print(f"{name} wall_s {seconds:.3f}")
print(f"{name} rss_kib {rss}")
PY
}

echo "== Questline: quest run (end to end: compile, read, parse, engine, actions written), x$repeat"
for backend in $(for _ in $(seq "$repeat"); do echo interp jit; done); do
  timed "quest_run_$backend" "$quest" run "$pkg" --events "$events" --engine "$backend" --actions "$out/actions_$backend.ndjson"
  python3 "$here/quest_totals.py" "$out/actions_$backend.ndjson" "$out/totals_quest_$backend.txt"
done
for backend in interp jit; do
  echo "quest_run_$backend actions $(wc -l < "$out/actions_$backend.ndjson")" >> "$results"
done

echo "== Questline: engine_bench (JSON parsing timed apart, then the engine on parsed events)"
for backend in $(for _ in $(seq "$repeat"); do echo interp jit; done); do
  QUESTLINE_BENCH_EVENTS=$out/engine_bench_events.ndjson \
    timed "engine_bench_$backend" "$engine_bench" "$users" "$count" "$pkg" "$backend"
  cmp -s "$out/engine_bench_events.ndjson" "$events" || {
    echo "run.sh: engine_bench synthesised other events than gen.py" >&2; exit 1; }
  python3 - "engine_bench_$backend" "$out/engine_bench_$backend.stdout" >> "$results" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
print(f"{name} parse_s {float(re.search(r'JSON parsing ([0-9.]+) s', text).group(1))}")
print(f"{name} engine_s {float(re.search(r'engine +([0-9.]+) s', text).group(1))}")
PY
done

run_peer() {   # TIMES NAME CMD... (the peer writes totals to $out/totals_NAME.txt, its timings to stdout)
  local times=$1 name=$2; shift 2
  echo "== $name (x$times)"
  for _ in $(seq "$times"); do
    timed "$name" "$@" "$events" "$out/totals_$name.txt"
    sed -n "s/^\(parse_included_s\|parse_excluded_s\) /$name \1 /p" "$out/$name.stdout" >> "$results"
  done
}
run_peer "$repeat" cpp "$out/rules_cpp"
run_peer "$repeat" luajit luajit "$here/lua/rules.lua"
if [ "${SKIP_NODE:-0}" != 1 ]; then run_peer "$node_repeat" node node "$here/node/rules.js"; fi

echo "== checking the awards"
status=0
grep -v ' 0 0$' "$out/totals_quest_interp.txt" > "$out/reference.txt" || true
for t in "$out"/totals_*.txt; do
  name=$(basename "$t" .txt); name=${name#totals_}
  if grep -v ' 0 0$' "$t" | cmp -s - "$out/reference.txt"; then
    echo "  $name: same points and mission completions for all $(wc -l < "$out/reference.txt") rewarded players"
  else
    echo "  $name: DIFFERS from Questline (interp):" >&2
    grep -v ' 0 0$' "$t" | diff "$out/reference.txt" - | head -10 >&2
    status=1
  fi
done
python3 - "$out/reference.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
print(f"  total points {sum(int(r[1]) for r in rows):,}, mission completions {sum(int(r[2]) for r in rows):,}")
PY

python3 "$here/report.py" "$results" "$count"
exit $status
