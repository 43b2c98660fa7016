#!/usr/bin/env bash
# Issue 14 §9: the command line's files. Outputs that are inputs (or each
# other) are refused by identity, write errors end in exit 2, unreadable
# folders and dangling links fail `quest check`, a file named twice loads once,
# `quest build -o` replaces only a regular file. Usage: cli_files_test.sh QUEST SRC_DIR
set -u
quest=$1
src=$2
source "$(dirname "$0")/lib.sh"
# expect EXIT DESCRIPTION -- COMMAND..., contains FILE TEXT DESCRIPTION
casino=$src/examples/casino
# Permission checks need an unprivileged user: as root (CI containers), the
# commands that must meet an unreadable folder run as nobody through setpriv.
drop=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  drop=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod 755 "$tmp"
fi
cp "$casino/events.ndjson" "$tmp/events.ndjson"
before=$(cksum < "$tmp/events.ndjson")

# An output over an input, however spelled, is refused before anything is truncated.
expect 2 "--actions is --events" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/events.ndjson"
contains "$tmp/err" "are the same file" "same-file message"
expect 2 "--actions is --events by another spelling" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/./events.ndjson"
ln -s "$tmp/events.ndjson" "$tmp/link.ndjson"
expect 2 "--state is --events through a link" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --state "$tmp/link.ndjson"
ln "$tmp/events.ndjson" "$tmp/hard.ndjson"
expect 2 "--actions is a hard link to --events" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/hard.ndjson"
[ "$(cksum < "$tmp/events.ndjson")" = "$before" ] || { echo "FAIL: the events file was changed"; failures=$((failures + 1)); }
expect 2 "--actions is --state" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/out.json" --state "$tmp/sub/../out.json"
mkdir -p "$tmp/sub"
expect 2 "--actions is --state (not yet existing)" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/o.json" --state "$tmp/sub/../o.json"
expect 0 "distinct outputs" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/a.ndjson" --state "$tmp/s.json"
# `-` is standard output, never a file named `-` in the working folder.
cd "$tmp" || exit 1
expect 0 "--actions -" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions -
cd - > /dev/null || exit 1
[ ! -e "$tmp/-" ] || { echo "FAIL: --actions - wrote a file named -"; failures=$((failures + 1)); }
contains "$tmp/out" '"action":"award"' "--actions - writes the actions to stdout"
expect 0 "--state - with --actions FILE" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions "$tmp/a2.ndjson" --state -
contains "$tmp/out" '"users": [' "--state - writes the state to stdout"
expect 2 "--state - with the actions on stdout" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --state -
contains "$tmp/err" "needs --actions FILE" "--state - message"
expect 2 "--events names a folder" -- "$quest" run "$casino" --engine interp --events "$tmp/sub"
contains "$tmp/err" "is a folder" "folder message"

# Write errors: /dev/full as a file and as stdout.
if [ -w /dev/full ]; then
  expect 2 "--actions /dev/full" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --actions /dev/full
  contains "$tmp/err" "cannot write" "actions write error"
  expect 2 "--state /dev/full" -- "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" --state /dev/full --actions "$tmp/a2.ndjson"
  contains "$tmp/err" "cannot write" "state write error"
  "$quest" run "$casino" --engine interp --events "$tmp/events.ndjson" > /dev/full 2> "$tmp/err"
  [ $? = 2 ] || { echo "FAIL: run with stdout on a full disk did not exit 2"; failures=$((failures + 1)); }
  contains "$tmp/err" "cannot write" "stdout write error"
  printf 'metric unused = count(login)\n' > "$tmp/warn.quest"
  "$quest" check --format sarif "$tmp/warn.quest" > /dev/full 2> "$tmp/err"
  [ $? = 2 ] || { echo "FAIL: check --format sarif >/dev/full did not exit 2"; failures=$((failures + 1)); }
  contains "$tmp/err" "cannot write" "check write error"
fi

# quest check: an unreadable folder and a dangling link fail; a file named twice loads once.
mkdir -p "$tmp/pkg/locked"
cp "$casino"/*.quest "$tmp/pkg/"
expect 0 "a copy of the casino" -- "$quest" check "$tmp/pkg"
chmod 000 "$tmp/pkg/locked"
if ! "${drop[@]}" ls "$tmp/pkg/locked" >/dev/null 2>&1; then   # root without setpriv reads anything: skip
  chmod -R a+rX "$tmp/pkg/"*.quest
  expect 2 "an unreadable folder" -- "${drop[@]}" "$quest" check "$tmp/pkg"
  contains "$tmp/err" "locked" "unreadable folder named"
fi
chmod 755 "$tmp/pkg/locked"
ln -s "$tmp/pkg/gone.quest" "$tmp/pkg/locked/rules.quest"
expect 2 "a dangling link" -- "$quest" check "$tmp/pkg"
contains "$tmp/err" "rules.quest" "dangling link named"
rm "$tmp/pkg/locked/rules.quest"
(cd "$tmp/pkg" && "$quest" check . points.quest ./points.quest > "$tmp/out" 2> "$tmp/err")
[ $? = 0 ] || { echo "FAIL: a file named twice"; cat "$tmp/out" "$tmp/err" | head; failures=$((failures + 1)); }
grep -q Q0204 "$tmp/out" && { echo "FAIL: a file named twice was loaded twice"; failures=$((failures + 1)); }

# quest build -o replaces a regular file only (refused before compiling).
printf 'x' > "$tmp/target"
ln -s "$tmp/target" "$tmp/link.qlb"
expect 2 "build -o a symlink" -- "$quest" build "$casino" -o "$tmp/link.qlb"
contains "$tmp/err" "symbolic link" "symlink refusal"
[ -L "$tmp/link.qlb" ] || { echo "FAIL: the link was replaced"; failures=$((failures + 1)); }
mkfifo "$tmp/fifo.qlb"
expect 2 "build -o a FIFO" -- "$quest" build "$casino" -o "$tmp/fifo.qlb"
contains "$tmp/err" "FIFO" "fifo refusal"
[ -p "$tmp/fifo.qlb" ] || { echo "FAIL: the FIFO was replaced"; failures=$((failures + 1)); }
expect 2 "build -o a device" -- "$quest" build "$casino" -o /dev/null
contains "$tmp/err" "device" "device refusal"

# A saturated award reports what was credited and counts a warning.
cat > "$tmp/sat.quest" <<'Q'
rule big on deposit { award points 9000000000000000000 }
Q
cat > "$tmp/sat.ndjson" <<'N'
{"id":"e1","type":"deposit","user":"u1","ts":"2026-12-01T10:00:00Z","amount":25,"currency":"EUR","method":"card","first":true}
{"id":"e2","type":"deposit","user":"u1","ts":"2026-12-01T10:05:00Z","amount":25,"currency":"EUR","method":"card","first":false}
N
expect 0 "saturated award" -- "$quest" run "$tmp/sat.quest" --engine interp --events "$tmp/sat.ndjson"
contains "$tmp/out" '"amount":223372036854775807,"balance":9223372036854775807' "credited amount"
contains "$tmp/err" "award_saturated" "saturation warning"

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "cli files: all checks passed"
