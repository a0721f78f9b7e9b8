#!/usr/bin/env bash
# Proves the lint boundaries bite: each Nx probe is a forbidden import that must make lint fail, and every
# forbidden line of the raw-SQL probe (tools/lint-fixtures) must be reported by the data-access rule.
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

# Linted as a file of libs/sync-engine (through stdin: the fixture's own folder is outside the lint).
sql_probe=tools/lint-fixtures/raw-sql-probe.ts
expected=$(grep -n '// forbidden' "$sql_probe" | cut -d: -f1 | tr '\n' ' ')
reported=$(npx eslint --format json --stdin --stdin-filename libs/sync-engine/src/raw-sql-probe.ts <"$sql_probe" |
  node -e "const [file] = JSON.parse(require('fs').readFileSync(0, 'utf8')); console.log([...new Set(file.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line))].join(' '))")
if [ -n "$expected" ] && [ "${expected% }" = "$reported" ]; then
  echo "boundaries: OK (raw SQL outside data access rejected on lines $reported)"
else
  echo "boundaries: FAILED - raw SQL outside data access: expected reports on lines '${expected% }', got '$reported'" >&2
  failed=1
fi
exit $failed
