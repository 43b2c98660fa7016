#!/usr/bin/env bash
# Packages the extension as editors/vscode/questline.vsix with @vscode/vsce.
# Installs the npm packages first when they are missing (needs the registry).
# Install the result with `code --install-extension editors/vscode/questline.vsix`.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/vsce ]; then npm install --no-audit --no-fund; fi
npm run --silent package
echo "packaged: $(pwd)/questline.vsix"
