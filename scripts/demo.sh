#!/usr/bin/env bash
# README main command: set up, build, and check every example package.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
for pkg in examples/*/; do
  echo "== quest check ${pkg}"
  build/quest check "${pkg}"
done
