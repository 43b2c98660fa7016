#!/usr/bin/env bash
# quest report bandit | holdout (issue 19, docs/bandits.md) on a real run's
# actions: the logged policy's IPS is the mean reward; the VW export has one
# line per decision with an outcome; the holdout's groups add up to the
# flow's players and its uplift has the sign the rules give it.
# Usage: report_test.sh QUEST
set -u
quest=$1
source "$(dirname "$0")/lib.sh"

cat > "$tmp/pkg.quest" <<'Q'
metric deposits = count(deposit)
flow offer {
  on registration
  choose by bandit reward deposit within 1d context (profile.country) policy epsilon_greedy(0.5) {
    arm spins  { grant bonus "fs_10" }
    arm points { award points 100 }
  }
}
flow winback {
  on registration
  holdout 50%
  grant bonus "welcome"
}
policy rg { block rewards when profile.self_excluded  block messages when not profile.marketing_opt_in }
Q
python3 - "$tmp/events.ndjson" <<'PY'
import json, sys
t = 1767225600000
lines = []
for i in range(200):
    lines.append({"type": "registration", "id": "r%d" % i, "user": "p%d" % i, "ts": t + i * 60000,
                  "country": ["MT", "DE"][i % 2]})
    if i % 4 == 0:
        lines.append({"type": "deposit", "id": "d%d" % i, "user": "p%d" % i, "ts": t + i * 60000 + 1000, "amount": 20})
open(sys.argv[1], "w").write("\n".join(json.dumps(l) for l in lines) + "\n")
PY
expect 0 "the run" -- "$quest" run "$tmp/pkg.quest" --events "$tmp/events.ndjson" --until 2026-02-01T00:00:00Z \
  --actions "$tmp/actions.ndjson" --state "$tmp/state.json"

expect 0 "report bandit" -- "$quest" report bandit "$tmp/actions.ndjson"
cp "$tmp/out" "$tmp/text"
contains "$tmp/text" "flow offer: 200 decisions, 200 with an outcome" "every decision has its outcome"
for policy in logged uniform arm:spins arm:points greedy; do contains "$tmp/text" "  $policy " "policy $policy"; done
# 50 of 200 players deposit: the logged policy's IPS (weights 1) is 0.25.
contains "$tmp/text" "logged            0.2500 [" "the logged policy's value is the mean reward"

expect 0 "report bandit --format json" -- "$quest" report bandit "$tmp/actions.ndjson" --format json
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r[0]['flow']=='offer' and len(r[0]['policies'])==5, r" "$tmp/out" \
  || { echo "FAIL: the JSON report"; failures=$((failures + 1)); }

expect 0 "report bandit --format vw" -- "$quest" report bandit "$tmp/actions.ndjson" --format vw
[ "$(wc -l < "$tmp/out")" = 200 ] || { echo "FAIL: vw: $(wc -l < "$tmp/out") lines, wanted 200"; failures=$((failures + 1)); }
grep -qE '^[12]:(-1|0)\.0000:0\.[0-9]+ \| c0=(MT|DE)$' "$tmp/out" || { echo "FAIL: vw line shape"; head -3 "$tmp/out"; failures=$((failures + 1)); }
[ "$(grep -c ':-1.0000:' "$tmp/out")" = 50 ] || { echo "FAIL: vw: the 50 rewards are cost -1"; failures=$((failures + 1)); }

expect 0 "report holdout" -- "$quest" report holdout "$tmp/actions.ndjson" --flow winback --kpi deposits --state "$tmp/state.json" --format json
python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
n = r["treatment"]["players"] + r["control"]["players"]
assert n == 200, "the groups hold the flow's 200 players, not %d" % n
assert 0 < r["control"]["players"] < 200, r
assert r["uplift"]["low"] <= r["uplift"]["value"] <= r["uplift"]["high"], r
PY

expect 1 "no such flow" -- "$quest" report bandit "$tmp/actions.ndjson" --flow nope
expect 2 "holdout needs --kpi" -- "$quest" report holdout "$tmp/actions.ndjson" --flow winback
expect 2 "unreadable actions" -- "$quest" report bandit "$tmp/missing.ndjson"
echo "garbage" > "$tmp/bad.ndjson"
expect 2 "an actions file that is not JSON" -- "$quest" report bandit "$tmp/bad.ndjson"
contains "$tmp/err" "line 1: not JSON" "the bad line is named"
exit $failures
