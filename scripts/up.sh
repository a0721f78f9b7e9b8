#!/usr/bin/env bash
# Runs the whole system locally in the background: Kafka (KRaft), PostgreSQL (local server or embedded),
# the four services and both simulators, then sets up the demo company and shows a sync both ways.
# Every run starts fresh (database timelog_sync_demo_test and the broker's data are recreated). Stop with scripts/down.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/prepare.sh
bash scripts/down.sh >/dev/null 2>&1 || true
KAFKA_PORT=9092 KAFKA_FRESH=1 bash scripts/kafka.sh start
PG_BASE="$(bash scripts/postgres.sh | tail -1)"
export DATABASE_URL="$PG_BASE/timelog_sync_demo_test"
node -r ./tools/register.js tools/up.ts
