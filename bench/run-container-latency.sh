#!/usr/bin/env bash
# Submit-to-running of a container run whose image is already on the host, against `docker run` by
# hand on the same machine and daemon. Needs root, docker.io and busybox-static (apt-get install).
#
#   bench/run-container-latency.sh            # 50 Bosun runs after 5 warm-up, 30 `docker run`s
#   bench/run-container-latency.sh 100 50     # 100 Bosun runs, 50 `docker run`s
#
# Starts a private dockerd (own data root and socket, default bridge, no iptables), builds the image
# bosun-test/busybox:1 from busybox-static, times `docker run --rm IMAGE true` (the CLI's wall time
# from start to exit), then runs bench/run-e2e.sh --image IMAGE, whose latency is from just before
# `apply` to the agent having started the container. Everything it started is stopped at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-50}"
DOCKER_RUNS="${2:-30}"
[ "$(id -u)" = 0 ] || { echo "Error: a private dockerd needs root" >&2; exit 2; }
command -v dockerd >/dev/null || { echo "Error: install docker.io" >&2; exit 2; }
BUSYBOX="$(command -v busybox || true)"
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" 2>/dev/null | grep -q static || BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { echo "Error: install busybox-static" >&2; exit 2; }

DIR="$(mktemp -d /tmp/bosun-bench-dockerd-XXXXXX)"
echo '{}' > "$DIR/daemon.json"
dockerd --config-file="$DIR/daemon.json" --data-root="$DIR/data" --exec-root="$DIR/exec" \
  --pidfile="$DIR/dockerd.pid" --host="unix://$DIR/docker.sock" --iptables=false --ip-forward=false \
  >"$DIR/dockerd.log" 2>&1 &
DOCKERD_PID=$!
cleanup() {
  kill "$DOCKERD_PID" 2>/dev/null || true
  wait "$DOCKERD_PID" 2>/dev/null || true
  ip link del docker0 2>/dev/null || true
  grep -o " $DIR[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
export DOCKER_HOST="unix://$DIR/docker.sock"
for _ in $(seq 1 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker version --format 'Docker {{.Server.Version}}' >&2

ROOTFS="$DIR/rootfs"
mkdir -p "$ROOTFS/bin" "$ROOTFS/tmp" "$ROOTFS/etc"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$ROOTFS/bin/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
tar -C "$ROOTFS" -cf "$DIR/rootfs.tar" .
docker import --change "ENV PATH=/bin" "$DIR/rootfs.tar" bosun-test/busybox:1 >/dev/null

echo "Timing $DOCKER_RUNS x docker run --rm bosun-test/busybox:1 true ..." >&2
docker run --rm bosun-test/busybox:1 /bin/true # warm-up
TIMES="$DIR/docker-run.ms"
for _ in $(seq 1 "$DOCKER_RUNS"); do
  start=$(date +%s%N)
  docker run --rm bosun-test/busybox:1 /bin/true
  echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$TIMES"
done
sort -n "$TIMES" | awk '{a[NR]=$1} END {printf "docker run --rm (start to exit): p50 %d ms, p90 %d ms, min %d ms, max %d ms (%d runs)\n", a[int((NR+1)/2)], a[int(NR*0.9+0.5)], a[1], a[NR], NR}'

"$ROOT/bench/run-e2e.sh" --image bosun-test/busybox:1 --warmup-runs 5 --latency-runs "$RUNS" \
  --throughput-runs 1 --submitters 1
