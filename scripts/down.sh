#!/usr/bin/env bash
# Stops what scripts/up.sh started: the six apps, the broker on 9092 and an embedded PostgreSQL if one was started.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
for pidfile in .run/*.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null && echo "stopped $(basename "$pidfile" .pid) ($pid)"
  rm -f "$pidfile"
done
KAFKA_PORT=9092 bash scripts/kafka.sh stop
if [ -f .run/embedded-postgres.pid ]; then kill "$(cat .run/embedded-postgres.pid)" 2>/dev/null; rm -f .run/embedded-postgres.pid; fi
exit 0
