# Shared by the CLI test scripts. Sourcing it makes `tmp`, a scratch folder
# removed on exit (made writable first: some tests take permissions away), and
# `failures` (0); each script exits with the count at the end.
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
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
