#!/usr/bin/env bash
# Issue 14 §3–4 through the CLI: instants outside the years 0000-9999 are
# refused (events, --until), a duration clause beyond 100 years is Q0416, and
# a login in 9999 after one in 2026 costs a handful of timers and actions
# (it cost 3.3 million timers and 6.7 million actions). Usage: time_range_test.sh QUEST
set -u
quest=$1
source "$(dirname "$0")/lib.sh"
# expect EXIT DESCRIPTION -- COMMAND..., contains FILE TEXT DESCRIPTION

cat > "$tmp/pkg.quest" <<'QUEST'
settings { timezone "UTC" }
mission daily_login { unlock on login  recurring daily  task t "bets" { count(bet) >= 3 }  reward { award points 10 } }
mission weekly_login { unlock on login  recurring weekly  task t "bets" { count(bet) >= 3 }  reward { award points 10 } }
policy rg { block rewards when profile.self_excluded }
QUEST
printf '%s\n' '{"id":"l1","type":"login","user":"a","ts":"2026-12-01T10:00:00Z"}' \
  '{"id":"l2","type":"login","user":"a","ts":"9999-12-31T10:00:00Z"}' > "$tmp/far.ndjson"
expect 0 "far-future login" -- "$quest" run "$tmp/pkg.quest" --events "$tmp/far.ndjson" --engine interp \
  --actions "$tmp/actions.ndjson"
# unlock x2, started x2 at l1, expired x2 at the first period's end, started x2 in 9999.
lines=$(wc -l < "$tmp/actions.ndjson")
[ "$lines" = 8 ] || { echo "FAIL: far-future login: $lines actions, wanted 8"; failures=$((failures + 1)); }
timers=$(sed -n 's/.*timers fired: \([0-9]*\).*/\1/p' "$tmp/err")
[ -n "$timers" ] && [ "$timers" -le 6 ] || { echo "FAIL: far-future login: '$timers' timers, wanted at most 6"; failures=$((failures + 1)); }
contains "$tmp/actions.ndjson" '"ts":"9999-12-31T00:00:00Z"' "the 9999 period's instance starts at its start"

printf '%s\n' '{"id":"x","type":"login","user":"a","ts":-9223372036854775808}' \
  '{"id":"y","type":"login","user":"a","ts":253402300800000}' \
  '{"id":"z","type":"login","user":"a","ts":"2026-12-01T10:00:00Z"}' > "$tmp/bad.ndjson"
expect 0 "out-of-range timestamps are rejected lines, not a failed run" -- \
  "$quest" run "$tmp/pkg.quest" --events "$tmp/bad.ndjson" --engine interp --actions "$tmp/a.ndjson"
contains "$tmp/err" "bad.ndjson:1: rejected: ts out of range (years 0000-9999)" "int64-min ts"
contains "$tmp/err" "bad.ndjson:2: rejected: ts out of range (years 0000-9999)" "year 10000 ts"
contains "$tmp/err" "1 processed, 2 rejected" "the in-range event is processed"
expect 2 "--until before year 0000" -- "$quest" run "$tmp/pkg.quest" --events "$tmp/bad.ndjson" --engine interp \
  --until 0000-01-01T00:00:00+01:00
contains "$tmp/err" "--until is out of range (years 0000-9999)" "--until range message"

cat > "$tmp/wrap.quest" <<'QUEST'
mission m { time_limit 106751991167d  task t { count(bet) >= 1 } }
policy rg { block rewards when profile.self_excluded }
QUEST
expect 1 "a time_limit that wraps" -- "$quest" check "$tmp/wrap.quest"
contains "$tmp/out" "error[Q0416]" "Q0416 for time_limit 106751991167d"

exit $failures
