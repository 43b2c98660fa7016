#!/usr/bin/env bash
# Issue 15's scale table: players x missions on gen_scale.py's package, each
# run twice through `quest run` — plain, and with `--until` 30 days after the
# last event (a quiet month) — under /usr/bin/time -v. Prints a markdown table.
#
# Environment (defaults):
#   QUEST=/work/main/build/quest     the binary
#   PLAYERS="10000 100000 1000000"   rows; EVENTS_PER_PLAYER=10 events each
#   MISSIONS="0 100 500"             weekly missions in the package
#   ENGINE=jit                       --engine
#   TIMEOUT=1200                     seconds per run; a timeout skips the rest of the row
#   MEM_LIMIT_MB=16384               a run whose RSS passes this is killed (watchdog)
#   MAX_S=900                        a run projected slower than this is skipped
#   OUT=bench/scale_out              generated data and raw results (git-ignored)
#
# Definitions:
#   wall        elapsed time of the whole process: JIT compile (object cache
#               warm after the first run), reading and parsing the NDJSON, the
#               engine, writing actions to /dev/null, and for the quiet month
#               the timers up to --until.
#   events/s    events / wall.
#   baseline    peak RSS of the same package on an empty event file (0 players:
#               binary, LLVM, the compiled package).
#   KiB/player  (peak RSS - baseline) / players seen in the events. It includes
#               everything the engine keeps while it runs: player state, window
#               buckets, timers, the seen-event-ids table of the dedupe window
#               (7 d), buffers.
#   projection  the next players row of a mission count is run only if
#               baseline + KiB/player x players <= MEM_LIMIT_MB and wall x
#               (players ratio) <= MAX_S, from the previous row's same run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
QUEST=${QUEST:-/work/main/build/quest}
PLAYERS=${PLAYERS:-"10000 100000 1000000"}
EVENTS_PER_PLAYER=${EVENTS_PER_PLAYER:-10}
MISSIONS=${MISSIONS:-"0 100 500"}
ENGINE=${ENGINE:-jit}
TIMEOUT=${TIMEOUT:-1200}
MEM_LIMIT_MB=${MEM_LIMIT_MB:-16384}
MAX_S=${MAX_S:-900}
OUT=${OUT:-$here/scale_out}
mkdir -p "$OUT"
RES=$OUT/results.tsv
[ -f "$RES" ] || printf 'players\tevents\tmissions\trun\tstatus\twall_s\tpeak_kb\tbase_kb\tactive\ttimers\tactions\tload\n' > "$RES"

log() { echo "[$(date +%T)] $*" >&2; }

# run_one TAG ARGS... : runs quest under time -v with a timeout and an RSS
# watchdog; sets STATUS (ok|timeout|oom|fail), WALL, PEAK_KB, TIMERS, ACTIONS.
run_one() {
  local tag=$1; shift
  local tf=$OUT/$tag.time ef=$OUT/$tag.err
  setsid /usr/bin/time -v -o "$tf" "$QUEST" run "$@" --actions /dev/null --engine "$ENGINE" 2> "$ef" &
  local sid=$! t0=$SECONDS killed=""
  while kill -0 "$sid" 2>/dev/null; do
    sleep 1
    local rss
    rss=$(ps -o rss= --sid "$sid" 2>/dev/null | awk '{s+=$1} END {print s+0}')
    if [ "${rss:-0}" -gt $((MEM_LIMIT_MB * 1024)) ]; then killed=oom; kill -KILL -- -"$sid" 2>/dev/null; fi
    if [ $((SECONDS - t0)) -gt "$TIMEOUT" ]; then killed=timeout; kill -KILL -- -"$sid" 2>/dev/null; fi
  done
  wait "$sid"; local rc=$?
  WALL=$(awk -F': ' '/Elapsed/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf" 2>/dev/null)
  PEAK_KB=$(awk -F': ' '/Maximum resident/ {print $2}' "$tf" 2>/dev/null)
  TIMERS=$(sed -n 's/.*timers fired: \([0-9]*\).*/\1/p' "$ef")
  ACTIONS=$(sed -n 's/^actions://p' "$ef" | tr ' ' '\n' | awk -F= 'NF==2 {s+=$2} END {print s+0}')
  if [ -n "$killed" ]; then STATUS=$killed; WALL=$((SECONDS - t0))
  elif [ "$rc" -ne 0 ]; then STATUS=fail; else STATUS=ok; fi
  : "${WALL:=0}" "${PEAK_KB:=0}" "${TIMERS:=0}" "${ACTIONS:=0}"
}

load() { cut -d' ' -f1 /proc/loadavg; }

declare -A BASE PREV_KIB PREV_WALL PREV_P
: > "$OUT/empty.ndjson"
for m in $MISSIONS; do
  python3 "$here/gen_scale.py" 1 0 "$m" "$OUT/pkg$m" >/dev/null
  "$QUEST" check "$OUT/pkg$m/package" >/dev/null 2>&1 || { log "package $m does not check"; exit 1; }
  # twice: the first run fills the JIT object cache
  run_one "base$m" "$OUT/pkg$m/package" --events "$OUT/empty.ndjson"
  run_one "base$m" "$OUT/pkg$m/package" --events "$OUT/empty.ndjson"
  BASE[$m]=$PEAK_KB
  log "baseline missions=$m: $PEAK_KB KB"
done

for p in $PLAYERS; do
  e=$((p * EVENTS_PER_PLAYER))
  for m in $MISSIONS; do
    for run in plain quiet; do
      key=$m/$run
      if [ -n "${PREV_P[$key]:-}" ]; then
        f=$((p / PREV_P[$key]))
        proj_mb=$(awk -v b="${BASE[$m]}" -v k="${PREV_KIB[$key]}" -v p="$p" 'BEGIN {printf "%d", (b + k * p) / 1024}')
        proj_s=$(awk -v w="${PREV_WALL[$key]}" -v f="$f" 'BEGIN {printf "%d", w * f}')
        if [ "$proj_mb" -gt "$MEM_LIMIT_MB" ] || [ "$proj_s" -gt "$MAX_S" ]; then
          log "skip players=$p missions=$m $run: projected ${proj_mb} MiB, ${proj_s} s"
          printf '%s\t%s\t%s\t%s\tskipped (projected %s MiB, %s s)\t\t\t%s\t\t\t\t%s\n' \
            "$p" "$e" "$m" "$run" "$proj_mb" "$proj_s" "${BASE[$m]}" "$(load)" >> "$RES"
          continue
        fi
      fi
      [ "${ROW_DEAD:-}" = "$p/$m" ] && { printf '%s\t%s\t%s\t%s\tskipped (row timed out)\t\t\t%s\t\t\t\t%s\n' \
            "$p" "$e" "$m" "$run" "${BASE[$m]}" "$(load)" >> "$RES"; continue; }
      ev=$OUT/ev$p
      if [ ! -f "$ev/meta.json" ]; then
        log "generating $p players, $e events"
        python3 "$here/gen_scale.py" "$p" "$e" 0 "$ev" >/dev/null
      fi
      active=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["active_players"])' "$ev/meta.json")
      args=("$OUT/pkg$m/package" --events "$ev/events.ndjson")
      if [ "$run" = quiet ]; then
        until=$(python3 -c 'import json,sys,datetime as d; t=d.datetime.fromisoformat(json.load(open(sys.argv[1]))["last_ts"].replace("Z","+00:00")); print((t+d.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]+"Z")' "$ev/meta.json")
        args+=(--until "$until")
      fi
      l0=$(load)
      log "run players=$p missions=$m $run (load $l0)"
      run_one "p${p}_m${m}_$run" "${args[@]}"
      log "  -> $STATUS ${WALL}s ${PEAK_KB} KB timers=$TIMERS actions=$ACTIONS"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$e" "$m" "$run" "$STATUS" "$WALL" \
        "$PEAK_KB" "${BASE[$m]}" "$active" "$TIMERS" "$ACTIONS" "$l0..$(load)" >> "$RES"
      if [ "$STATUS" = ok ]; then
        PREV_P[$key]=$p; PREV_WALL[$key]=$WALL
        PREV_KIB[$key]=$(awk -v a="$PEAK_KB" -v b="${BASE[$m]}" -v n="$active" 'BEGIN {printf "%.3f", (a - b) / n}')
      else
        ROW_DEAD=$p/$m
      fi
    done
  done
done

python3 "$here/scale_table.py" "$RES"
