#!/usr/bin/env bash
# What `npm run up` and `npm test` need first: npm packages exactly as package-lock.json says (re-installed
# whenever it changed: its hash is stamped into node_modules) and every app's build output (dist/, Nx-cached).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
STAMP=node_modules/.package-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "npm: package-lock.json differs from what node_modules holds: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" >"$STAMP"
fi
mkdir -p .nx
NX_DAEMON=false npx nx run-many -t build --outputStyle=static >.nx/build.log 2>&1 || { cat .nx/build.log >&2; exit 1; }
echo "build: dist/ is current ($(ls dist | wc -l) apps)"
