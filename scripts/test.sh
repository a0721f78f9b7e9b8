#!/usr/bin/env bash
# Runs every test: unit tests, then integration and end-to-end tests against a real Kafka broker
# (a fresh one on 127.0.0.1:19092) and a real PostgreSQL (database timelog_sync_test, recreated).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/require-test-tools.sh
bash scripts/prepare.sh
# The suites listen on fixed ports between 19000 and 34999; keep the kernel from handing those out as the local
# ports of outgoing connections (Linux's ephemeral range starts at 32768), which fails a listen now and then.
if [ -w /proc/sys/net/ipv4/ip_local_reserved_ports ]; then echo 19000-34999 >/proc/sys/net/ipv4/ip_local_reserved_ports; fi

TEST_KAFKA_PORT="${TEST_KAFKA_PORT:-19092}"
KAFKA_PORT=$TEST_KAFKA_PORT scripts/kafka.sh stop >/dev/null 2>&1 || true
KAFKA_PORT=$TEST_KAFKA_PORT KAFKA_FRESH=1 scripts/kafka.sh start
trap 'KAFKA_PORT=$TEST_KAFKA_PORT scripts/kafka.sh stop >/dev/null 2>&1 || true' EXIT

PG_BASE="$(scripts/postgres.sh | tail -1)"
export TEST_DATABASE_URL="$PG_BASE/${TEST_DATABASE_NAME:-timelog_sync_test}"
export TEST_KAFKA_BROKERS=127.0.0.1:$TEST_KAFKA_PORT
node -r ./tools/register.js -e "require('./libs/persistence/src/database-admin').recreateTestDatabase(process.env.TEST_DATABASE_URL).then(() => console.log('postgres: fresh test database', process.env.TEST_DATABASE_URL.replace(/:[^:@/]+@/, ':***@')))"

# Line coverage of the core (domain rules and the sync engine), printed for the record: no threshold.
COVERAGE_DIR="$ROOT/coverage"
npx jest --selectProjects unit --coverage --coverageReporters=json-summary --coverageDirectory="$COVERAGE_DIR" \
  --collectCoverageFrom='libs/domain/src/**/*.ts' --collectCoverageFrom='libs/sync-engine/src/**/*.ts' \
  --collectCoverageFrom='!**/*.spec.ts' --collectCoverageFrom='!**/*.int-spec.ts' --collectCoverageFrom='!libs/sync-engine/src/testing/**'
node tools/coverage-by-lib.js "$COVERAGE_DIR/coverage-summary.json" libs/domain libs/sync-engine
npx jest --selectProjects integration --runInBand
