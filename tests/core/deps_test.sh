#!/usr/bin/env bash
# The dependency rule of issue 15 §1: core/ is the leaf, the runtime depends on
# core only, and the backends depend on core, not on the front end or the
# engine. Checked twice, because either half alone can be fooled: the includes
# of every source file (a header-only slip links fine), and the link closure
# of each library as CMake resolved it (written by tests/core/CMakeLists.txt).
# Usage: deps_test.sh SOURCE_DIR LINK_CLOSURE_FILE
set -euo pipefail
src=$1
closure=$2
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Quoted includes of the files under $1 whose path does not start with one of
# the allowed prefixes ($2…).
check_includes() {
  local dir=$1; shift
  local allowed
  allowed=$(printf '%s|' "$@"); allowed=${allowed%|}
  local bad
  bad=$(grep -rnE '^\s*#\s*include\s+"' "$src/$dir" --include='*.h' --include='*.cpp' --include='*.def' |
        grep -vE "#\s*include\s+\"($allowed)" || true)
  [[ -z $bad ]] || fail "$dir/ includes outside ${*}:"$'\n'"$bad"
}

check_includes core core/
check_includes runtime/engine core/ runtime/engine/ stdlib/civil_time.h stdlib/json_text.h
check_includes runtime/io core/ runtime/ stdlib/civil_time.h stdlib/json_text.h
# The daemon's own code sees the runtime and core; the rules come in through
# the driver's LoadProgram alone (driver_loader.cpp, in the questd executable), whose header shows core types only.
check_includes runtime/daemon core/ runtime/ stdlib/json_text.h compiler/driver/load_program.h
check_includes compiler/interp core/ compiler/interp/
check_includes compiler/jit core/ compiler/interp/ compiler/jit/

# core/ uses the standard library alone: an angle include with a path or an
# extension (<llvm/…>, <date/tz.h>, <simdjson.h>, <fmt/…>, "antlr4-runtime.h") is not.
bad=$(grep -rnE '^\s*#\s*include\s+<[^>]*[./][^>]*>' "$src/core" || true)
[[ -z $bad ]] || fail "core/ includes a non-standard header:"$'\n'"$bad"
# Neither ANTLR nor LLVM reaches the runtime, not even through a header.
bad=$(grep -rnE '^\s*#\s*include\s+[<"](antlr4|llvm/|QuestlineParser)' "$src/runtime" || true)
[[ -z $bad ]] || fail "runtime/ includes ANTLR or LLVM:"$'\n'"$bad"

# Link closures: "target: dep dep …" per line.
[[ -r $closure ]] || { echo "FAIL: no link closure file $closure"; exit 1; }
deps_of() { grep -E "^$1:" "$closure" | cut -d: -f2-; }
forbid() {
  local target=$1; shift
  local deps
  deps=" $(deps_of "$target") "
  for f in "$@"; do
    [[ $deps != *" $f "* ]] || fail "$target links $f (closure:$deps)"
  done
}
front_end=(questline_ir questline_sema questline_syntax questline_diag questline_antlr_gen antlr4_shared questline_stdlib)
[[ -z $(deps_of questline_core | tr -d ' ') ]] || fail "questline_core links something: $(deps_of questline_core)"
forbid questline_engine "${front_end[@]}" questline_interp questline_jit questline_driver LLVM
forbid questline_io "${front_end[@]}" questline_interp questline_jit questline_driver LLVM
forbid questline_daemon "${front_end[@]}" questline_interp questline_jit questline_driver LLVM
forbid questline_interp "${front_end[@]}" questline_engine questline_io questline_jit
forbid questline_jit "${front_end[@]}" questline_engine questline_io

if ((failures)); then
  echo "$failures dependency rule(s) broken (docs/architecture.md, Folders)"
  exit 1
fi
echo "dependency rule holds: core is the leaf, runtime → core, backends → core"
