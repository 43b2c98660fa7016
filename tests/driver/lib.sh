# Shared by the CLI test scripts: each sets `tmp` (a scratch folder) and
# `failures` (0) before sourcing this, and exits with the count at the end.
expect() {  # expect EXIT DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; cat "$tmp/out" "$tmp/err" | head -20
    failures=$((failures + 1))
  fi
}
contains() {  # contains FILE TEXT DESCRIPTION
  if ! grep -qF -- "$2" "$1"; then
    echo "FAIL: $3: missing '$2'"; head -20 "$1"; failures=$((failures + 1))
  fi
}
