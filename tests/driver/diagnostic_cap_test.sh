#!/usr/bin/env bash
# Issue 14 §2: text output shows at most 100 findings per file, then one line
# counting the rest; the exit code and the summary on stderr count them all,
# and JSON carries every one. Usage: diagnostic_cap_test.sh QUEST
set -u
quest=$1
source "$(dirname "$0")/lib.sh"

# 5,000 rules on events that do not exist: one Q0202 each.
for i in $(seq 1 5000); do echo "rule r$i on nosuch$i { award points 1 }"; done > "$tmp/many.quest"
echo "rule only on nosuch { award points 1 }" > "$tmp/one.quest"

expect 1 "5,000 errors" -- "$quest" check "$tmp/many.quest" "$tmp/one.quest"
shown=$(grep -c 'error\[Q0202\]' "$tmp/out")
[ "$shown" = 101 ] || { echo "FAIL: $shown errors shown, wanted 100 of many.quest and 1 of one.quest"; failures=$((failures + 1)); }
contains "$tmp/out" "$tmp/many.quest: 4900 more errors not shown" "summary line of the capped file"
[ "$(grep -c 'not shown' "$tmp/out")" = 1 ] || { echo "FAIL: a summary line for a file under the cap"; failures=$((failures + 1)); }
# In place: after the last finding shown of many.quest, before one.quest's.
summary_at=$(grep -n 'not shown' "$tmp/out" | cut -d: -f1)
last_many=$(grep -n "^$tmp/many.quest:[0-9]" "$tmp/out" | tail -n 1 | cut -d: -f1)
first_one=$(grep -n "^$tmp/one.quest:[0-9]" "$tmp/out" | head -n 1 | cut -d: -f1)
[ "${summary_at:-0}" -gt "${last_many:-0}" ] && [ "${summary_at:-0}" -lt "${first_one:-0}" ] ||
  { echo "FAIL: the summary line (line ${summary_at:-none}) is not after its file's findings"; failures=$((failures + 1)); }
contains "$tmp/err" "5001 errors, 0 warnings in 2 files" "stderr counts every error"

expect 1 "--max-per-file 0" -- "$quest" check --max-per-file 0 "$tmp/many.quest"
[ "$(grep -c 'error\[Q0202\]' "$tmp/out")" = 5000 ] || { echo "FAIL: --max-per-file 0 does not show all"; failures=$((failures + 1)); }
expect 1 "--max-per-file 3" -- "$quest" check --max-per-file 3 "$tmp/many.quest"
contains "$tmp/out" "4997 more errors not shown" "--max-per-file 3"
expect 2 "--max-per-file without a count" -- "$quest" check --max-per-file x "$tmp/many.quest"

expect 1 "json is not capped" -- "$quest" check --format json "$tmp/many.quest"
[ "$(grep -c '"code":"Q0202"' "$tmp/out")" = 5000 ] || { echo "FAIL: json lost findings"; failures=$((failures + 1)); }

[ $failures = 0 ] && echo "diagnostic_cap: all passed"
exit $failures
