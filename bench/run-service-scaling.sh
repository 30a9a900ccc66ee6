#!/usr/bin/env bash
# How fast a service comes back: the first request to a service scaled to zero (it waits while the
# replica is placed, started and found ready), and the request sent right after the only replica's
# process was killed (it waits for the replacement). A private server (own BOSUN_HOME, port 18940)
# on the local fleet; the replica is the JDK's jwebserver; everything is stopped at the end.
#
#   bench/run-service-scaling.sh        # 5 rounds of each
#   bench/run-service-scaling.sh 10     # rounds
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-5}"
source "$ROOT/scripts/find-jdk.sh" 2>/dev/null || true
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"
[ -x "${JAVA_BIN}jwebserver" ] || JAVA_BIN="$(dirname "$(ls /usr/lib/jvm/*/bin/jwebserver | sort -V | tail -1)")/"
JAR="$ROOT/bosun-dist/target/bosun.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -pl bosun-dist -am package -Dmaven.test.skip=true)

DIR="$(mktemp -d /tmp/bosun-bench-scaling-XXXXXX)"
export BOSUN_HOME="$DIR/home" BOSUN_SERVER_URL="http://127.0.0.1:18940"
bosun() { "${JAVA_BIN}java" -jar "$JAR" "$@"; }
cleanup() {
  bosun server stop --all >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
mkdir -p "$DIR/www"
echo "hello, scaling" > "$DIR/www/hello.txt"
PORT=18941
cat > "$DIR/zero.bosun.yml" <<YAML
type: service
name: zero
port: $PORT
replicas: 0..1
scaling: {metric: rps, target: 10, window: 2s, scale_up_delay: 0s, scale_down_delay: 2s}
resources: {cpu: 1, memory: 0.5GB}
commands:
  - exec ${JAVA_BIN}jwebserver -b 127.0.0.1 -p $PORT -d $DIR/www -o NONE
YAML
bosun apply -y -d -f "$DIR/zero.bosun.yml" >/dev/null 2>&1
TOKEN="$(sed -n 's/^token: "\(.*\)"/\1/p' "$BOSUN_HOME/config.yml")"
URL="$BOSUN_SERVER_URL/proxy/services/main/zero/hello.txt"
timed() { curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL"; }

echo "=== first request to a service scaled to zero (s)"
for round in $(seq 1 "$ROUNDS"); do
  # wait until it has scaled back to zero (bosun ps: "0/0 replicas ready") and the replica's
  # process is gone
  for _ in $(seq 1 120); do
    if bosun ps | grep -q "0/0 replicas ready" && ! pgrep -f "jwebserver -b 127.0.0.1 -p $PORT" >/dev/null; then
      break
    fi
    sleep 0.5
  done
  timed
done

# Two rounds only: a replica that ends within a minute of its start 3 times in a row ends the service.
echo "=== request right after the only replica was killed (s)"
for round in 1 2; do
  timed >/dev/null # it runs now
  pkill -9 -f "jwebserver -b 127.0.0.1 -p $PORT" || true
  timed
  sleep 3
done
