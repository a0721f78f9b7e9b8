#!/usr/bin/env bash
# Makes sure a PostgreSQL is reachable and prints its base URL (no database) as the last line.
# 1. the server on 127.0.0.1:5432 if it answers; 2. the machine's PostgreSQL 15 cluster, started;
# 3. otherwise the embedded PostgreSQL from npm on 127.0.0.1:55432 (data in .data/pg-embedded).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "${FORCE_EMBEDDED_POSTGRES:-0}" != "1" ]; then
  if answers 5432; then echo "postgres://postgres@127.0.0.1:5432"; exit 0; fi
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)"
    if [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>/dev/null; then
      for _ in $(seq 1 40); do answers 5432 && { echo "postgres://postgres@127.0.0.1:5432"; exit 0; }; sleep 0.25; done
    fi
  fi
fi

PORT="${EMBEDDED_POSTGRES_PORT:-55432}"
URL="postgres://postgres:postgres@127.0.0.1:$PORT"
if answers "$PORT"; then echo "$URL"; exit 0; fi
mkdir -p "$ROOT/.run"
echo "postgres: no server on 127.0.0.1:5432; starting the embedded PostgreSQL on 127.0.0.1:$PORT" >&2
(cd "$ROOT" && nohup node -r ./tools/register.js tools/embedded-postgres.ts --port "$PORT" --data-dir "$ROOT/.data/pg-embedded" >"$ROOT/.run/embedded-postgres.log" 2>&1 & echo $! >"$ROOT/.run/embedded-postgres.pid")
for _ in $(seq 1 240); do
  grep -q '^ready' "$ROOT/.run/embedded-postgres.log" 2>/dev/null && { echo "$URL"; exit 0; }
  kill -0 "$(cat "$ROOT/.run/embedded-postgres.pid")" 2>/dev/null || { cat "$ROOT/.run/embedded-postgres.log" >&2; exit 1; }
  sleep 0.25
done
echo "postgres: embedded PostgreSQL did not start within 60 s" >&2
exit 1
