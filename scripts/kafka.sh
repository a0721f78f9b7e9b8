#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) from Maven Central jars.
# Usage: scripts/kafka.sh start|stop|status  (env: KAFKA_PORT=9092, KAFKA_DIR=.data/kafka-<port>, KAFKA_FRESH=1 to wipe logs)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="$((PORT + 1))"
DIR="${KAFKA_DIR:-$ROOT/.data/kafka-$PORT}"
LIBS="$ROOT/.data/kafka/libs"
PIDFILE="$DIR/broker.pid"

fetch_jars() {
  if [ ! -f "$LIBS/.complete" ]; then
    echo "kafka: resolving broker jars from Maven Central (cached in $LIBS)"
    (cd "$ROOT/tools/kafka" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime)
    touch "$LIBS/.complete"
  fi
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  fetch_jars
  if running; then echo "kafka: already running on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"; return 0; fi
  if answers; then echo "kafka: something else already listens on 127.0.0.1:$PORT" >&2; exit 1; fi
  [ "${KAFKA_FRESH:-0}" = "1" ] && rm -rf "$DIR"
  mkdir -p "$DIR/logs"
  cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/logs
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
PROPS
  cat > "$DIR/log4j.properties" <<'LOG'
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
LOG
  sed -i "1i log4j.appender.file.File=$DIR/broker.log" "$DIR/log4j.properties"
  local java_opts=(-Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true "-Dlog4j.configuration=file:$DIR/log4j.properties")
  local tool_opts=("-Dlog4j.configuration=file:$DIR/log4j.properties")
  if [ ! -f "$DIR/logs/meta.properties" ]; then
    java "${java_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format -t "$(java "${tool_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)" -c "$DIR/server.properties" >/dev/null
  fi
  nohup java "${java_opts[@]}" -cp "$LIBS/*" kafka.Kafka "$DIR/server.properties" >"$DIR/stdout.log" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 120); do
    if answers; then echo "kafka: up on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"; return 0; fi
    running || { echo "kafka: broker exited; see $DIR/stdout.log and $DIR/broker.log" >&2; tail -20 "$DIR/stdout.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "kafka: did not answer on 127.0.0.1:$PORT within 60 s" >&2; exit 1
}

stop() {
  if running; then
    local pid; pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    echo "kafka: stopped (127.0.0.1:$PORT)"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && answers; then echo "kafka: up on 127.0.0.1:$PORT"; else echo "kafka: down on 127.0.0.1:$PORT"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
