#!/usr/bin/env bash
# Issue 14 §1 (in part): long but legal chains (operators, `.`, `else if`, and
# consts, fns and segments that each use the next) are a Q0108 diagnostic with
# a location, never a crash. Each input is generated; `quest check` must exit 1
# with Q0108 (not a signal), and a chain just under the limit still checks and runs.
# Usage: long_chains_test.sh QUEST
set -u
quest=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
gen() {  # gen KIND N > FILE
  python3 - "$1" "$2" <<'PY'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
if kind == "and":
    print("rule r on deposit where " + " and ".join("deposit.amount > %d" % i for i in range(n)) + " { award points 1 }")
elif kind == "plus":
    print("rule r on deposit { award points " + " + ".join(["1"] * n) + " }")
elif kind == "elif":
    print("rule r on deposit {\n  if deposit.amount > 0 { award points 1 }")
    for i in range(n):
        print("  else if deposit.amount > %d { award points 1 }" % i)
    print("}")
elif kind in ("fns", "segments", "consts", "cycle"):
    for i in range(n - 1):
        if kind == "fns": print("fn f%d(x: int) -> int = f%d(x) + 1" % (i, i + 1))
        elif kind == "consts": print("const c%d = c%d + 1" % (i, i + 1))
        else: print("segment s%d = s%d" % (i, i + 1))
    if kind == "fns": print("fn f%d(x: int) -> int = x\nrule r on deposit { award points f0(1) }" % (n - 1))
    elif kind == "consts": print("const c%d = 1\nrule r on deposit { award points c0 }" % (n - 1))
    else:
        print("segment s%d = %s" % (n - 1, "s0" if kind == "cycle" else "deposit_count > 0"))
        print("metric deposit_count = count(deposit)\nrule r on deposit where s0 { award points 1 }")
elif kind == "field":
    print("rule r on deposit where deposit" + ".amount" * n + " > 1 { award points 1 }")
PY
}
for kind in and plus elif field fns segments consts cycle; do
  case $kind in fns) n=3000 ;; segments|consts|cycle) n=6000 ;; *) n=10000 ;; esac
  gen $kind $n > "$tmp/$kind.quest"
  "$quest" check "$tmp/$kind.quest" > "$tmp/out" 2> "$tmp/err"
  got=$?
  if [ $got != 1 ] || ! grep -q "error\[Q0108\]" "$tmp/out"; then
    echo "FAIL: a $n-long $kind chain: exit $got"; head -c 600 "$tmp/out" "$tmp/err"; failures=$((failures + 1))
  fi
  grep -qE "$kind.quest:[0-9]+:[0-9]+: error\[Q0108\]" "$tmp/out" || { echo "FAIL: $kind: no location"; failures=$((failures + 1)); }
done
# Under the limits (1,000 links, 256 definitions deep): checks and runs on both engines.
for kind in and plus elif fns segments consts; do
  case $kind in fns|segments|consts) n=200 ;; *) n=900 ;; esac
  gen $kind $n > "$tmp/ok_$kind.quest"
  "$quest" check "$tmp/ok_$kind.quest" > "$tmp/out" 2> "$tmp/err"
  got=$?
  if [ $got != 0 ]; then echo "FAIL: a $n-long $kind chain: exit $got"; head -c 600 "$tmp/out"; failures=$((failures + 1)); fi
  # Both engines: the JIT's code generator walks the same chains (issue 14 §1).
  for engine in interp jit; do
    echo '{"id":"e1","type":"deposit","user":"u1","ts":"2026-12-01T10:00:00Z","amount":25,"currency":"EUR","method":"card"}' |
      "$quest" run "$tmp/ok_$kind.quest" --engine $engine --events - > "$tmp/out" 2> "$tmp/err"
    got=$?
    if [ $got != 0 ] || grep -q "JIT could not" "$tmp/err"; then
      echo "FAIL: running a $n-long $kind chain on $engine: exit $got"; head -c 600 "$tmp/err"; failures=$((failures + 1))
    fi
  done
done
# A bundle of the 900-link `else if` chain (900 nested blocks) decodes and
# runs: the codec once refused blocks deeper than 256 as "damaged".
"$quest" build "$tmp/ok_elif.quest" -o "$tmp/elif.qlb" > "$tmp/out" 2> "$tmp/err" ||
  { echo "FAIL: build a bundle of a 900-link else-if chain"; head -c 600 "$tmp/err"; failures=$((failures + 1)); }
echo '{"id":"e1","type":"deposit","user":"u1","ts":"2026-12-01T10:00:00Z","amount":25,"currency":"EUR","method":"card"}' |
  "$quest" run --bundle "$tmp/elif.qlb" --events - > "$tmp/out" 2> "$tmp/err" ||
  { echo "FAIL: run the bundle of a 900-link else-if chain"; head -c 600 "$tmp/err"; failures=$((failures + 1)); }
# §2, in part: did-you-mean candidates are gathered once, not per error.
# 40,000 unknown events took 40 s when each error rescanned every symbol; now
# a few seconds, so 30 s catches the quadratic cost without being flaky.
python3 -c 'for i in range(40000): print("rule r%d on depositt%d { award points 1 }" % (i, i))' > "$tmp/unknown.quest"
timeout 30 "$quest" check "$tmp/unknown.quest" > "$tmp/out" 2> "$tmp/err"
got=$?
if [ $got != 1 ] || ! grep -q "40000 errors" "$tmp/err"; then
  echo "FAIL: 40,000 unknown events: exit $got (124: slower than 30 s)"; tail -2 "$tmp/err"; failures=$((failures + 1))
fi
if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "long chains: all checks passed"
