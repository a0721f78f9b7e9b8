#!/usr/bin/env bash
# Proves the Nx boundary rules bite: each probe is a forbidden import that must make lint fail.
set -uo pipefail
cd "$(dirname "$0")/.."
# The rule reads Nx's cached project graph and silently skips without one.
NX_DAEMON=false npx nx show projects >/dev/null
probes=()
trap 'rm -f "${probes[@]}"' EXIT
failed=0
probe() { # <file> <what> <import line>
  probes+=("$1")
  printf '%s\nexport const probe = 1;\n' "$3" >"$1"
  local output
  output=$(npx eslint "$1" 2>&1)
  if [ $? -ne 0 ] && grep -q "enforce-module-boundaries" <<<"$output"; then
    echo "boundaries: OK ($2 rejected)"
  else
    echo "boundaries: FAILED - a forbidden import ($2) passed lint" >&2
    echo "$output" >&2
    failed=1
  fi
}
probe libs/domain/src/boundary-probe.ts 'domain -> data access' "import '@timelog-sync/persistence';"
probe libs/sync-engine/src/boundary-probe.ts 'feature -> feature' "import '@timelog-sync/forecast-ingestion';"
probe libs/persistence/src/boundary-probe.ts 'data access -> vendor client' "import '@timelog-sync/timelog-client';"
exit $failed
