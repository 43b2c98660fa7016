#!/usr/bin/env bash
# The JIT from the command line: both engines give the same bytes on the
# examples, the object cache is used, and bundles are built, run, and refused
# when damaged or foreign. Usage: jit_cli_test.sh QUEST SRC_DIR
set -u
quest=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QUESTLINE_CACHE_DIR=$tmp/cache
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() {  # expect EXIT DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  [ "$got" = "$want" ] || { fail "$what: exit $got, wanted $want"; cat "$tmp/out" "$tmp/err" | head -20; }
}
contains() {  # contains FILE TEXT DESCRIPTION
  grep -qF -- "$2" "$1" || { fail "$3: missing '$2'"; head -20 "$1"; }
}
same() {  # same FILE_A FILE_B DESCRIPTION
  cmp -s "$1" "$2" || { fail "$3: $1 and $2 differ"; diff "$1" "$2" | head -10; }
}

casino=$src/examples/casino
events=$casino/events.ndjson
until=2026-12-31T00:00:00Z

# Every example replays to the same actions and state on both engines.
for engine in interp jit; do
  expect 0 "casino on $engine" -- "$quest" run "$casino" --events "$events" --until $until --engine $engine \
    --actions "$tmp/$engine.actions" --state "$tmp/$engine.state"
  cp "$tmp/err" "$tmp/$engine.summary"
done
same "$tmp/interp.actions" "$tmp/jit.actions" "casino actions, interp vs jit"
same "$tmp/interp.state" "$tmp/jit.state" "casino state, interp vs jit"
same "$tmp/interp.summary" "$tmp/jit.summary" "casino summary and warnings, interp vs jit"
[ "$(wc -l < "$tmp/jit.actions")" -gt 1000 ] || fail "the casino replay produced too few actions to compare"
for engine in interp jit; do
  expect 0 "example scenarios on $engine" -- "$quest" test --engine $engine "$src/examples"
  contains "$tmp/out" "4 of 4 scenarios passed" "example scenarios on $engine"
done
expect 2 "test with an unknown engine" -- "$quest" test --engine turbo "$src/examples"

# The JIT is the default, and its objects are cached for the next start.
expect 0 "default engine" -- "$quest" run "$casino" --events "$events" --until $until --actions "$tmp/default.actions"
same "$tmp/interp.actions" "$tmp/default.actions" "default engine actions"
ls "$QUESTLINE_CACHE_DIR"/*.qlo > /dev/null 2>&1 || fail "no object cached in $QUESTLINE_CACHE_DIR"
for f in "$QUESTLINE_CACHE_DIR"/*.qlo; do printf 'garbage' > "$f"; done   # a damaged entry is a miss
expect 0 "run with a damaged cache entry" -- "$quest" run "$casino" --events "$events" --until $until \
  --actions "$tmp/recompiled.actions"
same "$tmp/interp.actions" "$tmp/recompiled.actions" "actions after recompiling over a damaged cache entry"
contains "$tmp/err" "is corrupt (its checksum does not match); recompiling" "a corrupt cache entry is reported"
expect 0 "run after recompiling" -- "$quest" run "$casino" --events "$events" --until $until --actions /dev/null
grep -q "corrupt" "$tmp/err" && fail "the recompiled entry replaced the corrupt one, yet a warning remains"

# Bundles: build, run (as --bundle and as the package path), same bytes.
expect 0 "build a bundle" -- "$quest" build "$casino" -o "$tmp/casino.qlb"
contains "$tmp/err" "wrote $tmp/casino.qlb" "build summary"
expect 0 "run a bundle" -- "$quest" run --bundle "$tmp/casino.qlb" --events "$events" --until $until \
  --actions "$tmp/bundle.actions" --state "$tmp/bundle.state"
same "$tmp/interp.actions" "$tmp/bundle.actions" "bundle actions"
same "$tmp/interp.state" "$tmp/bundle.state" "bundle state"
expect 0 "run a bundle given as the package" -- "$quest" run "$tmp/casino.qlb" --events "$events" --until $until \
  --engine interp --actions "$tmp/bundle_interp.actions"
same "$tmp/interp.actions" "$tmp/bundle_interp.actions" "bundle on the interpreter"
expect 2 "build without -o" -- "$quest" build "$casino"
expect 2 "build with a bad --opt" -- "$quest" build "$casino" -o "$tmp/x.qlb" --opt 9
printf 'rule r on bet { award points "x" }\n' > "$tmp/bad.quest"
expect 1 "build a package with errors" -- "$quest" build "$tmp/bad.quest" -o "$tmp/bad.qlb"
[ -e "$tmp/bad.qlb" ] && fail "a package with errors produced a bundle"

# Refusals: not a bundle, damaged, another JIT version, another CPU.
printf 'not a bundle' > "$tmp/junk.qlb"
expect 2 "run a file that is not a bundle" -- "$quest" run --bundle "$tmp/junk.qlb" --events "$events"
contains "$tmp/err" "not a Questline bundle" "not-a-bundle message"
python3 - "$tmp/casino.qlb" "$tmp/damaged.qlb" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
data[len(data) // 2] ^= 0xFF
open(sys.argv[2], 'wb').write(data)
PY
expect 2 "run a damaged bundle" -- "$quest" run --bundle "$tmp/damaged.qlb" --events "$events"
contains "$tmp/err" "damaged" "damaged-bundle message"
# Re-seal a bundle whose header names another version / CPU, as another quest would write it.
reseal() {  # reseal IN OUT OLD NEW
  python3 - "$@" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()[:-8]
old, new = sys.argv[3].encode(), sys.argv[4].encode()
assert old in data and len(old) == len(new)
data = data.replace(old, new, 1)
h = 0xcbf29ce484222325
for b in data:
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
open(sys.argv[2], 'wb').write(data + h.to_bytes(8, 'little'))
PY
}
reseal "$tmp/casino.qlb" "$tmp/old.qlb" "0.1.0+" "0.0.9+"
expect 2 "run a bundle from another JIT version" -- "$quest" run --bundle "$tmp/old.qlb" --events "$events"
contains "$tmp/err" "was built by Questline JIT 0.0.9+" "foreign-version message"
reseal "$tmp/casino.qlb" "$tmp/arm.qlb" "x86_64-" "arm64x-"
expect 2 "run a bundle for another target" -- "$quest" run --bundle "$tmp/arm.qlb" --events "$events"
contains "$tmp/err" "holds code for arm64x-" "foreign-target message"

# Issue 14 §9: a bundle whose checksum is right but whose program is not (a
# byte of the program changed, then sealed again) is refused with exit 2, or
# runs if the change happens to be harmless, but never crashes. The
# interpreter runs it: the objects are native code nothing can vouch for.
python3 - "$tmp/casino.qlb" "$tmp/mutants" <<'PY'
import os, sys
data = open(sys.argv[1], 'rb').read()[:-8]
os.makedirs(sys.argv[2])
def leb(pos):
    v, shift = 0, 0
    while True:
        b = data[pos]; pos += 1
        v |= (b & 0x7f) << shift; shift += 7
        if not b & 0x80: return v, pos
pos = len(b"QLBUNDLE\x01\r\n")
for _ in range(4):                    # version, triple, cpu, features
    n, pos = leb(pos); pos += n
_, pos = leb(pos)                     # opt level
n, pos = leb(pos)                     # the program's bytes follow
start, end = pos, pos + n
for i in range(60):
    at = start + (i * 7919) % (end - start)
    for flip in (0x01, 0x40):
        mutant = bytearray(data)
        mutant[at] ^= flip
        h = 0xcbf29ce484222325
        for b in mutant:
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        open("%s/m%03d_%02x.qlb" % (sys.argv[2], i, flip), 'wb').write(bytes(mutant) + h.to_bytes(8, 'little'))
PY
head -50 "$events" > "$tmp/few.ndjson"
refused=0
for m in "$tmp/mutants"/*.qlb; do
  "$quest" run --bundle "$m" --engine interp --events "$tmp/few.ndjson" > /dev/null 2> "$tmp/err"
  got=$?
  case $got in
    0) ;;
    2) refused=$((refused + 1))
       grep -qE "damaged|inconsistent" "$tmp/err" || { fail "mutant $m: exit 2 without a reason"; head -3 "$tmp/err"; } ;;
    *) fail "mutant $m: exit $got"; head -5 "$tmp/err" ;;
  esac
done
[ "$refused" -gt 0 ] || fail "no mutated bundle was refused: the mutation loop tests nothing"

# Streamed events are interned as they arrive, and an audience's lower() makes
# "omega" before a bet names it. `top` once broke ties by the smaller id, so
# the ids decided this tie; now the value reached first wins ("zeta", bet at
# 10:00) whatever the ids, and both engines must say so.
mkdir -p "$tmp/order"
cat > "$tmp/order/pkg.quest" <<'QUEST'
metric fav = top(bet.game)
mission m { audience lower(profile.country) != "x"  task t { count(bet) >= 100 } }
QUEST
cat > "$tmp/order/events.ndjson" <<'NDJSON'
{"id":"p0","type":"profile_update","user":"u","ts":"2026-12-01T09:00:00Z","country":"AA"}
{"id":"p1","type":"profile_update","user":"u","ts":"2026-12-01T09:30:00Z","country":"OMEGA"}
{"id":"b1","type":"bet","user":"u","ts":"2026-12-01T10:00:00Z","game":"zeta","provider":"p","game_type":"slots","amount":1,"currency":"EUR","device":"app"}
{"id":"b2","type":"bet","user":"u","ts":"2026-12-01T10:01:00Z","game":"omega","provider":"p","game_type":"slots","amount":1,"currency":"EUR","device":"app"}
NDJSON
for engine in interp jit; do
  expect 0 "interning order on $engine" -- "$quest" run "$tmp/order" --events "$tmp/order/events.ndjson" \
    --engine $engine --state "$tmp/order/$engine.state"
  contains "$tmp/order/$engine.state" '"fav":"zeta"' "top's tie goes to the value reached first, $engine"
done

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "jit cli: all checks passed"
