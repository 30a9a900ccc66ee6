#!/usr/bin/env bash
# Memory of a real Bosun server holding a queue of pending runs (default 100,000), and the time of its
# scheduling passes over that queue, against the same server with 0 queued runs.
# Builds bosun-dist/target/bosun.jar if it is missing and bench/target/benchmarks.jar, then runs
# dev.bosun.bench.QueueMemoryBenchmark, which starts its own server in a temporary BOSUN_HOME on a free port and
# stops it (and its agent) at the end.
#
#   bench/run-queue-memory.sh                       # 100,000 runs submitted through the REST API (~7 min on 2 CPUs)
#   bench/run-queue-memory.sh 0                     # baseline only
#   bench/run-queue-memory.sh 100000 --fill database # server stopped, runs inserted into its database, restarted (~2 min)
#   bench/run-queue-memory.sh 100000 --server-java-opts "-Xmx1g" --nmt   # bounded heap; JVM memory by category
#
# Options: RUNS --fill api|database --submitters N --probes N --idle-seconds N --server-java-opts "..." --nmt
#          --keep-home --no-verify --jar PATH. MVN_ARGS adds Maven options (e.g. MVN_ARGS=-o offline);
#          BENCH_SKIP_BUILD=1 skips the bench build. Prints a table, then one JSON line on stdout (progress on stderr).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
BOSUN_JAR="$ROOT/bosun-dist/target/bosun.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"

if [ ! -f "$BOSUN_JAR" ]; then
  echo "Building $BOSUN_JAR ..." >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests -Dmaven.test.skip=true -pl bosun-dist -am package)
fi
if [ "${BENCH_SKIP_BUILD:-}" != "1" ] || [ ! -f "$BENCH_JAR" ]; then
  echo "Building $BENCH_JAR ..." >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests -Dmaven.test.skip=true -pl bench -am package)
fi

RUNS=100000
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
  RUNS="$1"
  shift
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR" dev.bosun.bench.QueueMemoryBenchmark \
  --jar "$BOSUN_JAR" --runs "$RUNS" "$@"
