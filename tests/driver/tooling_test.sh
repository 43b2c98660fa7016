#!/usr/bin/env bash
# Issue 18 §2-§5: quest diff, quest explain, quest run --profile and quest test
# --coverage, on the casino example and the small package in tooling/.
# Usage: tooling_test.sh QUEST SRC_DIR
set -u
quest=$1
src=$2
source "$(dirname "$0")/lib.sh"
casino=$src/examples/casino
events=$casino/events.ndjson
small=$src/tests/driver/tooling

# ---- quest diff
expect 0 "diff of a package with itself" -- "$quest" diff "$casino" "$casino" --events "$events" --fail-on-change
contains "$tmp/out" "0 added, 0 removed, 0 changed" "nothing differs"
"$quest" build "$casino" -o "$tmp/casino.qlb" > /dev/null 2>&1
expect 0 "diff of a bundle and its sources" -- "$quest" diff "$tmp/casino.qlb" "$casino" --events "$events" --until 2026-12-31T00:00:00Z --fail-on-change
contains "$tmp/out" "0 added, 0 removed, 0 changed" "a bundle behaves as its sources"
cp -r "$casino" "$tmp/casino2"
# Live tables at the slot rate: live_points awards twice as much.
sed -i 's|award points floor(bet.amount / 20)|award points floor(bet.amount / 10)|' "$tmp/casino2/points.quest"
grep -q 'bet.amount / 10' "$tmp/casino2/points.quest" || { echo "FAIL: the casino edit did not apply"; failures=$((failures + 1)); }
expect 0 "diff reports without --fail-on-change" -- "$quest" diff "$casino" "$tmp/casino2" --events "$events"
contains "$tmp/out" "rule:live_points:" "the changed rule is listed"
contains "$tmp/out" "points awarded:" "economic impact"
expect 1 "diff --fail-on-change" -- "$quest" diff "$casino" "$tmp/casino2" --events "$events" --fail-on-change
expect 0 "diff as json" -- "$quest" diff "$casino" "$tmp/casino2" --events "$events" --format json
python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
src = {g["source"]: g for g in d["by_source"]}
live = src["rule:live_points"]
assert live["changed"] > 0 and live["awarded"]["points"] > 0, live
impact = {m["measure"]: m for m in d["impact"]}
pts = impact["points awarded"]
assert pts["delta"] == pts["new"] - pts["old"] and pts["delta"] > 0, pts
assert pts["delta"] == sum(g["awarded"].get("points", 0) for g in d["by_source"]), pts
assert d["changed"] == sum(1 for c in d["changes"] if c["change"] == "changed")
c = next(c for c in d["changes"] if c["source"] == "rule:live_points" and c["change"] == "changed")
assert c["old"]["amount"] < c["new"]["amount"], c
PY
expect 2 "diff needs two packages" -- "$quest" diff "$casino" --events "$events"
expect 2 "diff needs events" -- "$quest" diff "$casino" "$casino"
expect 2 "diff unknown format" -- "$quest" diff "$casino" "$casino" --events "$events" --format xml
expect 2 "diff unreadable events" -- "$quest" diff "$casino" "$casino" --events "$tmp/none.ndjson"
expect 0 "diff help" -- "$quest" diff --help

# ---- quest explain
expect 0 "explain" -- "$quest" explain "$small/rules.quest" --events "$small/events.ndjson" --user ann
contains "$tmp/out" "rule big_bet: fired" "a rule firing"
contains "$tmp/out" "rule tiny_bet: not fired, its condition is false" "a rule not firing"
contains "$tmp/out" "bet.amount < 1 = false" "the failing condition's value"
contains "$tmp/out" "bet.amount = 150" "a sub-expression's value"
contains "$tmp/out" 'bet.game_type == "slots" = false' "the failing part of an and"
contains "$tmp/out" "cap: rule big_bet asked 10 points, its cap left 5" "a cap hit"
contains "$tmp/out" "action award (rule:big_bet)" "the actions"
if grep -q "b4" "$tmp/out"; then echo "FAIL: explain shows another player's event"; failures=$((failures + 1)); fi
expect 0 "explain --at" -- "$quest" explain "$small/rules.quest" --events "$small/events.ndjson" --user ann --at 2026-12-01T10:00:30Z
if grep -q " b2 " "$tmp/out"; then echo "FAIL: explain --at shows a later event"; failures=$((failures + 1)); fi
expect 1 "explain of an unknown player" -- "$quest" explain "$small/rules.quest" --events "$small/events.ndjson" --user zed
expect 2 "explain needs --user" -- "$quest" explain "$small/rules.quest" --events "$small/events.ndjson"
expect 0 "explain on the casino" -- "$quest" explain "$casino" --events "$events" --user u010
contains "$tmp/out" "rule slot_points:" "casino rules explained"

# ---- quest run --profile
expect 0 "run --profile" -- "$quest" run "$casino" --events "$events" --actions "$tmp/actions.ndjson" --profile
contains "$tmp/err" "profile: 5822 events" "profile header"
contains "$tmp/err" "slot_points" "profile lists rules"
"$quest" run "$casino" --events "$events" --actions "$tmp/plain.ndjson" 2>/dev/null
cmp -s "$tmp/actions.ndjson" "$tmp/plain.ndjson" || { echo "FAIL: --profile changed the actions"; failures=$((failures + 1)); }
expect 0 "run --profile json" -- "$quest" run "$casino" --events "$events" --actions /dev/null --profile-format json --profile-out "$tmp/profile.json"
python3 - "$tmp/profile.json" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
e = d["entries"]
assert d["events"] == 5822
assert [x["ns"] for x in e] == sorted((x["ns"] for x in e), reverse=True), "top ones first"
rules = {x["name"]: x for x in e if x["kind"] == "rule"}
assert rules["slot_points"]["count"] > 0, rules
assert {"rule", "metric", "mission", "flow"} <= {x["kind"] for x in e}
PY
expect 2 "run unknown profile format" -- "$quest" run "$casino" --events "$events" --profile-format xml

# ---- quest test --coverage
expect 0 "test --coverage" -- "$quest" test --engine interp "$small/rules.test.yaml" --coverage
contains "$tmp/out" "rule tiny_bet never exercised" "an unexercised rule"
contains "$tmp/out" "condition of rule tiny_bet never true" "a condition never true"
contains "$tmp/out" "rule deposit_gift never exercised" "a rule whose event never came"
if grep -q "condition of rule big_bet never" "$tmp/out"; then echo "FAIL: big_bet's condition went both ways"; failures=$((failures + 1)); fi
contains "$tmp/out" "rules.quest: " "percent per file"
expect 0 "test --coverage lcov" -- "$quest" test "$small/rules.test.yaml" --coverage --format lcov --coverage-out "$tmp/cov.lcov"
python3 - "$tmp/cov.lcov" <<'PY' || failures=$((failures + 1))
import re, sys
lines = open(sys.argv[1]).read().splitlines()
records, current = [], None
for l in lines:
    if l.startswith("SF:"):
        assert current is None, "SF inside a record"
        current = {"sf": l[3:], "da": {}, "brda": []}
    elif l == "end_of_record":
        assert current is not None
        records.append(current); current = None
    elif l.startswith("DA:"):
        m = re.fullmatch(r"DA:(\d+),(\d+)", l); assert m, l
        current["da"][int(m[1])] = int(m[2])
    elif l.startswith("BRDA:"):
        assert re.fullmatch(r"BRDA:\d+,\d+,\d+,(\d+|-)", l), l
        current["brda"].append(l)
    else:
        assert re.fullmatch(r"(TN:.*|[LB][FH]:\d+|BR[FH]:\d+)", l), l
assert current is None and records
r = next(r for r in records if r["sf"].endswith("rules.quest"))
assert r["da"][2] > 0 and r["da"][7] == 0 and r["da"][11] == 0, r["da"]
PY
expect 0 "test --coverage on the casino" -- "$quest" test "$casino" --coverage
contains "$tmp/out" "points.quest: " "casino coverage per file"
expect 2 "test unknown coverage format" -- "$quest" test "$small/rules.test.yaml" --coverage --format xml

exit $failures
