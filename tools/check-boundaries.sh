#!/usr/bin/env bash
# Proves the Nx boundary rule bites: a domain file importing an adapter must make lint fail.
set -uo pipefail
cd "$(dirname "$0")/.."
# The rule reads Nx's cached project graph and silently skips without one.
NX_DAEMON=false npx nx show projects >/dev/null
probe=libs/domain/src/boundary-probe.ts
trap 'rm -f "$probe"' EXIT
printf "import { createDataSource } from '@timelog-sync/persistence';\nexport const probe = createDataSource;\n" > "$probe"
output=$(npx eslint "$probe" 2>&1)
status=$?
if [ $status -ne 0 ] && grep -q "enforce-module-boundaries" <<<"$output"; then
  echo "boundaries: OK (domain -> adapter import rejected by @nx/enforce-module-boundaries)"
  exit 0
fi
echo "boundaries: FAILED - a forbidden import (domain -> persistence) passed lint" >&2
echo "$output" >&2
exit 1
