#!/usr/bin/env bash
# End-to-end latency and throughput of a real Bosun server + local agent on this machine.
# Builds bosun-dist/target/bosun.jar if it is missing and bench/target/benchmarks.jar, then runs
# dev.bosun.bench.EndToEndBenchmark, which starts its own server in a temporary BOSUN_HOME on a free port and stops it
# (and its agent) at the end.
#
#   bench/run-e2e.sh                                          # 50 warm-up, 500 latency, 2000 throughput runs
#   bench/run-e2e.sh --latency-runs 100 --throughput-runs 200 # quicker
#   bench/run-e2e.sh --keep-home                              # keep server.log, agent.log and bosun.db to study
#
# Options: --jar PATH --warmup-runs N --latency-runs N --throughput-runs N --submitters N --cpu N
#          --server-java-opts "..." --keep-home. MVN_ARGS adds Maven options (e.g. MVN_ARGS=-o offline).
# Prints a table, then one JSON line on stdout (progress goes to stderr).
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

exec "$JAVA_HOME/bin/java" -cp "$BENCH_JAR" dev.bosun.bench.EndToEndBenchmark --jar "$BOSUN_JAR" "$@"
