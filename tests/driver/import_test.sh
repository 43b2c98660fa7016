#!/usr/bin/env bash
# quest run --import-segment / --import-balances (INTERFACES.md §1, §6) and the
# feed warnings of its summary (issue 13 items 1 and 9), with real files.
# Usage: import_test.sh QUEST
set -u
quest=$1
source "$(dirname "$0")/lib.sh"
# expect EXIT DESCRIPTION -- COMMAND..., contains FILE TEXT DESCRIPTION
lacks() {  # lacks FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then
    echo "FAIL: $3: unexpected '$2'"; head -20 "$1"; failures=$((failures + 1))
  fi
}

mkdir "$tmp/pkg"
cat > "$tmp/pkg/promo.quest" <<'Q'
currency gems
segment promo_list = imported
segment whales = count(deposit) > 10
rule promo on login where promo_list { award gems 5 }
rule spend on login where gems >= 100 { deduct gems 100  grant bonus "gem_chest" }
policy rg { block rewards when profile.self_excluded }
Q
cat > "$tmp/promo.csv" <<'C'
user_id
u1
"u3"

C
printf 'user,currency,operation,amount\r\nu1,gems,add,150\r\nu2,gems,set,120\r\nu2,gems,deduct,30\r\nu3,points,add,40\r\n' > "$tmp/balances.csv"
cat > "$tmp/events.ndjson" <<'N'
{"id":"l1","type":"login","user":"u1","ts":"2026-12-01T10:00:00Z"}
{"id":"l2","type":"login","user":"u2","ts":"2026-12-01T10:01:00Z"}
{"id":"l3","type":"login","user":"u3","ts":"2026-12-01T10:02:00Z","device":"fridge"}
{"id":"b1","type":"bet","user":"u3","ts":"2026-12-01T10:03:00Z","game":"g","game_type":"crash_x","amount":1.123456789}
N

for engine in interp jit; do
  expect 0 "run with imports ($engine)" -- "$quest" run "$tmp/pkg" --engine $engine --events "$tmp/events.ndjson" \
    --import-segment promo_list="$tmp/promo.csv" --import-balances "$tmp/balances.csv" \
    --state "$tmp/state.json" --actions "$tmp/actions.$engine"
  contains "$tmp/err" "imports: 5 applied before the events" "import count ($engine)"
  contains "$tmp/err" "warning: 1 x unknown_union_value:login.device=fridge" "unknown device counted ($engine)"
  contains "$tmp/err" "warning: 1 x unknown_union_value:bet.game_type=crash_x" "unknown game type counted ($engine)"
  contains "$tmp/err" "warning: 1 x decimal_rounded:bet.amount" "rounding counted ($engine)"
  lacks "$tmp/err" "declared fields were missing" "optional fields are not missing ($engine)"
  contains "$tmp/err" "4 processed, 0 rejected" "no event lost ($engine)"
done
cmp -s "$tmp/actions.interp" "$tmp/actions.jit" || { echo "FAIL: the engines disagree"; failures=$((failures + 1)); }
a="$tmp/actions.jit"
python3 - "$a" "$tmp/state.json" <<'PY' || failures=$((failures + 1))
import json, sys
actions = [json.loads(l) for l in open(sys.argv[1])]
promo = sorted(a["user"] for a in actions if a["source"] == "rule:promo")
assert promo == ["u1", "u3"], promo
# u1: 150 imported + 5 promo >= 100: pays 100 for the chest; u2: 120 - 30 = 90, no chest.
chest = [a["user"] for a in actions if a.get("bonus") == "gem_chest"]
assert chest == ["u1"], chest
state = {u["user"]: u for u in json.load(open(sys.argv[2]))["users"]}
assert state["u2"]["balances"]["gems"] == 90, state["u2"]
assert state["u3"]["points"] == 40, state["u3"]
assert state["u1"]["balances"]["gems"] == 55, state["u1"]
assert "promo_list" in state["u3"]["segments"], state["u3"]
assert "promo_list" not in state["u2"]["segments"], state["u2"]
PY

# Bad rows: each reported with its line; the run stops before any event (exit 2).
printf 'user,currency,operation,amount\nu1,gold,add,5\nu2,gems,multiply,5\nu3,gems,add,1.5\nu4,gems,add\n' > "$tmp/bad.csv"
expect 2 "bad balance rows" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-balances "$tmp/bad.csv"
contains "$tmp/err" "bad.csv:2: bad row: unknown currency 'gold'" "unknown currency"
contains "$tmp/err" "bad.csv:3: bad row: bad operation 'multiply': use add, deduct or set" "bad operation"
contains "$tmp/err" "bad.csv:4: bad row: bad number '1.5'" "bad number"
contains "$tmp/err" "bad.csv:5: bad row: expected 4 columns" "short row"
[ -s "$tmp/out" ] && { echo "FAIL: actions written despite bad rows"; failures=$((failures + 1)); }
printf 'usr,cur,op,amt\n' > "$tmp/badheader.csv"
expect 2 "bad header" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-balances "$tmp/badheader.csv"
contains "$tmp/err" "badheader.csv:1: bad row: expected the header user,currency,operation,amount" "bad header"
expect 2 "unknown segment" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-segment promo="$tmp/promo.csv"
contains "$tmp/err" "the package has no segment 'promo'" "unknown segment"
expect 2 "segment that is not imported" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-segment whales="$tmp/promo.csv"
contains "$tmp/err" "segment 'whales' is not \`imported\`" "not imported"
expect 2 "no NAME=" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-segment "$tmp/promo.csv"
contains "$tmp/err" "--import-segment expects NAME=FILE.csv" "usage"
expect 2 "missing file" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-segment promo_list="$tmp/nope.csv"
contains "$tmp/err" "cannot read" "missing file"
printf 'user\nu1,extra\n' > "$tmp/badseg.csv"
expect 2 "bad segment row" -- "$quest" run "$tmp/pkg" --events "$tmp/events.ndjson" --import-segment promo_list="$tmp/badseg.csv"
contains "$tmp/err" "badseg.csv:2: bad row: expected one user id per line" "segment row"

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "imports: all checks passed"
