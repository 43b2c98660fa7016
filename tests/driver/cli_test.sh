#!/usr/bin/env bash
# The `quest check` contract of INTERFACES.md §1–2: exit codes, formats, --werror,
# and the acceptance case of four unrelated errors. Usage: cli_test.sh QUEST SRC_DIR
set -u
quest=$1
src=$2
source "$(dirname "$0")/lib.sh"
# expect EXIT DESCRIPTION -- COMMAND..., contains FILE TEXT DESCRIPTION

expect 0 "clean example" -- "$quest" check "$src/examples/casino"
expect 2 "missing path" -- "$quest" check "$tmp/nope.quest"
contains "$tmp/err" "no such file or directory" "missing path message"
mkdir "$tmp/empty_dir"
expect 2 "folder without .quest files" -- "$quest" check "$tmp/empty_dir"
expect 2 "unknown option" -- "$quest" check --frobnicate "$src/examples/casino"
expect 2 "unknown format" -- "$quest" check --format xml "$src/examples/casino"
expect 0 "help" -- "$quest" check --help
# Help promises only what exists: no daemon (questd) loads bundles yet.
for command in check build run test; do
  expect 0 "$command help" -- "$quest" $command --help
  if grep -qiE "questd|daemon|language server" "$tmp/out"; then
    echo "FAIL: quest $command --help promises a daemon that does not exist"; cat "$tmp/out"
    failures=$((failures + 1))
  fi
done
expect 2 "no command" -- "$quest"

cat > "$tmp/four.quest" <<'Q'
rule a on deposit where deposit.amout >= 20 { award points 1 }
rule b on bet where bet.game_type == "slost" { award points 1  cap 10 points per day }
rule c on bet where bet.game + 1 == "x" { award points 1  cap 10 points per day }
rule d on depositt { award points 1 }
policy p { block rewards when profile.self_excluded }
Q
expect 1 "four errors" -- "$quest" check "$tmp/four.quest"
for code in "1:25: error[Q0203]" "2:38: error[Q0303]" "3:21: error[Q0301]" "4:11: error[Q0202]"; do
  contains "$tmp/out" "$code" "text finding $code"
done
contains "$tmp/out" "did you mean 'amount'?" "field hint"
contains "$tmp/out" 'did you mean "slots"?' "union hint"
contains "$tmp/out" "did you mean 'deposit'?" "event hint"
contains "$tmp/out" "^~~~~~~~~~~~~" "caret"
contains "$tmp/err" "4 errors, 0 warnings in 1 file" "summary"

expect 1 "four errors as json" -- "$quest" check --format json "$tmp/four.quest"
python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["code"] for x in d] == ["Q0203", "Q0303", "Q0301", "Q0202"], d
assert all(set(x) == {"file","line","column","end_line","end_column","severity","code","message","hints"} for x in d)
assert d[0]["line"] == 1 and d[0]["column"] == 25 and d[0]["end_column"] == 38, d[0]
PY
expect 1 "four errors as sarif" -- "$quest" check --format sarif "$tmp/four.quest"
python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
res = run["results"]
assert [r["ruleId"] for r in res] == ["Q0203", "Q0303", "Q0301", "Q0202"]
for r in res:
    assert r["ruleId"] in ids and r["level"] == "error"
    reg = r["locations"][0]["physicalLocation"]["region"]
    assert reg["startLine"] >= 1 and reg["startColumn"] >= 1
PY

printf 'metric unused = count(login)\n' > "$tmp/warn.quest"
expect 0 "warnings only" -- "$quest" check "$tmp/warn.quest"
expect 1 "--werror" -- "$quest" check --werror "$tmp/warn.quest"
contains "$tmp/out" "error[W0502]" "werror renders warnings as errors"
printf '// quest:allow W0502\nmetric unused = count(login)\n' > "$tmp/allowed.quest"
expect 0 "quest:allow" -- "$quest" check --werror "$tmp/allowed.quest"

# quest run: exit codes, rejected lines on stderr with their line numbers, outputs.
expect 2 "run without --events" -- "$quest" run "$src/examples/casino"
expect 2 "run with a missing events file" -- "$quest" run "$src/examples/casino" --events "$tmp/none.ndjson"
expect 2 "run with an unknown engine" -- "$quest" run "$src/examples/casino" --events - --engine turbo
expect 1 "run a package with errors" -- "$quest" run "$tmp/four.quest" --events -
cat > "$tmp/events.ndjson" <<'N'
{"id":"e1","type":"deposit","user":"u1","ts":"2026-12-01T10:00:00Z","amount":25,"currency":"EUR","method":"card","first":true}
{"id":"e2","type":"deposit","user":"u1","ts":"2026-12-01T10:05:00Z","amount":"lots"}
not json at all
{"id":"e1","type":"deposit","user":"u1","ts":"2026-12-01T10:00:00Z","amount":25}
N
expect 0 "run the casino" -- "$quest" run "$src/examples/casino" --events "$tmp/events.ndjson" --state "$tmp/state.json" --actions "$tmp/actions.ndjson"
contains "$tmp/err" "events.ndjson:2: rejected: field 'amount' must be a number" "rejection with line"
contains "$tmp/err" "events.ndjson:3: rejected: not valid JSON" "malformed line"
contains "$tmp/err" "1 processed, 2 rejected, 1 duplicate" "summary counts"
contains "$tmp/actions.ndjson" '"source":"rule:first_deposit_gift","action":"bonus"' "first deposit gift"
contains "$tmp/state.json" '"user":"u1"' "state written"
python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]; json.load(open(sys.argv[2]))" \
  "$tmp/actions.ndjson" "$tmp/state.json" || { echo "FAIL: run outputs are not JSON"; failures=$((failures + 1)); }

# --seed changes the draws; the same seed replays them.
"$quest" run "$src/examples/casino" --events "$src/examples/casino/events.ndjson" --seed one > "$tmp/s1" 2>/dev/null
"$quest" run "$src/examples/casino" --events "$src/examples/casino/events.ndjson" --seed one > "$tmp/s1b" 2>/dev/null
"$quest" run "$src/examples/casino" --events "$src/examples/casino/events.ndjson" --seed two > "$tmp/s2" 2>/dev/null
cmp -s "$tmp/s1" "$tmp/s1b" || { echo "FAIL: the same seed gave different actions"; failures=$((failures + 1)); }
cmp -s "$tmp/s1" "$tmp/s2" && { echo "FAIL: another seed gave the same actions"; failures=$((failures + 1)); }

# --owned-elsewhere replays one Kafka partition's log (docs/scale-out.md): the
# first week's close hands weekly_points out, and the events after it wait for
# results the log does not hold; a damaged result line is a rejection.
expect 2 "--owned-elsewhere with --partitions" -- "$quest" run "$src/examples/casino" \
  --events "$src/examples/casino/events.ndjson" --owned-elsewhere --partitions 2
contains "$tmp/err" "takes no --partitions" "--owned-elsewhere refuses --partitions"
{ echo '{"competition_result":{"competition":"weekly_points"}}'; cat "$src/examples/casino/events.ndjson"; } > "$tmp/log.ndjson"
expect 0 "--owned-elsewhere" -- "$quest" run "$src/examples/casino" --events "$tmp/log.ndjson" --owned-elsewhere \
  --actions "$tmp/elsewhere.ndjson"
contains "$tmp/err" "log.ndjson:1: rejected: a competition result without" "a damaged result line is rejected with its line"
contains "$tmp/err" "waits, with the" "the events after a window's end wait for its results"
grep -q '"action":"leaderboard"' "$tmp/elsewhere.ndjson" && { echo "FAIL: a window ranked elsewhere paid prizes here"; failures=$((failures + 1)); }

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "cli: all checks passed"
