#!/usr/bin/env bash
# Installs every Debian package Questline's build and tests need. Idempotent:
# packages already present are skipped and `apt-get update` runs at most once.
# `--bench` also installs what bench/peers/run.sh compares Questline with
# (LuaJIT and lua-cjson, Node and npm, GNU time); neither the build nor CI needs them.
# `--editors` also installs the VS Code extension's npm packages (editors/vscode:
# the language client, vsce, vscode-tmgrammar-test for its grammar test); it
# needs Node, npm and the npm registry.
set -euo pipefail

editors=false
for arg in "$@"; do
  if [ "$arg" = "--editors" ]; then editors=true; fi
done
install_editors() {
  if ! $editors; then return 0; fi
  local ext
  ext="$(cd "$(dirname "$0")/.." && pwd)/editors/vscode"
  echo "setup: npm install in $ext"
  (cd "$ext" && npm install --no-audit --no-fund)
}

packages=(
  build-essential cmake ninja-build pkg-config
  antlr4 libantlr4-runtime-dev default-jre-headless
  llvm-14-dev clang-14 libclang-rt-14-dev
  libboost-dev libboost-system-dev
  libyaml-cpp-dev catch2 libsimdjson-dev libfmt-dev
  libhowardhinnant-date-dev tzdata zlib1g-dev libzstd-dev libtinfo-dev libxml2-dev libffi-dev libedit-dev
  python3 python3-jsonschema
  prometheus   # promtool: tests/daemon/api_test.py checks questd's /metrics with `promtool check metrics`
  librdkafka-dev libhiredis-dev redis-server   # issue 20: the Kafka source, the Redis leaderboard mirror and its tests
)

# bench-only: the peers of bench/peers/ (issue 15)
bench_packages=(luajit lua-cjson nodejs time)
# (Debian's nodejs comes without npm; some Node builds bring their own)
if ! command -v npm >/dev/null; then bench_packages+=(npm); fi
for arg in "$@"; do
  if [ "$arg" = "--bench" ]; then packages+=("${bench_packages[@]}"); fi
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  install_editors
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_editors
