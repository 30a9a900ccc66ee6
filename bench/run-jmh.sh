#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs the JMH benchmark of the pure scheduler (SchedulerBenchmark).
#
#   bench/run-jmh.sh                      # short default run: -f 1 -wi 2 -i 3 (about a minute)
#   bench/run-jmh.sh -f 3 -wi 5 -i 10     # anything else is passed to JMH instead of the defaults
#   bench/run-jmh.sh -p hosts=busy        #   (e.g. only the busy cluster)
#
# Results also go to bench/target/jmh-result.json. MVN_ARGS adds Maven options (e.g. MVN_ARGS=-o offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
JAR="$ROOT/bench/target/benchmarks.jar"

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  echo "Building $JAR ..." >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests -Dmaven.test.skip=true -pl bench -am package)
fi

if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3
fi
exec "$JAVA_HOME/bin/java" -jar "$JAR" 'dev.bosun.bench.SchedulerBenchmark' \
  -rf json -rff "$ROOT/bench/target/jmh-result.json" "$@"
