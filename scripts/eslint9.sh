#!/usr/bin/env bash
# Runs the whole Vitest suite under ESLint 9 as well. Vitest aliasing cannot reach the rule testers'
# own `import 'eslint'`, so the checkout is copied and ESLint 9 installed into the copy.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a . "$work/repo"
cd "$work/repo"
npm i --no-save --no-audit --no-fund --loglevel=error eslint@9
echo "ESLint $(npx eslint --version) suite:"
npx vitest run
