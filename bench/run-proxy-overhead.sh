#!/usr/bin/env bash
# The services proxy's overhead: wrk against a trivial replica directly, then through the server's
# proxy (/proxy/services/main/<run>/), on this machine's loopback. Needs wrk (apt-get install wrk).
#
#   bench/run-proxy-overhead.sh                 # 20 s per measurement, 16 connections, 2 threads
#   bench/run-proxy-overhead.sh 30 64 2         # duration (s), connections, wrk threads
#   BOSUN_JAR=/tmp/base.jar bench/run-proxy-overhead.sh 10 16 2   # measure another build
#   PROFILE=/tmp/proxy.jfr bench/run-proxy-overhead.sh           # + a flight recording of the server
#
# The replica is the JDK's own jwebserver serving a 13-byte file. A private server (own
# BOSUN_HOME, port 18930) runs one service of one replica on the local fleet; everything is
# stopped at the end. Latency percentiles are wrk's (--latency).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_EACH="${1:-20}"
CONNECTIONS="${2:-16}"
THREADS="${3:-2}"
command -v wrk >/dev/null || { echo "Error: install wrk (apt-get install wrk)" >&2; exit 2; }
source "$ROOT/scripts/find-jdk.sh" 2>/dev/null || true
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"
[ -x "${JAVA_BIN}jwebserver" ] || JAVA_BIN="$(dirname "$(ls /usr/lib/jvm/*/bin/jwebserver | sort -V | tail -1)")/"
JAR="${BOSUN_JAR:-$ROOT/bosun-dist/target/bosun.jar}"   # BOSUN_JAR: another build (e.g. a baseline copy)
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -pl bosun-dist -am package -Dmaven.test.skip=true)

DIR="$(mktemp -d /tmp/bosun-bench-proxy-XXXXXX)"
export BOSUN_HOME="$DIR/home" BOSUN_SERVER_URL="http://127.0.0.1:18930"
cleanup() {
  "${JAVA_BIN}java" -jar "$JAR" server stop --all >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
mkdir -p "$DIR/www"
echo "hello, proxy" > "$DIR/www/hello.txt"
PORT=18931
cat > "$DIR/service.bosun.yml" <<YAML
type: service
name: bench
port: $PORT
resources: {cpu: 1, memory: 0.5GB}
commands:
  - exec ${JAVA_BIN}jwebserver -b 127.0.0.1 -p $PORT -d $DIR/www -o NONE
YAML
"${JAVA_BIN}java" -jar "$JAR" apply -y -d -f "$DIR/service.bosun.yml" >&2
TOKEN="$(sed -n 's/^token: "\(.*\)"/\1/p' "$BOSUN_HOME/config.yml")"
URL="$BOSUN_SERVER_URL/proxy/services/main/bench/hello.txt"
for _ in $(seq 1 120); do
  curl -fs -H "Authorization: Bearer $TOKEN" "$URL" >/dev/null && break
  sleep 0.5
done
echo "warm-up" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT/hello.txt" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $TOKEN" "$URL" >/dev/null
echo "=== direct: http://127.0.0.1:$PORT/hello.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "http://127.0.0.1:$PORT/hello.txt"
echo "=== through the proxy: $URL"
if [ -n "${PROFILE:-}" ]; then
  SERVER_PID="$(pgrep -f -- "$JAR dev.bosun.dist.Main server" | head -1 || true)"
  [ -n "$SERVER_PID" ] && "${JAVA_BIN}jcmd" "$SERVER_PID" JFR.start duration="${SECONDS_EACH}s" \
    filename="$PROFILE" settings=profile >&2
fi
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -H "Authorization: Bearer $TOKEN" "$URL"
