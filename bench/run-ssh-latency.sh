#!/usr/bin/env bash
# Submit-to-running latency of `true` on an SSH host: brings up one test host (network namespace with
# real sshd, scripts/test-hosts.sh; needs root), starts a server in a temporary BOSUN_HOME, applies a
# one-host SSH fleet, runs dev.bosun.bench.SshLatency (N sequential runs, default 200), and tears
# everything down.   bench/run-ssh-latency.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
RUNS="${1:-200}"
PREFIX=bosun-b
STATE=/tmp/$PREFIX
HOME_DIR=$(mktemp -d /tmp/bosun-bench-ssh-XXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export BOSUN_HOME="$HOME_DIR" BOSUN_SERVER_URL="http://127.0.0.1:$PORT" BOSUN_SKIP_BUILD=1
cleanup() {
  "$ROOT/bosun" server stop --all >/dev/null 2>&1 || true
  "$ROOT/scripts/test-hosts.sh" down --prefix "$PREFIX" >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT
[ -f "$ROOT/bosun-dist/target/bosun.jar" ] || (cd "$ROOT" && mvn -B -q -DskipTests -pl bosun-dist -am package)
(cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests -Dmaven.test.skip=true -pl bench -am package)
"$ROOT/scripts/test-hosts.sh" up 1 --prefix "$PREFIX" --subnet 10.77.9 >/dev/null
cat > "$HOME_DIR/rack.bosun.yml" <<YAML
type: fleet
name: rack
ssh_config:
  user: bosun-test
  identity_file: $STATE/id_ed25519
  hosts: [10.77.9.11]
YAML
start=$(date +%s%N)
"$ROOT/bosun" apply -y -f "$HOME_DIR/rack.bosun.yml" >/dev/null 2>&1
echo "provisioned 1 host (server start included) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
"$JAVA_HOME/bin/java" -cp "$ROOT/bench/target/benchmarks.jar" dev.bosun.bench.SshLatency \
  "$HOME_DIR/config.yml" "$BOSUN_SERVER_URL" "$RUNS"
