#!/usr/bin/env bash
# The VS Code extension's TextMate grammar against its sample files
# (editors/vscode/tests/*.quest, `// <---- scope` assertions), by
# vscode-tmgrammar-test. Skipped (exit 77) when the extension's node_modules
# are absent: `scripts/setup.sh --editors` installs them (needs npm and the registry).
set -euo pipefail
ext="$1/editors/vscode"
runner="$ext/node_modules/.bin/vscode-tmgrammar-test"
if ! command -v node >/dev/null || [ ! -x "$runner" ]; then
  echo "SKIP: $runner is missing; run scripts/setup.sh --editors (npm install in editors/vscode)"
  exit 77
fi
cd "$ext"
exec "$runner" -g syntaxes/questline.tmLanguage.json 'tests/*.quest'
