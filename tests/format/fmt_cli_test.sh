#!/usr/bin/env bash
# quest fmt on the command line (issue 18 §1): --check exit codes and its
# unified diff, in-place rewrites (mode and links kept), folders, files with
# syntax errors left byte for byte as they were, usage errors.
# Usage: fmt_cli_test.sh QUEST SOURCE_DIR
set -uo pipefail
quest=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_exit() {   # expect_exit CODE WHAT COMMAND…
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [[ $got == "$want" ]] || fail "$what: exit $got, want $want; stderr: $(cat "$tmp/err")"
}

# A formatted file: --check is silent and exits 0; fmt leaves it alone.
printf 'currency gems\n\nrule r on bet {\n  award gems 1\n}\n' >"$tmp/ok.quest"
cp "$tmp/ok.quest" "$tmp/ok.orig"
expect_exit 0 "--check on a formatted file" "$quest" fmt --check "$tmp/ok.quest"
[[ ! -s $tmp/out ]] || fail "--check printed a diff for a formatted file: $(cat "$tmp/out")"
expect_exit 0 "fmt on a formatted file" "$quest" fmt "$tmp/ok.quest"
cmp -s "$tmp/ok.quest" "$tmp/ok.orig" || fail "fmt changed a formatted file"

# An unformatted file: --check prints the diff, exits 1 and changes nothing.
mkdir "$tmp/p"
printf 'currency gems\nrule r on bet {\naward gems   1 }\n' >"$tmp/p/x.quest"
cp "$tmp/p/x.quest" "$tmp/x.orig"
expect_exit 1 "--check on an unformatted file" "$quest" fmt --check "$tmp/p/x.quest"
cat >"$tmp/want" <<DIFF
--- a/$tmp/p/x.quest
+++ b/$tmp/p/x.quest
@@ -1,3 +1,4 @@
 currency gems
 rule r on bet {
-award gems   1 }
+  award gems 1
+}
DIFF
diff "$tmp/want" "$tmp/out" >/dev/null || fail "--check diff differs:"$'\n'"$(diff "$tmp/want" "$tmp/out")"
cmp -s "$tmp/p/x.quest" "$tmp/x.orig" || fail "--check changed the file"
# The diff applies: patch turns the file into what fmt writes.
if command -v patch >/dev/null; then
  cp "$tmp/p/x.quest" "$tmp/patched.quest"
  sed "s|^--- a/.*|--- a/patched.quest|; s|^+++ b/.*|+++ b/patched.quest|" "$tmp/out" >"$tmp/diff"
  (cd "$tmp" && patch -s -p1 <diff) || fail "patch rejected the --check diff"
fi

# fmt rewrites in place, keeping the mode, and the result passes --check.
chmod 640 "$tmp/p/x.quest"
expect_exit 0 "fmt on an unformatted file" "$quest" fmt "$tmp/p/x.quest"
[[ $(stat -c %a "$tmp/p/x.quest") == 640 ]] || fail "fmt changed the file's mode to $(stat -c %a "$tmp/p/x.quest")"
if [[ -f $tmp/patched.quest ]]; then cmp -s "$tmp/patched.quest" "$tmp/p/x.quest" || fail "fmt and the patched --check diff differ"; fi
expect_exit 0 "--check after fmt" "$quest" fmt --check "$tmp/p/x.quest"
ls "$tmp/p" | grep -q fmt- && fail "a temporary file was left behind: $(ls "$tmp/p")"

# A folder: every .quest file below it; a link is followed, not replaced.
mkdir -p "$tmp/pkg/sub"
printf 'currency  gems\n' >"$tmp/pkg/a.quest"
printf 'currency  coins\n' >"$tmp/real.quest"
ln -s "$tmp/real.quest" "$tmp/pkg/sub/b.quest"
expect_exit 1 "--check on a folder" "$quest" fmt --check "$tmp/pkg"
grep -q '^+++ b/.*a.quest' "$tmp/out" && grep -q '^+++ b/.*b.quest' "$tmp/out" || fail "--check on a folder misses a file: $(cat "$tmp/out")"
expect_exit 0 "fmt on a folder" "$quest" fmt "$tmp/pkg"
[[ $(cat "$tmp/pkg/a.quest") == "currency gems" ]] || fail "a.quest not formatted"
[[ -L $tmp/pkg/sub/b.quest ]] || fail "the link was replaced by a file"
[[ $(cat "$tmp/real.quest") == "currency coins" ]] || fail "the link's target not formatted"

# Syntax errors: reported with their diagnostics, the file untouched, exit 1;
# the other files are still formatted.
mkdir "$tmp/bad"
printf 'rule r on bet {\n  award points\n' >"$tmp/bad/broken.quest"
printf 'currency   gems\n' >"$tmp/bad/fine.quest"
cp "$tmp/bad/broken.quest" "$tmp/broken.orig"
expect_exit 1 "fmt on a file with a syntax error" "$quest" fmt "$tmp/bad"
cmp -s "$tmp/bad/broken.quest" "$tmp/broken.orig" || fail "the broken file was changed"
grep -q 'error\[Q01' "$tmp/err" || fail "no syntax diagnostic on stderr: $(cat "$tmp/err")"
[[ $(cat "$tmp/bad/fine.quest") == "currency gems" ]] || fail "the good file beside it was not formatted"
expect_exit 1 "--check on a file with a syntax error" "$quest" fmt --check "$tmp/bad/broken.quest"
cmp -s "$tmp/bad/broken.quest" "$tmp/broken.orig" || fail "--check changed the broken file"

# Usage.
expect_exit 2 "no path" "$quest" fmt
expect_exit 2 "unknown option" "$quest" fmt --frobnicate "$tmp/ok.quest"
expect_exit 2 "missing path" "$quest" fmt "$tmp/nonexistent.quest"
expect_exit 0 "--help" "$quest" fmt --help
grep -q 'usage: quest fmt' "$tmp/out" || fail "--help prints no usage"

# The examples are (nearly) formatted already: fmt --check succeeds or
# changes few lines.
for pkg in "$src"/examples/*/; do
  "$quest" fmt --check "$pkg" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [[ $rc == 0 || $rc == 1 ]] || fail "fmt --check $pkg: exit $rc: $(cat "$tmp/err")"
done

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "quest fmt: all command-line checks pass"
