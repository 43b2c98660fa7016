#!/usr/bin/env bash
# Issue 14 §10: `quest test` never passes vacuously. Each fixture under
# tests/driver/scenarios/fail is wrong in one way and must fail with its
# file:line; the pass fixtures pass (a state-only scenario, a bare file name);
# an unreadable subfolder gives exit 2 without aborting. Usage: quest_test_test.sh QUEST SRC_DIR
set -u
quest=$1
fixtures=$2/tests/driver/scenarios
source "$(dirname "$0")/lib.sh"
# Permission checks need an unprivileged user: as root (CI containers), the
# commands that must meet an unreadable folder run as nobody through setpriv.
drop=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  drop=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod 755 "$tmp"
fi
# expect EXIT DESCRIPTION -- COMMAND..., contains FILE TEXT DESCRIPTION

expect 0 "the pass fixtures" -- "$quest" test --engine interp "$fixtures/pass"
contains "$tmp/out" "2 of 2 scenarios passed" "both pass"
(cd "$fixtures/pass" && "$quest" test --engine interp state_only.test.yaml > "$tmp/out" 2> "$tmp/err")
[ $? = 0 ] || { echo "FAIL: a bare file name"; cat "$tmp/out" "$tmp/err"; failures=$((failures + 1)); }

f=$fixtures/fail
while read -r file message; do
  expect 1 "$file" -- "$quest" test --engine interp "$f/$file"
  contains "$tmp/out" "$f/$file:$message" "$file"
done <<'CASES'
unknown_key.test.yaml 6: unknown key 'contain' in `actions`
contains_scalar.test.yaml 6: `contains` takes a list of actions, not a scalar
contains_map.test.yaml 6: `contains` takes a list of actions, not a map
unknown_kind.test.yaml 7: unknown action kind 'awrd'
unknown_field.test.yaml 7: unknown action field 'amout'
missing_path.test.yaml 6: state: u1.balances.pionts != 3 — but no 'pionts'
wrong_amount.test.yaml 7: expected an action {action: award, amount: 11}, none matched
no_expect.test.yaml 1: no `expect`
times_zero.test.yaml 7: `times` takes a count from 1
times_in_sequence.test.yaml 7: `times` is for `contains` only
wrong_times.test.yaml 8: expected 1 action {action: award, amount: 10}, 2 matched
CASES
expect 1 "the fail fixtures together" -- "$quest" test --engine interp "$f"
contains "$tmp/out" "0 of 11 scenarios passed" "none of the fail fixtures passes"

# A failed expectation prints a diff under its file:line: `-` expected, `+`
# actual (the actions of the kinds compared, as the fields compared), ` ` matched.
diff_lines() {  # diff_lines FILE DESCRIPTION: each following stdin line must appear, in this order
  local file=$1 what=$2 line at=0 found
  while IFS= read -r line; do
    found=$(grep -nF -- "$line" "$file" | cut -d: -f1 | awk -v after="$at" '$1 > after { print; exit }')
    if [ -z "$found" ]; then
      echo "FAIL: $what: missing (in order) '$line'"; cat "$file"; failures=$((failures + 1)); return
    fi
    at=$found
  done
}
expect 1 "contains diff" -- "$quest" test --engine interp "$f/wrong_amount.test.yaml"
diff_lines "$tmp/out" "contains diff" <<'DIFF'
wrong_amount.test.yaml:7: expected an action {action: award, amount: 11}, none matched
    --- expected (this action)
    +++ actual (award actions, as the fields compared)
    - {action: award, amount: 11}
    + {action: award, amount: 10}
DIFF
d=$fixtures/diff
expect 1 "sequence diff" -- "$quest" test --engine interp "$d/sequence.test.yaml"
diff_lines "$tmp/out" "sequence diff" <<'DIFF'
sequence.test.yaml:11: the sequence stops matching at {action: award, user: u1, amount: 20}
    --- expected (the sequence)
    +++ actual (award actions, as the fields compared)
      {action: award, user: u1, amount: 10}
    - {action: award, user: u1, amount: 20}
    - {action: award, user: u1, amount: 10}
    + {action: award, user: u1, amount: 10}
DIFF
expect 1 "not_contains diff" -- "$quest" test --engine interp "$d/not_contains.test.yaml"
diff_lines "$tmp/out" "not_contains diff" <<'DIFF'
not_contains.test.yaml:8: did not expect an action {action: award, user: u1}
    --- expected (no such action)
    + {"seq":1,"ts":"1970-01-01T00:00:00Z","user":"u1","event":"scenario-1","source":"rule:deposit_points","action":"award"
DIFF
expect 1 "state diff" -- "$quest" test --engine interp "$d/state.test.yaml"
diff_lines "$tmp/out" "state diff" <<'DIFF'
state.test.yaml:8: state: u1.points == 30 — but u1.points is 20
    --- expected (the claim)
    +++ actual (the state)
    - u1.points == 30
    + u1.points == 20
DIFF

# An unreadable subfolder is reported with exit 2; the readable scenarios still run.
mkdir -p "$tmp/tree/locked"
cp -r "$fixtures/pkg" "$tmp/pkg"
cp "$fixtures/pass/state_only.test.yaml" "$tmp/tree/"
sed -i 's|package: ../pkg|package: ../pkg|' "$tmp/tree/state_only.test.yaml"
chmod 000 "$tmp/tree/locked"
chmod -R a+rX "$tmp/pkg" "$tmp/tree/state_only.test.yaml"
if ! "${drop[@]}" ls "$tmp/tree/locked" >/dev/null 2>&1; then   # root without setpriv reads anything: skip
  expect 2 "an unreadable subfolder" -- "${drop[@]}" "$quest" test --engine interp "$tmp/tree"
  contains "$tmp/err" "cannot read" "unreadable subfolder message"
  contains "$tmp/out" "1 of 1 scenarios passed" "the readable scenario still ran"
fi
chmod 755 "$tmp/tree/locked"
cp "$fixtures/pass/state_only.test.yaml" "$tmp/tree/locked/x.test.yaml"
chmod 000 "$tmp/tree/locked/x.test.yaml"
if ! "${drop[@]}" cat "$tmp/tree/locked/x.test.yaml" >/dev/null 2>&1; then
  expect 2 "an unreadable scenario file" -- "${drop[@]}" "$quest" test --engine interp "$tmp/tree/locked/x.test.yaml"
  contains "$tmp/err" "cannot read" "unreadable file message"
fi

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "quest test validation: all checks passed"
