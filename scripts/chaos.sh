#!/usr/bin/env bash
# npm run chaos -- [--minutes N] [--seed N] [--settle-minutes N] [--no-control] [--port-base N]
# The whole system under random faults, then a control run without faults, judged by an independent oracle
# (apps/chaos). It brings its own broker (port base + 90 + TEST_PORT_OFFSET) and databases; PostgreSQL as for the tests.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# The apps run from their build output, as in the tests.
bash scripts/prepare.sh
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  export TEST_DATABASE_URL="$(scripts/postgres.sh | tail -1)/timelog_sync_test"
fi
exec node -r ./tools/register.js apps/chaos/src/main.ts "$@"
