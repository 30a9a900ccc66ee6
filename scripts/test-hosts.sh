#!/usr/bin/env bash
# test-hosts.sh: N throw-away "SSH hosts" on this machine for the SSH-fleet tests.
#
# Each host is a Linux network namespace on a private bridge, with its own IP, hostname, PID namespace,
# mount namespace (private /root, /home/*, /tmp and a private writable layer over /etc, /var/lib,
# /usr/local and /opt), a real OpenSSH sshd on port 22, and its own GPU inventory through an
# nvidia-smi stand-in. Needs root, iproute2, util-linux and OpenSSH; as root on Debian it installs
# openssh-server, openssh-client, iproute2 and sudo if they are missing.
#
# Usage
#   scripts/test-hosts.sh up N [options]     create hosts 1..N (first removes leftovers of the prefix)
#   scripts/test-hosts.sh down [options]     remove everything of the prefix; idempotent, works after a crash
#   scripts/test-hosts.sh cut I              cut host I off the network (ip link set <prefix>-v<I> down)
#   scripts/test-hosts.sh restore I          reconnect host I
#   scripts/test-hosts.sh status             one line per host: name, ip, sshd alive?, link up?
#   scripts/test-hosts.sh ssh I [--root|--user U] [CMD...]   real OpenSSH client into host I (bosun-test)
#   scripts/test-hosts.sh exec I CMD...      run CMD as root inside host I's namespaces (no SSH involved)
#   scripts/test-hosts.sh authorize PUBKEY   also accept this public key on every host (all users)
#   scripts/test-hosts.sh check              exit 0 if this machine can run test hosts, 3 (with reason) if not
#
# Options (any command)
#   --prefix P        names: netns P-h<I>, bridge P-br, host-side veth P-v<I>, hostname P-h<I> (default bosun-t)
#   --subnet A.B.C    bridge A.B.C.1/24, host I at A.B.C.(10+I) (default 10.77.0; stay inside 10.77.0.0/24)
#   --state DIR       state directory (default /tmp/P); down/cut/... find it again from /run/bosun-test-hosts/P.state
# Options (up)
#   --gpus SPEC       per host, comma-separated: none | <count>x<model>[:<MiB>]; models H100, H200, A100 (40GB),
#                     A100-80, L4, A10G, T4, or any name with :<MiB>. Hosts past the list get none.
#                     Default "8xH100,4xA100,none".
#   --java SPEC       per host, comma-separated: jdk | system | none (default jdk for every host).
#                       jdk:    /usr/local/bin/java -> a JDK >= 21 (first on the default PATH)
#                       system: the machine's default `java` (here Java 17: a "too old Java" host)
#                       none:   /usr/lib/jvm (and the chosen JDK) hidden: `java` is not found
#   --java-home DIR   the JDK used for "jdk" hosts (default: JAVA_HOME if >= 21, else newest >= 21 in /usr/lib/jvm)
#   --owner-pid PID   record PID as the owner; a later `up` of the same prefix refuses (exit 4) while that
#                     process lives, unless --force. The Java fixture passes its JVM's pid.
#   --no-check        skip the final real-SSH login check of every host
# Options (down): --keep-state keeps the state directory (logs) instead of deleting it.
#
# Output of `up` (stdout, one record per line; progress and errors go to stderr):
#   state DIR | key FILE | key_ecdsa FILE | known_hosts FILE | json FILE | user U | nosudo_user U |
#   java_home DIR | host NAME IP DIR gpus=<count>x<name, '_' for ' '>|none java=MODE | up_ms MS
# and STATE/hosts.json with the same and more (per host: netns, veth, sshd pid, agent dir, homes, log).
#
# What a host looks like from inside (ssh bosun-test@IP or root@IP with STATE/id_ed25519 or STATE/id_ecdsa):
#   - hostname P-h<I>; /etc/hosts resolves every test host's name; no default route (only the /24 is reachable)
#   - users: root, bosun-test (passwordless sudo), bosun-nosudo (no sudo); shell /bin/bash; homes are
#     per-host empty directories (no pyenv .bashrc: an SSH command costs ~20 ms, not ~1 s)
#   - private per host: /root, /home/bosun-test, /home/bosun-nosudo, /tmp, and copy-on-write layers over
#     /etc, /var/lib, /usr/local, /opt (writes land in STATE/h<I>/rootfs/...; e.g. the agent's
#     /var/lib/bosun-agent is STATE/h<I>/rootfs/var/lib/bosun-agent on the machine). Everything else (/usr,
#     /var/log, /run, ...) is the machine's own: do not install packages inside a host.
#   - PID namespace: sshd is PID 1; `ps`/`pkill` inside see only that host's processes; `down` (or killing
#     the sshd) kills every process the host started. No systemd.
#   - PATH (sshd default): /usr/local/bin:/usr/bin:/bin:/usr/games (root: /usr/local/sbin:/usr/local/bin:...),
#     so "jdk" hosts run Java >= 21 as plain `java`; the machine's own default `java` is Java 17.
#   - sshd: ed25519 + ECDSA host keys (the known_hosts file lists both, by IP and by name), no passwords,
#     AllowTcpForwarding yes, Subsystem sftp internal-sftp, MaxSessions 64, LogLevel VERBOSE to STATE/h<I>/sshd.log
set -euo pipefail

readonly RUN_DIR=/run/bosun-test-hosts
readonly SUDO_USER_NAME=bosun-test
readonly NOSUDO_USER_NAME=bosun-nosudo
readonly NVIDIA_DRIVER=535.183.01
readonly NVIDIA_CUDA=12.2

PREFIX=bosun-t
SUBNET=10.77.0
STATE=""
GPUS="8xH100,4xA100,none"
JAVA_SPEC=""
JAVA_HOME_OPT=""
OWNER_PID=""
CHECK=1
FORCE=0
KEEP_STATE=0
SSH_USER=$SUDO_USER_NAME
ARGS=()
CMD=""

die() { echo "test-hosts: error: $*" >&2; exit 1; }
log() { echo "test-hosts: $*" >&2; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --prefix) PREFIX=${2:?--prefix needs a value}; shift 2 ;;
      --subnet) SUBNET=${2:?--subnet needs a value}; shift 2 ;;
      --state) STATE=${2:?--state needs a value}; shift 2 ;;
      --gpus) GPUS=${2?--gpus needs a value}; shift 2 ;;
      --java) JAVA_SPEC=${2:?--java needs a value}; shift 2 ;;
      --java-home) JAVA_HOME_OPT=${2:?--java-home needs a value}; shift 2 ;;
      --owner-pid) OWNER_PID=${2:?--owner-pid needs a value}; shift 2 ;;
      --no-check) CHECK=0; shift ;;
      --force) FORCE=1; shift ;;
      --keep-state) KEEP_STATE=1; shift ;;
      --root) SSH_USER=root; shift ;;
      --user) SSH_USER=${2:?--user needs a value}; shift 2 ;;
      --) shift; ARGS+=("$@"); break ;;
      -h|--help) usage 0 ;;
      *) ARGS+=("$1"); shift ;;
    esac
  done
  [[ $PREFIX =~ ^[a-z][a-z0-9-]*$ ]] || die "--prefix must be lower-case letters, digits and '-' (got '$PREFIX')"
  [ ${#PREFIX} -le 10 ] || die "--prefix '$PREFIX' is too long: interface names ($PREFIX-v244) must fit in 15 characters; use at most 10"
  [[ $SUBNET =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || die "--subnet must look like 10.77.0 (got '$SUBNET')"
  # `up` starts from /tmp/P (or --state); the other commands find the state of the last `up`.
  if [ -z "$STATE" ] && [ "$CMD" != up ] && [ -r "$RUN_DIR/$PREFIX.state" ]; then STATE=$(<"$RUN_DIR/$PREFIX.state"); fi
  [ -n "$STATE" ] || STATE=/tmp/$PREFIX
  case "$STATE" in /*) ;; *) STATE=$(pwd)/$STATE ;; esac
  STATE=${STATE%/}
  [ "$STATE" != "" ] && [ "$STATE" != /tmp ] || die "--state must not be / or /tmp"
  BRIDGE=$PREFIX-br
}

host_index_arg() {
  local i=${ARGS[0]:-}
  [[ $i =~ ^[1-9][0-9]*$ ]] || die "expected a host number (1..N), got '${i}'"
  echo "$i"
}
netns_of() { echo "$PREFIX-h$1"; }
veth_of() { echo "$PREFIX-v$1"; }
ip_of() { echo "$SUBNET.$((10 + $1))"; }

# ---------------------------------------------------------------------------------------------------------
# Environment checks and one-time machine setup

check_env() {
  if [ "$(id -u)" != 0 ]; then echo "test hosts need root (network namespaces, bridge, sshd on port 22)"; return 3; fi
  command -v ip >/dev/null 2>&1 || { echo "test hosts need iproute2 (ip); install: apt-get install -y iproute2"; return 3; }
  command -v unshare >/dev/null 2>&1 && command -v nsenter >/dev/null 2>&1 \
    || { echo "test hosts need util-linux (unshare, nsenter)"; return 3; }
  ip netns list >/dev/null 2>&1 || { echo "'ip netns' does not work here: $(ip netns list 2>&1 | head -1)"; return 3; }
  local out
  if ! out=$(unshare --net --mount --uts --pid --fork --mount-proc true 2>&1); then
    echo "cannot create namespaces here (unshare --net --mount --uts --pid: ${out:-failed}); an unprivileged container?"
    return 3
  fi
  return 0
}

ensure_packages() {
  local need=()
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
  command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
  command -v sudo >/dev/null 2>&1 || need+=(sudo)
  command -v flock >/dev/null 2>&1 || need+=(util-linux)
  [ ${#need[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get to install them"
  log "installing ${need[*]} (once)..."
  # Keep the package scripts from starting a machine-wide sshd.
  local policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; policy_added=1; fi
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -qq)
  if ! "${apt[@]}" install "${need[@]}" >/dev/null 2>&1; then
    "${apt[@]}" update >/dev/null 2>&1 || true
    "${apt[@]}" install "${need[@]}" >/dev/null || { [ $policy_added = 0 ] || rm -f /usr/sbin/policy-rc.d; die "apt-get install ${need[*]} failed"; }
  fi
  [ $policy_added = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ -x /usr/sbin/sshd ] || die "openssh-server installed but /usr/sbin/sshd is missing"
}

ensure_users() {
  mkdir -p /run/sshd && chmod 755 /run/sshd
  exec 8>"$RUN_DIR/users.lock"
  flock 8
  local u
  for u in $SUDO_USER_NAME $NOSUDO_USER_NAME; do
    if ! id -u "$u" >/dev/null 2>&1; then
      useradd --create-home --shell /bin/bash --password '*' "$u" >/dev/null 2>&1 \
        || id -u "$u" >/dev/null 2>&1 || die "useradd $u failed"
    fi
    # A '!' (locked) password makes sshd (UsePAM no) refuse even key logins.
    if [ "$(getent shadow "$u" | cut -d: -f2 | cut -c1)" = "!" ]; then usermod -p '*' "$u"; fi
    mkdir -p "/home/$u"
  done
  local sudoers=/etc/sudoers.d/$SUDO_USER_NAME want="$SUDO_USER_NAME ALL=(ALL:ALL) NOPASSWD: ALL"
  if [ ! -f "$sudoers" ] || [ "$(<"$sudoers")" != "$want" ]; then
    printf '%s\n' "$want" >"$sudoers.tmp"
    chmod 0440 "$sudoers.tmp"
    if command -v visudo >/dev/null 2>&1; then visudo -cqf "$sudoers.tmp" || { rm -f "$sudoers.tmp"; die "bad sudoers line"; }; fi
    mv "$sudoers.tmp" "$sudoers"
  fi
  flock -u 8
  exec 8>&-
  if [ "$(getent shadow root | cut -d: -f2 | cut -c1)" = "!" ]; then
    log "warning: root's password is locked ('!' in /etc/shadow): sshd (UsePAM no) will refuse root logins"
  fi
}

java_major_of() { # JDK dir -> major version, from its release file
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null || true)
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

find_jdk() {
  local c m
  if [ -n "$JAVA_HOME_OPT" ]; then
    [ -x "$JAVA_HOME_OPT/bin/java" ] || die "--java-home $JAVA_HOME_OPT has no bin/java"
    echo "$JAVA_HOME_OPT"; return 0
  fi
  for c in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    c=${c%/}
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ ! -L "$c" ] || continue
    m=$(java_major_of "$c")
    if [ -n "$m" ] && [ "$m" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

# ---------------------------------------------------------------------------------------------------------
# GPU inventories and the nvidia-smi stand-in

# Sets GPU_COUNT GPU_NAME GPU_MIB GPU_CC from one spec entry ("" or none -> 0).
parse_gpu_entry() {
  local e=$1 model mib=""
  GPU_COUNT=0 GPU_NAME="" GPU_MIB=0 GPU_CC=""
  e=${e// /}
  [ -z "$e" ] || [ "$e" = none ] && return 0
  [[ $1 =~ ^[[:space:]]*([0-9]+)[xX](.+)$ ]] || die "bad --gpus entry '$1' (want none or <count>x<model>[:<MiB>], e.g. 8xH100)"
  GPU_COUNT=${BASH_REMATCH[1]}
  model=${BASH_REMATCH[2]}
  if [[ $model =~ ^(.*):([0-9]+)$ ]]; then model=${BASH_REMATCH[1]}; mib=${BASH_REMATCH[2]}; fi
  case "${model^^}" in
    H100) GPU_NAME="NVIDIA H100 80GB HBM3" GPU_MIB=81559 GPU_CC=9.0 ;;
    H200) GPU_NAME="NVIDIA H200" GPU_MIB=143771 GPU_CC=9.0 ;;
    A100|A100-40) GPU_NAME="NVIDIA A100-SXM4-40GB" GPU_MIB=40960 GPU_CC=8.0 ;;
    A100-80) GPU_NAME="NVIDIA A100-SXM4-80GB" GPU_MIB=81920 GPU_CC=8.0 ;;
    L4) GPU_NAME="NVIDIA L4" GPU_MIB=23034 GPU_CC=8.9 ;;
    A10G) GPU_NAME="NVIDIA A10G" GPU_MIB=23028 GPU_CC=8.6 ;;
    T4) GPU_NAME="Tesla T4" GPU_MIB=15360 GPU_CC=7.5 ;;
    *) [ -n "$mib" ] || die "unknown GPU model '$model' in --gpus: use H100, H200, A100, A100-80, L4, A10G, T4 or NAME:MiB"
       GPU_NAME=$model GPU_CC=8.0 ;;
  esac
  [ -z "$mib" ] || GPU_MIB=$mib
  [ "$GPU_COUNT" -ge 1 ] && [ "$GPU_COUNT" -le 16 ] || die "GPU count must be 1..16 in '$1'"
}

write_nvidia_smi() { # host-index file
  local i=$1 file=$2 j uuid hex bus
  local buses=(18 2A 3A 5D 9A AB BA DB 19 2B 3B 5E 9B AC BB DC)
  hex=$(for ((j = 0; j < GPU_COUNT; j++)); do echo "$PREFIX-h$i-gpu$j"; done | while read -r l; do printf '%s' "$l" | md5sum | cut -c1-32; done)
  {
    cat <<EOF
#!/bin/bash
# nvidia-smi stand-in written by scripts/test-hosts.sh for $(netns_of "$i"): ${GPU_COUNT}x $GPU_NAME
# Answers: --query-gpu=FIELDS --format=csv[,noheader][,nounits] [-i IDS], -L, --query-compute-apps=...,
# --version, and a plain call (a short table).
DRIVER=$NVIDIA_DRIVER
CUDA=$NVIDIA_CUDA
CC=$GPU_CC
GPUS=(
EOF
    j=0
    while read -r uuid; do
      bus=${buses[$j]}
      printf '  "%s|GPU-%s-%s-%s-%s-%s|%s|%s|00000000:%s:00.0"\n' "$j" "${uuid:0:8}" "${uuid:8:4}" "${uuid:12:4}" \
        "${uuid:16:4}" "${uuid:20:12}" "$GPU_NAME" "$GPU_MIB" "$bus"
      j=$((j + 1))
    done <<<"$hex"
    cat <<'EOF'
)
query="" format="" list=0 apps="" ids="" table=1
while [ $# -gt 0 ]; do
  case "$1" in
    --query-gpu=*) query=${1#*=}; table=0 ;;
    --query-gpu) query=$2; table=0; shift ;;
    --query-compute-apps=*|--query-apps=*) apps=${1#*=}; table=0 ;;
    --format=*) format=${1#*=} ;;
    --format) format=$2; shift ;;
    -L|--list-gpus) list=1; table=0 ;;
    -i|--id) ids=$2; shift ;;
    -i=*|--id=*) ids=${1#*=} ;;
    -i[0-9]*) ids=${1#-i} ;;
    --version) echo; echo "NVIDIA-SMI version  : $DRIVER"; echo "NVML version        : ${DRIVER%%.*}.${DRIVER#*.}"; echo "DRIVER version      : $DRIVER"; echo "CUDA Version        : $CUDA"; exit 0 ;;
    -h|--help) echo "NVIDIA System Management Interface -- v$DRIVER (stand-in for tests)"; exit 0 ;;
    *) echo "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help." >&2; exit 2 ;;
  esac
  shift
done
selected=()
for g in "${GPUS[@]}"; do
  idx=${g%%|*}
  if [ -n "$ids" ]; then
    IFS=, read -ra want <<<"$ids"; hit=0
    for w in "${want[@]}"; do [ "$w" = "$idx" ] || [ "$w" = "$(cut -d'|' -f2 <<<"$g")" ] && hit=1; done
    [ $hit = 1 ] || continue
  fi
  selected+=("$g")
done
if [ -n "$ids" ] && [ ${#selected[@]} -eq 0 ]; then echo "No devices were found" >&2; exit 6; fi
if [ $list = 1 ]; then
  for g in "${selected[@]}"; do IFS='|' read -r idx uuid name mib bus <<<"$g"; echo "GPU $idx: $name (UUID: $uuid)"; done
  exit 0
fi
noheader=0 nounits=0
case ",$format," in *,noheader,*) noheader=1 ;; esac
case ",$format," in *,nounits,*) nounits=1 ;; esac
if [ -n "$apps" ] || [ -n "$query" ]; then
  case ",$format," in *,csv,*) ;; *) echo "Please specify a valid format: --format=csv[,noheader][,nounits]" >&2; exit 2 ;; esac
fi
if [ -n "$apps" ]; then # no processes run on stand-in GPUs
  [ $noheader = 1 ] || echo "$apps" | sed 's/,/, /g'
  exit 0
fi
if [ -n "$query" ]; then
  IFS=, read -ra fields <<<"${query// /}"
  header=() 
  for f in "${fields[@]}"; do
    case "$f" in
      index|count|uuid|gpu_uuid|name|gpu_name|driver_version|pci.bus_id|gpu_bus_id|serial|compute_cap|mig.mode.current|persistence_mode|pstate|temperature.gpu) header+=("$f") ;;
      memory.total|memory.used|memory.free|memory.reserved) header+=("$f [MiB]") ;;
      utilization.gpu|utilization.memory) header+=("$f [%]") ;;
      power.draw|power.limit) header+=("$f [W]") ;;
      *) echo "Field \"$f\" is not a valid field to query."; echo; exit 2 ;;
    esac
  done
  if [ $noheader = 0 ]; then (IFS=,; echo "${header[*]}" | sed 's/,/, /g'); fi
  for g in "${selected[@]}"; do
    IFS='|' read -r idx uuid name mib bus <<<"$g"
    out=()
    for f in "${fields[@]}"; do
      mu=" MiB"; pu=" %"; wu=" W"
      [ $nounits = 0 ] || { mu=""; pu=""; wu=""; }
      case "$f" in
        index) v=$idx ;; count) v=${#GPUS[@]} ;; uuid|gpu_uuid) v=$uuid ;; name|gpu_name) v=$name ;;
        driver_version) v=$DRIVER ;; pci.bus_id|gpu_bus_id) v=$bus ;; serial) v=$((1650000000000 + idx)) ;;
        compute_cap) v=$CC ;; mig.mode.current) v=Disabled ;; persistence_mode) v=Enabled ;; pstate) v=P0 ;;
        temperature.gpu) v=$((30 + idx)) ;;
        memory.total) v="$mib$mu" ;; memory.used) v="0$mu" ;; memory.free) v="$((mib - 0))$mu" ;; memory.reserved) v="0$mu" ;;
        utilization.gpu|utilization.memory) v="0$pu" ;;
        power.draw) v="70.00$wu" ;; power.limit) v="700.00$wu" ;;
      esac
      out+=("$v")
    done
    (IFS='|'; echo "${out[*]}" | sed 's/|/, /g')
  done
  exit 0
fi
# Plain call: a short table in nvidia-smi's layout.
date '+%a %b %e %H:%M:%S %Y'
line='+-----------------------------------------+------------------------+----------------------+'
printf '+-----------------------------------------------------------------------------------------+\n'
printf '|%-89s|\n' " NVIDIA-SMI $DRIVER              Driver Version: $DRIVER      CUDA Version: $CUDA"
echo "$line"
printf '| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |\n'
printf '| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |\n'
printf '|=========================================+========================+======================|\n'
for g in "${selected[@]}"; do
  IFS='|' read -r idx uuid name mib bus <<<"$g"
  printf '|%-41s|%-24s|%-22s|\n' "$(printf ' %3s  %-27.27s %6s ' "$idx" "$name" On)" "$(printf ' %-16s %5s ' "$bus" Off)" "$(printf '%21s' 0)"
  printf '|%-41s|%-24s|%-22s|\n' "$(printf ' N/A   %2sC    P0 %23s ' "$((30 + idx))" "70W /  700W")" "$(printf ' %22s ' "0MiB / ${mib}MiB")" "$(printf ' %6s %14s ' "0%" Default)"
  echo "$line"
done
echo
printf '+-----------------------------------------------------------------------------------------+\n'
printf '| Processes:                                                                              |\n'
printf '|  GPU   GI   CI        PID   Type   Process name                              GPU Memory |\n'
printf '|=========================================================================================|\n'
printf '|  No running processes found                                                             |\n'
printf '+-----------------------------------------------------------------------------------------+\n'
EOF
  } >"$file"
  chmod 755 "$file"
}

# ---------------------------------------------------------------------------------------------------------
# down

kill_pids() { # signal pids...
  local sig=$1; shift
  [ $# -gt 0 ] || return 0
  kill "-$sig" "$@" 2>/dev/null || true
}

alive() { # pid -> running (a zombie counts as gone: this machine's init may reap late)
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

down_prefix() {
  local ns pids=() p deadline leftover
  local nss
  nss=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PREFIX}-h[0-9]+\$" || true)
  for ns in $nss; do
    for p in $(ip netns pids "$ns" 2>/dev/null || true); do pids+=("$p"); done
  done
  # Also any process still running this state's sshd/init (e.g. its netns was already deleted).
  if [ -d "$STATE" ]; then
    local f
    for f in $(grep -laF -- "$STATE/h" /proc/[0-9]*/cmdline 2>/dev/null || true); do
      p=${f#/proc/}; p=${p%/cmdline}
      [ "$p" != $$ ] && [ "$p" != "${BASHPID:-$$}" ] || continue
      local argv=()
      mapfile -d '' argv <"$f" 2>/dev/null || continue
      case "${argv[0]:-}" in */sshd|sshd|unshare|*/unshare|ip|*/ip|sh|*/sh) ;; *) continue ;; esac
      local a
      for a in "${argv[@]}"; do
        if [[ $a == "$STATE"/h*/init.sh || $a == "$STATE"/h*/sshd_config ]]; then pids+=("$p"); break; fi
      done
    done
  fi
  if [ ${#pids[@]} -gt 0 ]; then
    kill_pids TERM "${pids[@]}"
    deadline=$(($(now_ms) + 3000))
    while :; do
      leftover=()
      for p in "${pids[@]}"; do ! alive "$p" || leftover+=("$p"); done
      [ ${#leftover[@]} -gt 0 ] || break
      if [ "$(now_ms)" -gt "$deadline" ]; then kill_pids KILL "${leftover[@]}"; sleep 0.1; break; fi
      sleep 0.05
    done
  fi
  for ns in $nss; do ip netns del "$ns" 2>/dev/null || true; done
  local l
  for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^${PREFIX}-v[0-9]+\$" || true); do
    ip link del "$l" 2>/dev/null || true
  done
  ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE" 2>/dev/null || true
  if [ -d "$STATE" ] && [ $KEEP_STATE = 0 ]; then
    if [ -f "$STATE/.bosun-test-hosts" ]; then
      rm -rf -- "$STATE"
    else
      log "warning: not deleting $STATE: it was not made by test-hosts.sh (no .bosun-test-hosts marker)"
    fi
  fi
  rm -f "$RUN_DIR/$PREFIX.owner"
  [ $KEEP_STATE = 1 ] || rm -f "$RUN_DIR/$PREFIX.state"
}

# ---------------------------------------------------------------------------------------------------------
# up

js() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

up() {
  local n=${ARGS[0]:-}
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "usage: test-hosts.sh up N [--prefix P] [--subnet A.B.C] [--gpus SPEC] [--java SPEC] [--state DIR]"
  [ "$n" -le 200 ] || die "at most 200 hosts"
  local t0
  t0=$(now_ms)
  local reason
  reason=$(check_env) || { echo "test-hosts: cannot run here: $reason" >&2; exit 3; }

  # Somebody else's hosts with this prefix still alive?
  if [ -f "$RUN_DIR/$PREFIX.owner" ] && [ $FORCE = 0 ]; then
    local owner
    owner=$(<"$RUN_DIR/$PREFIX.owner")
    if [ -n "$owner" ] && [ "$owner" != "${OWNER_PID:-}" ] && kill -0 "$owner" 2>/dev/null; then
      echo "test-hosts: prefix '$PREFIX' is in use by process $owner ($(tr '\0' ' ' </proc/"$owner"/cmdline 2>/dev/null | cut -c1-80)); use another --prefix and --subnet, or --force" >&2
      exit 4
    fi
  fi
  # Leftovers of this prefix, also under a state directory other than this run's.
  local previous=""
  [ ! -r "$RUN_DIR/$PREFIX.state" ] || previous=$(<"$RUN_DIR/$PREFIX.state")
  if [ -n "$previous" ] && [ "$previous" != "$STATE" ]; then
    local this_state=$STATE
    STATE=$previous; down_prefix; STATE=$this_state
  fi
  down_prefix
  # The subnet must be free (another prefix's bridge, or a real network).
  local clash
  clash=$(ip -o -4 addr show 2>/dev/null | awk -v s="$SUBNET." 'index($4, s) == 1 { print $2 " " $4 }' | head -1)
  [ -z "$clash" ] || { echo "test-hosts: subnet $SUBNET.0/24 is already used by $clash (another test-hosts prefix?); use --subnet or down that prefix" >&2; exit 4; }

  ensure_packages
  ensure_users

  # Per-host specs.
  local -a gpu_specs java_modes
  IFS=, read -ra gpu_specs <<<"$GPUS"
  if [ -n "$JAVA_SPEC" ]; then IFS=, read -ra java_modes <<<"$JAVA_SPEC"; else java_modes=(); fi
  local i m need_jdk=0 jdk=""
  for ((i = 1; i <= n; i++)); do
    m=${java_modes[$((i - 1))]:-jdk}; m=${m// /}; [ -n "$m" ] || m=jdk
    case "$m" in jdk) need_jdk=1 ;; system|none) ;; *) die "bad --java entry '$m' (want jdk, system or none)" ;; esac
    java_modes[$((i - 1))]=$m
  done
  for ((i = 1; i <= n; i++)); do parse_gpu_entry "${gpu_specs[$((i - 1))]:-none}"; done # validate early
  if ! jdk=$(find_jdk); then
    [ $need_jdk = 0 ] || die "no JDK >= 21 found (JAVA_HOME, /usr/lib/jvm/*) for the 'jdk' hosts; pass --java-home DIR"
    jdk=""
  fi

  # From here on a failure removes what was made (keeping the state directory's logs until the next up).
  trap 'rc=$?; if [ $rc != 0 ]; then log "up failed; removing its hosts (logs kept in $STATE)"; KEEP_STATE=1; down_prefix; fi' EXIT
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  touch "$STATE/.bosun-test-hosts"
  printf '%s\n' "$STATE" >"$RUN_DIR/$PREFIX.state"
  [ -z "$OWNER_PID" ] || printf '%s\n' "$OWNER_PID" >"$RUN_DIR/$PREFIX.owner"

  # Client keys (no passphrase), accepted for root, bosun-test and bosun-nosudo on every host.
  ssh-keygen -q -t ed25519 -N '' -C "bosun-test-hosts" -f "$STATE/id_ed25519"
  ssh-keygen -q -t ecdsa -b 256 -N '' -C "bosun-test-hosts" -f "$STATE/id_ecdsa"
  cat "$STATE/id_ed25519.pub" "$STATE/id_ecdsa.pub" >"$STATE/authorized_keys"
  chmod 644 "$STATE/authorized_keys" "$STATE"/*.pub
  : >"$STATE/known_hosts"

  # Which of the machine's top-level trees get a per-host writable layer.
  local overlays=(/etc /var/lib /usr/local)
  [ -d /opt ] && overlays+=(/opt)
  local real_nvsmi=""
  real_nvsmi=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v nvidia-smi || true)

  # /etc/hosts for every host: the machine's, plus all test hosts.
  local hosts_extra="" ip name
  for ((i = 1; i <= n; i++)); do hosts_extra+="$(ip_of "$i") $(netns_of "$i")"$'\n'; done

  # Network: bridge, then one netns + veth pair per host (one `ip -batch` for the machine's side).
  local batch="link add $BRIDGE type bridge stp_state 0 forward_delay 0"$'\n'
  batch+="addr add $SUBNET.1/24 dev $BRIDGE"$'\n'"link set $BRIDGE up"$'\n'
  for ((i = 1; i <= n; i++)); do
    batch+="netns add $(netns_of "$i")"$'\n'
    batch+="link add $(veth_of "$i") type veth peer name eth0 netns $(netns_of "$i")"$'\n'
    batch+="link set $(veth_of "$i") master $BRIDGE up"$'\n'
  done
  ip -batch - <<<"$batch" || die "creating the bridge/namespaces failed (see above)"
  for ((i = 1; i <= n; i++)); do
    ip -n "$(netns_of "$i")" -batch - <<<"addr add $(ip_of "$i")/24 dev eth0
link set eth0 up
link set lo up" || die "configuring $(netns_of "$i") failed"
  done

  local penalties=""
  local h rel upper ov
  for ((i = 1; i <= n; i++)); do
    name=$(netns_of "$i"); ip=$(ip_of "$i"); h=$STATE/h$i
    mkdir -p "$h/root" "$h/tmp" "$h/empty" "$h/home/$SUDO_USER_NAME" "$h/home/$NOSUDO_USER_NAME"
    chmod 700 "$h/root"; chmod 1777 "$h/tmp"
    chown "$SUDO_USER_NAME:" "$h/home/$SUDO_USER_NAME"; chown "$NOSUDO_USER_NAME:" "$h/home/$NOSUDO_USER_NAME"
    for ov in "${overlays[@]}"; do mkdir -p "$h/rootfs$ov" "$h/.ovl-work$ov"; done
    mkdir -p "$h/rootfs/usr/local/bin"
    printf '%s\n' "$name" >"$h/rootfs/etc/hostname"
    { cat /etc/hosts 2>/dev/null; printf '127.0.1.1 %s\n%s' "$name" "$hosts_extra"; } >"$h/rootfs/etc/hosts"

    parse_gpu_entry "${gpu_specs[$((i - 1))]:-none}"
    local gpu_desc=none mode=${java_modes[$((i - 1))]}
    [ "$GPU_COUNT" = 0 ] || { gpu_desc="${GPU_COUNT}x$GPU_NAME"; write_nvidia_smi "$i" "$h/rootfs/usr/local/bin/nvidia-smi"; }
    if [ "$GPU_COUNT" = 0 ] && [ -n "$real_nvsmi" ] && [ "${real_nvsmi#/usr/local/}" = "$real_nvsmi" ]; then
      printf '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn'"'"'t communicate with the NVIDIA driver." >&2\nexit 9\n' >"$h/no-nvidia-smi"
      chmod 755 "$h/no-nvidia-smi"
    fi
    if [ "$GPU_COUNT" = 0 ] && [ -e /usr/local/bin/nvidia-smi ]; then mknod "$h/rootfs/usr/local/bin/nvidia-smi" c 0 0; fi
    [ "$mode" != jdk ] || ln -s "$jdk/bin/java" "$h/rootfs/usr/local/bin/java"
    GPU_DESC[$i]=$gpu_desc
    GPU_COUNTS[$i]=$GPU_COUNT
    GPU_NAMES[$i]=$GPU_NAME
    GPU_MIBS[$i]=$GPU_MIB

    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$h/ssh_host_ed25519_key"
    ssh-keygen -q -t ecdsa -b 256 -N '' -C "$name" -f "$h/ssh_host_ecdsa_key"
    awk -v hn="$ip,$name" '{ print hn " " $1 " " $2 }' "$h/ssh_host_ed25519_key.pub" "$h/ssh_host_ecdsa_key.pub" >>"$STATE/known_hosts"

    cat >"$h/sshd_config" <<EOF
# sshd of test host $name ($ip), written by scripts/test-hosts.sh
ListenAddress $ip:22
HostKey $h/ssh_host_ed25519_key
HostKey $h/ssh_host_ecdsa_key
PidFile none
AllowUsers root $SUDO_USER_NAME $NOSUDO_USER_NAME
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
AuthorizedKeysFile $STATE/authorized_keys
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
MaxSessions 64
MaxStartups 100:30:200
LoginGraceTime 30
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
    if [ $i = 1 ]; then
      # OpenSSH >= 9.8 penalises sources with failed logins; the bad-key tests would lock themselves out.
      printf 'PerSourcePenalties no\n' >>"$h/sshd_config"
      if /usr/sbin/sshd -t -f "$h/sshd_config" >/dev/null 2>&1; then penalties="PerSourcePenalties no"; else
        sed -i '/^PerSourcePenalties/d' "$h/sshd_config"
        /usr/sbin/sshd -t -f "$h/sshd_config" 2>&1 | sed 's/^/test-hosts: sshd -t: /' >&2 || true
        /usr/sbin/sshd -t -f "$h/sshd_config" >/dev/null 2>&1 || die "sshd rejects its config $h/sshd_config (see above)"
      fi
    elif [ -n "$penalties" ]; then
      printf '%s\n' "$penalties" >>"$h/sshd_config"
    fi

    # What runs inside the host's namespaces before sshd: the host's private view of the filesystem.
    {
      echo "# init of test host $name, run by scripts/test-hosts.sh inside: unshare --uts --mount --pid --mount-proc"
      echo "set -e"
      echo "hostname $name"
      for ov in "${overlays[@]}"; do
        echo "mount -t overlay overlay -o 'lowerdir=$ov,upperdir=$h/rootfs$ov,workdir=$h/.ovl-work$ov' '$ov'"
      done
      echo "mount --bind '$h/root' /root"
      echo "mount --bind '$h/home/$SUDO_USER_NAME' '/home/$SUDO_USER_NAME'"
      echo "mount --bind '$h/home/$NOSUDO_USER_NAME' '/home/$NOSUDO_USER_NAME'"
      if [ "$mode" = none ]; then
        [ ! -d /usr/lib/jvm ] || echo "mount --bind '$h/empty' /usr/lib/jvm"
        if [ -n "$jdk" ] && [ "${jdk#/usr/lib/jvm/}" = "$jdk" ]; then echo "mount --bind '$h/empty' '$jdk'"; fi
      fi
      [ ! -x "$h/no-nvidia-smi" ] || echo "mount --bind '$h/no-nvidia-smi' '$real_nvsmi'"
      # A private /tmp; the state directory (sshd config, authorized_keys) stays reachable at its path.
      case "$STATE/" in
        /tmp/*)
          rel=${STATE#/tmp/}
          mkdir -p "$h/tmp/$rel"
          echo "mount --bind '$STATE' '$h/tmp/$rel'"
          echo "mount --rbind '$h/tmp' /tmp" ;;
        *) echo "mount --bind '$h/tmp' /tmp" ;;
      esac
      echo "cd /"
      echo "exec /usr/sbin/sshd -D -f '$h/sshd_config' -E '$h/sshd.log'"
    } >"$h/init.sh"

    # Detached: own session, no inherited descriptors (the caller may wait for our stdout to close).
    setsid ip netns exec "$name" unshare --uts --mount --pid --fork --mount-proc --kill-child \
      /bin/sh "$h/init.sh" </dev/null >"$h/console.log" 2>&1 8>&- 9>&- &
    echo $! >"$h/unshare.pid"
  done

  # Wait until every sshd listens.
  local deadline=$(($(now_ms) + 15000)) pending upid spid
  while :; do
    pending=0
    for ((i = 1; i <= n; i++)); do
      h=$STATE/h$i
      [ -f "$h/sshd.pid" ] && continue
      upid=$(<"$h/unshare.pid")
      if ! alive "$upid"; then
        echo "test-hosts: host $i ($(netns_of "$i")) did not start:" >&2
        sed 's/^/  /' "$h/console.log" "$h/sshd.log" 2>/dev/null | tail -20 >&2
        die "sshd of host $i exited"
      fi
      if grep -q "Server listening on $(ip_of "$i") port 22" "$h/sshd.log" 2>/dev/null; then
        spid=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null | awk '{print $1}')
        [ -n "$spid" ] && { echo "$spid" >"$h/sshd.pid"; continue; }
      fi
      pending=$((pending + 1))
    done
    [ $pending -gt 0 ] || break
    if [ "$(now_ms)" -gt "$deadline" ]; then
      for ((i = 1; i <= n; i++)); do [ -f "$STATE/h$i/sshd.pid" ] || tail -5 "$STATE/h$i/sshd.log" "$STATE/h$i/console.log" >&2 2>/dev/null || true; done
      die "sshd did not start listening within 15 s"
    fi
    sleep 0.02
  done

  # A real login on every host (in parallel): key, known_hosts, user, hostname.
  if [ $CHECK = 1 ]; then
    local pids=() fail=0
    for ((i = 1; i <= n; i++)); do
      ssh_base "$SUDO_USER_NAME" "$(ip_of "$i")" hostname >"$STATE/h$i/check.out" 2>&1 </dev/null &
      pids+=($!)
    done
    for ((i = 1; i <= n; i++)); do
      if ! wait "${pids[$((i - 1))]}" || [ "$(tr -d '\r\n' <"$STATE/h$i/check.out")" != "$(netns_of "$i")" ]; then
        echo "test-hosts: ssh $SUDO_USER_NAME@$(ip_of "$i") failed: $(tr '\n' ' ' <"$STATE/h$i/check.out")" >&2
        tail -5 "$STATE/h$i/sshd.log" >&2 || true
        fail=1
      fi
    done
    [ $fail = 0 ] || die "login check failed"
  fi

  local up_ms=$(($(now_ms) - t0))
  # hosts.json
  {
    printf '{\n  "prefix": %s,\n  "subnet": %s,\n  "bridge": %s,\n  "bridge_ip": %s,\n' "$(js "$PREFIX")" "$(js "$SUBNET")" "$(js "$BRIDGE")" "$(js "$SUBNET.1")"
    printf '  "state": %s,\n  "key": %s,\n  "key_ecdsa": %s,\n  "public_key": %s,\n  "authorized_keys": %s,\n  "known_hosts": %s,\n' \
      "$(js "$STATE")" "$(js "$STATE/id_ed25519")" "$(js "$STATE/id_ecdsa")" "$(js "$STATE/id_ed25519.pub")" "$(js "$STATE/authorized_keys")" "$(js "$STATE/known_hosts")"
    printf '  "user": %s,\n  "nosudo_user": %s,\n  "java_home": %s,\n  "up_ms": %s,\n  "hosts": [\n' \
      "$(js "$SUDO_USER_NAME")" "$(js "$NOSUDO_USER_NAME")" "$(js "$jdk")" "$up_ms"
    for ((i = 1; i <= n; i++)); do
      h=$STATE/h$i
      printf '    {"index": %d, "name": %s, "ip": %s, "port": 22, "netns": %s, "veth": %s, "dir": %s,\n' \
        "$i" "$(js "$(netns_of "$i")")" "$(js "$(ip_of "$i")")" "$(js "$(netns_of "$i")")" "$(js "$(veth_of "$i")")" "$(js "$h")"
      printf '     "rootfs": %s, "agent_dir": %s, "root_home": %s, "user_home": %s, "tmp": %s,\n' \
        "$(js "$h/rootfs")" "$(js "$h/rootfs/var/lib/bosun-agent")" "$(js "$h/root")" "$(js "$h/home/$SUDO_USER_NAME")" "$(js "$h/tmp")"
      printf '     "gpus": %s, "gpu_count": %d, "gpu_name": %s, "gpu_memory_mib": %d, "java": %s,\n' \
        "$(js "${GPU_DESC[$i]}")" "${GPU_COUNTS[$i]}" "$(js "${GPU_NAMES[$i]}")" "${GPU_MIBS[$i]}" "$(js "${java_modes[$((i - 1))]}")"
      printf '     "sshd_pid": %d, "sshd_log": %s, "sshd_config": %s, "host_key_ed25519": %s}%s\n' \
        "$(<"$h/sshd.pid")" "$(js "$h/sshd.log")" "$(js "$h/sshd_config")" "$(js "$h/ssh_host_ed25519_key.pub")" "$([ $i = "$n" ] || echo ,)"
    done
    printf '  ]\n}\n'
  } >"$STATE/hosts.json.tmp"
  mv "$STATE/hosts.json.tmp" "$STATE/hosts.json"

  {
    echo "state $STATE"
    echo "key $STATE/id_ed25519"
    echo "key_ecdsa $STATE/id_ecdsa"
    echo "known_hosts $STATE/known_hosts"
    echo "json $STATE/hosts.json"
    echo "user $SUDO_USER_NAME"
    echo "nosudo_user $NOSUDO_USER_NAME"
    echo "java_home ${jdk:--}"
    for ((i = 1; i <= n; i++)); do
      echo "host $(netns_of "$i") $(ip_of "$i") $STATE/h$i gpus=${GPU_DESC[$i]// /_} java=${java_modes[$((i - 1))]}"
    done
    echo "up_ms $up_ms"
  } | tee "$STATE/hosts.txt"
  trap - EXIT
}

ssh_base() { # user ip cmd...
  local user=$1 ip=$2; shift 2
  ssh -i "$STATE/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$STATE/known_hosts" -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=5 \
    -o LogLevel=ERROR "$user@$ip" "$@"
}

require_state() {
  [ -f "$STATE/hosts.json" ] || die "no test hosts with prefix '$PREFIX' (no $STATE/hosts.json); run: scripts/test-hosts.sh up N"
}

host_count() { ls -d "$STATE"/h[0-9]* 2>/dev/null | wc -l; }

require_host() {
  local i=$1
  [ -f "$STATE/h$i/sshd.pid" ] || die "no host $i under $STATE (there are $(host_count))"
}

main() {
  local cmd=${1:-}
  [ -n "$cmd" ] || usage 2
  shift
  CMD=$cmd
  parse_args "$@"
  [ "$(id -u)" != 0 ] || mkdir -p "$RUN_DIR"
  case "$cmd" in
    up|down)
      if [ "$(id -u)" != 0 ]; then echo "test-hosts: cannot run here: test hosts need root" >&2; exit 3; fi
      exec 9>"$RUN_DIR/$PREFIX.lock"
      flock 9
      if [ "$cmd" = up ]; then up; else down_prefix; fi ;;
    cut|restore)
      [ "$(id -u)" = 0 ] || die "must run as root"
      local i
      i=$(host_index_arg)
      ip link show "$(veth_of "$i")" >/dev/null 2>&1 || die "no host $i with prefix '$PREFIX' (no link $(veth_of "$i"))"
      if [ "$cmd" = cut ]; then ip link set "$(veth_of "$i")" down; else ip link set "$(veth_of "$i")" up; fi ;;
    status)
      require_state
      local i n h sshd_state link
      n=$(host_count)
      for ((i = 1; i <= n; i++)); do
        h=$STATE/h$i
        sshd_state=down; [ -f "$h/sshd.pid" ] && alive "$(<"$h/sshd.pid")" && sshd_state=up
        link=connected; ip -o link show "$(veth_of "$i")" 2>/dev/null | grep -q 'state UP\|,UP' || link=cut
        echo "$(netns_of "$i") $(ip_of "$i") sshd=$sshd_state link=$link"
      done ;;
    ssh)
      require_state
      local i; i=$(host_index_arg); require_host "$i"
      ssh_base "$SSH_USER" "$(ip_of "$i")" "${ARGS[@]:1}" ;;
    exec)
      [ "$(id -u)" = 0 ] || die "must run as root"
      require_state
      local i; i=$(host_index_arg); require_host "$i"
      [ ${#ARGS[@]} -gt 1 ] || die "usage: test-hosts.sh exec I CMD..."
      exec nsenter -t "$(<"$STATE/h$i/sshd.pid")" --net --mount --uts --pid --wd=/ -- "${ARGS[@]:1}" ;;
    authorize)
      require_state
      local f=${ARGS[0]:-}
      [ -f "$f" ] || die "usage: test-hosts.sh authorize PUBLIC_KEY_FILE"
      grep -qxF -- "$(head -1 "$f")" "$STATE/authorized_keys" || head -1 "$f" >>"$STATE/authorized_keys" ;;
    check)
      local reason
      if reason=$(check_env); then echo ok; else echo "$reason"; exit 3; fi ;;
    -h|--help|help) usage 0 ;;
    *) echo "test-hosts: unknown command '$cmd'" >&2; usage 2 ;;
  esac
}

declare -a GPU_DESC GPU_COUNTS GPU_NAMES GPU_MIBS
main "$@"
